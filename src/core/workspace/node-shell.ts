// Shell over child_process for both hosts and the tests. The command runs in its own
// process group (detached) so a timeout or a cancel kills everything it started — a
// `npm test` that forked a server does not outlive it. stdout and stderr are kept
// interleaved as they arrive; past the cap the head and the tail are kept, since the
// start says what ran and the end says how it failed. stdin is closed, so a command
// waiting for input ends instead of hanging until its timeout. With a sandbox (see
// src/core/sandbox) the same command runs inside it, the workspace's protected paths
// mounted read-only; either way the protected paths are looked for before and after, so
// one the command created is reported.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as nodePath from 'node:path';
import { sandboxedSpawn, type Sandbox } from '../sandbox/launch';
import { looksLikeNetworkFailure, NETWORK_OFF_NOTE } from '../sandbox/network-hint';
import { newProtectedPaths, scanProtected } from '../sandbox/protected-scan';
import type { Shell, ShellOptions, ShellResult } from './workspace';

export interface NodeShellOptions {
  /** Environment for commands; defaults to this process's without API keys or secrets. */
  env?: NodeJS.ProcessEnv;
  /** Run every command in this sandbox. */
  sandbox?: Sandbox;
  /** Refuse every command with this (rozet.bash.sandbox = required without a sandbox). */
  refusal?: string;
  /** How commands are confined, in a sentence: said with the first command's result and to a user asked to approve one. */
  confinement?: string;
}

/** After the shell itself exits, how long to wait for background children holding its output. */
const DRAIN_MS = 200;

interface Spawned {
  exitCode: number | null;
  text: string;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
}

export class NodeShell implements Shell {
  private readonly env: NodeJS.ProcessEnv;
  private readonly sandbox: Sandbox | undefined;
  private confinementSaid = false;
  readonly refusal: string | undefined;
  readonly confinement: string | undefined;

  constructor(
    readonly root: string,
    options: NodeShellOptions = {},
  ) {
    this.env = options.env ?? withoutSecrets(process.env);
    this.sandbox = options.sandbox;
    this.refusal = options.refusal;
    this.confinement = options.confinement;
  }

  get sandboxed(): boolean {
    return this.sandbox !== undefined;
  }

  async run(command: string, options: ShellOptions): Promise<ShellResult> {
    const started = performance.now();
    if (options.signal?.aborted)
      return { exitCode: null, output: '', truncated: false, timedOut: false, cancelled: true, durationMs: 0 };
    const cwd = options.cwd ? nodePath.resolve(this.root, options.cwd) : this.root;
    const before = await scanProtected(this.root);
    const windows = process.platform === 'win32';
    const argv = windows ? [process.env.ComSpec ?? 'cmd.exe', '/d', '/s', '/c', command] : ['/bin/sh', '-c', command];
    const launch = this.sandbox
      ? sandboxedSpawn(this.sandbox, { root: this.root, cwd, readOnly: before.paths }, argv)
      : { file: argv[0], args: argv.slice(1), env: {} };
    const ran = await this.spawn(launch.file, launch.args, { ...this.env, ...launch.env }, cwd, options);
    const after = await scanProtected(this.root);

    const notes: string[] = [];
    if (this.confinement && !this.confinementSaid) notes.push(this.confinement);
    this.confinementSaid = true;
    if (this.sandbox && !before.complete)
      notes.push('The workspace is too large to look through whole: protected paths deep inside it are not covered.');
    if (this.sandbox && !this.sandbox.network && ran.exitCode !== 0 && looksLikeNetworkFailure(ran.text))
      notes.push(NETWORK_OFF_NOTE);
    const created = newProtectedPaths(before, after);
    return {
      exitCode: ran.exitCode,
      output: ran.text,
      truncated: ran.truncated,
      timedOut: ran.timedOut,
      cancelled: ran.cancelled,
      durationMs: performance.now() - started,
      ...(notes.length ? { notes } : {}),
      ...(created.length ? { createdProtected: created } : {}),
    };
  }

  async discard(paths: readonly string[]): Promise<void> {
    for (const p of paths) {
      const target = nodePath.resolve(this.root, p);
      // Only ever inside the workspace, and never the root itself.
      if (!target.startsWith(this.root + nodePath.sep)) continue;
      await fs.rm(target, { recursive: true, force: true });
    }
  }

  private spawn(
    file: string,
    args: string[],
    env: NodeJS.ProcessEnv,
    cwd: string,
    options: ShellOptions,
  ): Promise<Spawned> {
    const output = new CappedOutput(options.maxOutputBytes);
    return new Promise<Spawned>((resolve) => {
      const windows = process.platform === 'win32';
      const child = spawn(file, args, {
        cwd,
        env,
        detached: !windows,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      let timedOut = false;
      let cancelled = false;
      let exitCode: number | null = null;
      let done = false;
      let drain: NodeJS.Timeout | undefined;
      const finish = () => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (drain) clearTimeout(drain);
        options.signal?.removeEventListener('abort', onAbort);
        // Whatever the command left running (background jobs) goes with it.
        killTree(child);
        child.stdout?.destroy();
        child.stderr?.destroy();
        const { text, truncated } = output.text();
        resolve({ exitCode, text, truncated, timedOut, cancelled });
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killTree(child);
      }, options.timeoutMs);
      const onAbort = () => {
        cancelled = true;
        killTree(child);
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
      child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
      child.on('error', (error) => {
        output.push(Buffer.from(`${error.message}\n`));
        finish();
      });
      child.on('exit', (code) => {
        exitCode = code;
        drain = setTimeout(finish, timedOut || cancelled ? 0 : DRAIN_MS);
      });
      child.on('close', finish);
    });
  }
}

function killTree(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32')
      spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true, stdio: 'ignore' });
    else process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

/** Keeps the first and last halves of the cap; counts what was dropped in between. */
class CappedOutput {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  push(chunk: Buffer): void {
    const headRoom = Math.ceil(this.cap / 2) - this.headBytes;
    if (headRoom > 0) {
      const part = chunk.subarray(0, headRoom);
      this.head.push(part);
      this.headBytes += part.length;
      chunk = chunk.subarray(part.length);
      if (!chunk.length) return;
    }
    this.tail.push(chunk);
    this.tailBytes += chunk.length;
    const tailCap = Math.floor(this.cap / 2);
    while (this.tailBytes > tailCap && this.tail.length) {
      const excess = this.tailBytes - tailCap;
      const first = this.tail[0];
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  text(): { text: string; truncated: boolean } {
    const head = Buffer.concat(this.head).toString('utf8');
    const tail = Buffer.concat(this.tail).toString('utf8');
    if (!this.dropped) return { text: head + tail, truncated: false };
    return { text: `${head}\n[… ${this.dropped} bytes of output omitted …]\n${tail}`, truncated: true };
  }
}

/**
 * Variables holding credentials by the usual naming conventions (OPENAI_API_KEY,
 * GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD, …).
 */
const CREDENTIAL_NAME = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PAT)$|SECRET/i;

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}

/** Credentials and Rozet's own settings: commands a model runs see neither. */
export function isHiddenFromCommands(name: string): boolean {
  return isCredentialName(name) || /^ROZET_/i.test(name);
}

/** Commands a model runs must not be able to print the user's API keys. */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !isHiddenFromCommands(name)));
}
