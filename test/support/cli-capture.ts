// `rozet` in-process with captured streams and a given environment only (never the real
// one's keys), for tests that drive the CLI end to end without spawning it.
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCliCaptured(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const streams = { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough() };
  streams.stdin.end('');
  const text = (stream: PassThrough) => {
    const parts: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => parts.push(chunk));
    return () => Buffer.concat(parts).toString('utf8');
  };
  const out = text(streams.stdout);
  const err = text(streams.stderr);
  const handlers = new Set<() => void>();
  const io: CliIo = {
    ...streams,
    env,
    cwd,
    interrupt: () => handlers.forEach((h) => h()),
    onInterrupt: (h) => (handlers.add(h), () => handlers.delete(h)),
  };
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}
