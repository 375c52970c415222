// Ways to run `rozet` in tests: in-process with captured streams (fast, no terminal), as a
// real process (argv, exit codes, signals), and in a real pseudo-terminal (questions,
// line editing, Ctrl-C as a key). None of them sees the real environment's keys or
// ROZET_* settings, and saved runs go to a temporary state folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';
import { SCENARIO } from './cli-scenario';
import { startModelServer, type ModelServer } from './model-server';
import { spawnInPty, type PtySession } from './pty';
import { removeDir, tempDir } from './run-engine-fixtures';

export const REPO = path.resolve(__dirname, '..', '..');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Saved runs of tests go here unless a test names its own XDG_STATE_HOME: never the user's state folder. */
export const TEST_STATE_HOME = mkdtempSync(path.join(tmpdir(), 'rozet-state-'));

function collect(stream: PassThrough): () => string {
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(c));
  return () => Buffer.concat(parts).toString('utf8');
}

/** runCli in-process: no terminal, the given environment only (never the real one's keys). */
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

/** Both roles on the scripted server's OpenAI-compatible endpoint. */
export function serverEnv(url: string): Record<string, string> {
  return {
    ROZET_ORCHESTRATOR_PROVIDER: 'openaiCompatible',
    ROZET_ORCHESTRATOR_BASE_URL: `${url}/v1`,
    ROZET_ORCHESTRATOR_MODEL: 'planner',
    ROZET_WORKER_PROVIDER: 'openaiCompatible',
    ROZET_WORKER_BASE_URL: `${url}/v1`,
    ROZET_WORKER_MODEL: 'worker',
    // Keep a misbehaving test fast: no retry waits worth noticing.
    ROZET_WORKER_IDLE_TIMEOUT_SECONDS: '5',
  };
}

/** PATH and the like from the real environment, without keys or ROZET_* settings. */
export function cleanEnv(extra: Record<string, string>): Record<string, string> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/API_KEY|^ROZET_|^(VISUAL|EDITOR)$/.test(entry[0]),
    ),
  );
  return { ...base, NO_COLOR: '1', XDG_STATE_HOME: TEST_STATE_HOME, ...extra };
}

const ENTRY = ['--import', 'tsx', 'src/cli/main.ts'];

/** The real entry point as a child process with pipes (no terminal). */
export function spawnCli(args: string[], env: Record<string, string>) {
  return spawn(process.execPath, [...ENTRY, ...args], {
    cwd: REPO,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The real entry point in a pseudo-terminal. */
export function ptyCli(args: string[], env: Record<string, string>): PtySession {
  return spawnInPty([process.execPath, ...ENTRY, ...args], { cwd: REPO, env: cleanEnv(env) });
}

export const chatRequests = (server: ModelServer) => server.requests.filter((r) => r.route === 'openai.chat');

/** Requests that offered tools: the workers'. */
export const workerRequests = (server: ModelServer) =>
  chatRequests(server).filter((q) => ((q.body as { tools?: unknown[] }).tools?.length ?? 0) > 0);

/** No stack trace reached the user. */
export function noStack(text: string): void {
  assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/);
}

/** The `{"error": …}` object a --json failure ends stdout with. */
export function jsonError(stdout: string): { code: string; message: string } {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  let parsed: { error?: { code: string; message: string } };
  try {
    parsed = JSON.parse(last) as typeof parsed;
  } catch {
    // A pretty-printed document (health): the whole of stdout.
    parsed = JSON.parse(stdout) as typeof parsed;
  }
  assert.ok(parsed.error, `no "error" object on stdout: ${stdout}`);
  return parsed.error;
}

export interface CliFixture {
  server: ModelServer;
  root: string;
  env: Record<string, string>;
}

/** Per test: a scripted server answering SCENARIO, an empty workspace, and the environment pointing at the server. */
export function useCliFixture(prefix: string): CliFixture {
  const fixture = {} as CliFixture;
  beforeEach(async () => {
    fixture.server = await startModelServer({ scenario: SCENARIO });
    fixture.root = tempDir(prefix);
    fixture.env = serverEnv(fixture.server.url);
  });
  afterEach(async () => {
    // A test may have replaced the server; the one in place now is closed.
    await fixture.server.close();
    removeDir(fixture.root);
  });
  return fixture;
}
