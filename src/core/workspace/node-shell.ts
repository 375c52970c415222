// Shell over child_process for the CLI and the tests. The command runs in its own
// process group (detached) so a timeout or a cancel kills everything it started — a
// `npm test` that forked a server does not outlive it. stdout and stderr are kept
// interleaved as they arrive; past the cap the head and the tail are kept, since the
// start says what ran and the end says how it failed. stdin is closed, so a command
// waiting for input ends instead of hanging until its timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import * as nodePath from 'node:path';
import type { Shell, ShellOptions, ShellResult } from './workspace';

export interface NodeShellOptions {
  /** Environment for commands; defaults to this process's without API keys or secrets. */
  env?: NodeJS.ProcessEnv;
}

/** After the shell itself exits, how long to wait for background children holding its output. */
const DRAIN_MS = 200;

export class NodeShell implements Shell {
  private readonly env: NodeJS.ProcessEnv;

  constructor(
    readonly root: string,
    options: NodeShellOptions = {},
  ) {
    this.env = options.env ?? withoutSecrets(process.env);
  }

  run(command: string, options: ShellOptions): Promise<ShellResult> {
    const started = performance.now();
    const cwd = options.cwd ? nodePath.resolve(this.root, options.cwd) : this.root;
    const output = new CappedOutput(options.maxOutputBytes);
    return new Promise<ShellResult>((resolve) => {
      if (options.signal?.aborted) {
        resolve({ exitCode: null, output: '', truncated: false, timedOut: false, cancelled: true, durationMs: 0 });
        return;
      }
      const windows = process.platform === 'win32';
      const child = spawn(
        windows ? (process.env.ComSpec ?? 'cmd.exe') : '/bin/sh',
        windows ? ['/d', '/s', '/c', command] : ['-c', command],
        {
          cwd,
          env: this.env,
          detached: !windows,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
        },
      );
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
        resolve({ exitCode, output: text, truncated, timedOut, cancelled, durationMs: performance.now() - started });
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
 * GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY, DB_PASSWORD, …), and Rozet's own settings.
 */
const SECRET_NAME = /(^|_)(API_?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PAT)$|SECRET|^ROZET_/i;

/** Commands a model runs must not be able to print the user's API keys. */
export function withoutSecrets(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (SECRET_NAME.test(key)) continue;
    out[key] = value;
  }
  return out;
}
