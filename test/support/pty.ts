// A command in a real pseudo-terminal, for tests of what only a terminal has: questions
// read from the keyboard, readline's line editing, Ctrl-C arriving as a key press.
//
// It uses util-linux `script` (Debian's essential bsdutils package, so it is on every CI
// machine) rather than node-pty: node-pty is a native addon that must be compiled for the
// running Node and breaks on Node upgrades, while `script` needs nothing. The price is that
// the terminal's size is set with `stty` inside the session, and that stdout and stderr
// arrive as one stream, as they do on a real screen.
import { spawn } from 'node:child_process';

export interface PtySession {
  /** Everything the terminal showed so far, escape sequences included. */
  readonly raw: () => string;
  /** The same without escape sequences and carriage returns: what a reader sees, roughly. */
  readonly screen: () => string;
  /** Resolves once the screen shows `pattern` after `from` (a screen() length); rejects with the screen on timeout. */
  waitFor(pattern: RegExp | string, options?: { timeoutMs?: number; from?: number }): Promise<void>;
  /** Typed keys: "\r" is Enter, "\x03" is Ctrl-C, "\x04" is Ctrl-D. */
  type(keys: string): void;
  readonly exited: Promise<number | null>;
  kill(): void;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]|\r/g;

export function quote(arg: string): string {
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

export function spawnInPty(
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; columns?: number },
): PtySession {
  const size = `stty cols ${options.columns ?? 100} rows 40 2>/dev/null;`;
  const command = `${size} exec ${argv.map(quote).join(' ')}`;
  // -q: no banner, -f: flush at once, -e: exit with the command's code, -c: the command.
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  const waiters = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    raw += chunk.toString('utf8');
    for (const waiter of [...waiters]) waiter();
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const screen = () => raw.replace(ANSI, '');

  return {
    raw: () => raw,
    screen,
    type: (keys) => void child.stdin.write(keys),
    exited,
    kill: () => void child.kill('SIGKILL'),
    waitFor(pattern, { timeoutMs = 20_000, from = 0 } = {}) {
      const seen = () => {
        const text = screen().slice(from);
        return typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text);
      };
      return new Promise<void>((resolve, reject) => {
        const done = () => {
          waiters.delete(check);
          clearTimeout(timer);
        };
        const check = () => {
          if (seen()) {
            done();
            resolve();
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`the terminal never showed ${String(pattern)}; it shows:\n${screen().slice(from)}`));
        }, timeoutMs);
        waiters.add(check);
        void exited.then(() => {
          if (!seen() && waiters.has(check)) {
            done();
            reject(
              new Error(`the program exited before showing ${String(pattern)}; it showed:\n${screen().slice(from)}`),
            );
          }
        });
        check();
      });
    },
  };
}
