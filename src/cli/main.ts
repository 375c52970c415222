// The `rozet` command (bundled to dist/cli.js): the same core as the extension, headless.
// First Ctrl-C cancels the work cleanly (writes are atomic, so no file is left half
// written); a second one, or one with nothing to cancel, quits at once with 130. With
// credentials in the environment, `run` and `repl` first restart without them (key-handoff.ts).
import { runCli } from './cli';
import { EXIT } from './io';
import { receiveHandedVariables, relaunchWithoutCredentials, shouldHandOff } from './key-handoff';
import { useEnvironmentProxy } from './proxy';
import { errorMessage } from '../core/text/error-message';

const argv = process.argv.slice(2);
const handed = receiveHandedVariables();
if (!handed && shouldHandOff(argv)) relaunchWithoutCredentials(argv);
else start({ ...process.env, ...handed });

function start(env: NodeJS.ProcessEnv): void {
  const handlers = new Set<() => void>();
  let pressed = 0;

  const interrupt = (): void => {
    pressed++;
    if (handlers.size === 0 || pressed > 1) process.exit(EXIT.cancelled);
    for (const handler of handlers) handler();
  };

  process.on('SIGINT', interrupt);
  // `rozet run --json | head`: a reader that went away is not an error worth a stack trace.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT.ok);
    throw error;
  });

  try {
    useEnvironmentProxy(env);
  } catch (error) {
    process.stderr.write(`rozet: ${errorMessage(error)}\n`);
    process.exit(EXIT.usage);
  }

  runCli(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env,
    cwd: process.cwd(),
    interrupt,
    onInterrupt(handler) {
      handlers.add(handler);
      pressed = 0;
      return () => {
        handlers.delete(handler);
        pressed = 0;
      };
    },
  }).then((code) => {
    // Exit explicitly: idle keep-alive sockets of the HTTP clients would hold the process open.
    process.stdout.write('', () => process.exit(code));
  });
}
