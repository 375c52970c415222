// API keys out of reach of the commands `rozet run` spawns. A process's environment as it
// started stays readable at /proc/<pid>/environ for as long as it lives, whatever later
// happens to process.env — so a command could read `tr '\0' '\n' < /proc/$PPID/environ`.
// Hence: when the environment holds credentials and the command may spawn commands, the
// CLI starts itself again with an environment without them (nor ROZET_* settings) and
// hands them over a pipe (fd 3), which the new process reads and closes at once. The
// first process only waits, and on Linux blanks the credentials in its own startup
// environment block (through /proc/self/mem), so it holds none either.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { constants } from 'node:os';
import { isCredentialName, isHiddenFromCommands, withoutSecrets } from '../core/workspace/node-shell';
import { parseCliArgs } from './args';

const HANDOFF_VARIABLE = 'ROZET_HANDOFF_FD';
const HANDOFF_FD = 3;

/** The commands that run workers' commands. */
const SPAWNING = new Set(['run', 'repl']);

/**
 * The variables handed over by the process that started this one (then this process's
 * own environment has none of them), or undefined when this process was started directly.
 */
export function receiveHandedVariables(env: NodeJS.ProcessEnv = process.env): Record<string, string> | undefined {
  if (env[HANDOFF_VARIABLE] !== String(HANDOFF_FD)) return undefined;
  delete env[HANDOFF_VARIABLE];
  const text = fs.readFileSync(HANDOFF_FD, 'utf8');
  fs.closeSync(HANDOFF_FD);
  return JSON.parse(text) as Record<string, string>;
}

/** Whether this invocation should restart itself without credentials in its environment. */
export function shouldHandOff(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): boolean {
  // Windows has no /proc to read another process's environment through; fd 3 is POSIX.
  if (process.platform === 'win32' || !Object.keys(env).some(isCredentialName)) return false;
  try {
    const command = parseCliArgs(argv).command;
    return command !== undefined && SPAWNING.has(command);
  } catch {
    // A usage error is reported by the CLI itself, which then spawns nothing.
    return false;
  }
}

/**
 * Starts this CLI again without credentials, hands them over, waits and exits with its
 * exit code. Ctrl-C reaches both processes from the terminal; the new one handles it.
 */
export function relaunchWithoutCredentials(argv: readonly string[]): void {
  const handed = Object.fromEntries(
    Object.entries(process.env).filter(([name, value]) => value !== undefined && isHiddenFromCommands(name)),
  ) as Record<string, string>;
  const child = spawn(process.execPath, [...process.execArgv, process.argv[1], ...argv], {
    env: { ...withoutSecrets(process.env), [HANDOFF_VARIABLE]: String(HANDOFF_FD) },
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
  });
  const pipe = child.stdio[HANDOFF_FD] as NodeJS.WritableStream;
  pipe.end(JSON.stringify(handed));
  forgetCredentials(Object.keys(handed).filter(isCredentialName));
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  // Exit as the shell would report the child: its code, or 128 + the signal that ended it.
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (signal ? constants.signals[signal] : 0)));
}

/**
 * Drops the credentials from process.env and, on Linux, overwrites them with zero bytes in
 * the environment block the kernel shows at /proc/<pid>/environ. Returns whether that
 * block is now free of them (false where there is no /proc/self/mem to do it with).
 */
export function forgetCredentials(names: readonly string[]): boolean {
  const values = names.map((name) => process.env[name]).filter((v): v is string => !!v);
  for (const name of names) delete process.env[name];
  if (process.platform !== 'linux' || !values.length) return !values.length;
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name in parentheses; env_start is field 50 (1-based).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const envStart = Number(fields[50 - 3]);
    const block = fs.readFileSync('/proc/self/environ');
    const mem = fs.openSync('/proc/self/mem', 'r+');
    try {
      let offset = 0;
      for (const entry of block.toString('latin1').split('\0')) {
        const name = entry.slice(0, entry.indexOf('='));
        if (names.includes(name)) fs.writeSync(mem, Buffer.alloc(entry.length), 0, entry.length, envStart + offset);
        offset += Buffer.byteLength(entry, 'latin1') + 1;
      }
    } finally {
      fs.closeSync(mem);
    }
    const after = fs.readFileSync('/proc/self/environ', 'latin1');
    return values.every((value) => !after.includes(value));
  } catch {
    return false;
  }
}
