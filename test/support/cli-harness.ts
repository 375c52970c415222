// `rozet` in-process with captured streams: no terminal, and only the environment given
// (never the real one's keys).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const REPO = path.resolve(__dirname, '..', '..');

/** Saved runs of tests go here unless a test names its own XDG_STATE_HOME: never the user's state folder. */
export const TEST_STATE_HOME = mkdtempSync(path.join(tmpdir(), 'rozet-state-'));

function collect(stream: PassThrough): () => string {
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(c));
  return () => Buffer.concat(parts).toString('utf8');
}

export async function cli(args: string[], env: Record<string, string>, stdinText = ''): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  const out = collect(stdout);
  const err = collect(stderr);
  const handlers = new Set<() => void>();
  const io: CliIo = {
    stdout,
    stderr,
    stdin,
    env: { XDG_STATE_HOME: TEST_STATE_HOME, ...env },
    cwd: REPO,
    interrupt: () => handlers.forEach((h) => h()),
    onInterrupt: (h) => (handlers.add(h), () => handlers.delete(h)),
  };
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}
