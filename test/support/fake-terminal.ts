// CLI streams without a real terminal: PassThroughs that say whether they are a TTY, with
// what was written to stdout and stderr collected.
import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/io';

export function fakeIo(options: { tty: boolean; env?: Record<string, string>; input?: string; columns?: number }): {
  io: CliIo;
  stdout: () => string;
  stderr: () => string;
} {
  const make = () => Object.assign(new PassThrough(), { isTTY: options.tty, columns: options.columns ?? 80 });
  const stdout = make();
  const stderr = make();
  const stdin = make();
  stdin.end(options.input ?? '');
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: options.env ?? {},
    cwd: '/',
    interrupt: () => undefined,
    onInterrupt: () => () => undefined,
  };
  return { io, stdout: () => out, stderr: () => err };
}
