// Starts code-server (VS Code 1.139 server) on a free loopback port with a throw-away
// profile, and guarantees its whole process tree (server, extension host, pty host)
// is gone when the test process ends, however it ends.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants } from 'node:os';
import { join } from 'node:path';
import { findVsCodeInstall, testResultsDir } from './paths';
import { createSandbox, type Sandbox, type SandboxOptions } from './sandbox';

export interface CodeServerOptions extends SandboxOptions {
  /** Names the temp folder and the log file (test-results/<label>-code-server.log). */
  label: string;
  /** .vsix files installed into the sandbox's extensions-dir before the server starts. */
  vsix?: string[];
  /**
   * Honour extensionDevelopmentPath / extensionTestsPath in the workbench URL's payload.
   * A built web workbench ignores them unless the server enables its smoke-test driver.
   */
  extensionTests?: boolean;
  /**
   * What the window opens: the sandbox workspace folder (default), a `.code-workspace`
   * file in it (`{ workspaceFile: 'path/relative/to/workspaceDir' }`), or `'empty'`:
   * a window with no folder.
   */
  open?: { workspaceFile: string } | 'empty';
}

export interface CodeServer {
  sandbox: Sandbox;
  port: number;
  /** The server's log: its stdout and stderr, which include the extension host's. */
  logFile: string;
  /**
   * The workbench with the sandbox workspace open (or what `open` says). `payload` entries are VS Code's
   * window payload (extensionDevelopmentPath, extensionTestsPath, extensionEnvironment…).
   */
  workbenchUrl(payload?: ReadonlyArray<readonly [string, string]>): string;
  /** A path on the server's machine as the browser workbench addresses it. */
  remoteUri(path: string): string;
  stop(): Promise<void>;
}

const host = '127.0.0.1';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** The environment minus what would leak the caller's own VS Code or Node setup into the server. */
function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('VSCODE_') || key === 'NODE_OPTIONS' || key === 'ELECTRON_RUN_AS_NODE') continue;
    env[key] = value;
  }
  return env;
}

let exitOnSignals = false;
/** Ctrl-C or a CI timeout would otherwise end Node without its 'exit' event, where servers are killed. */
function ensureExitOnSignals(): void {
  if (exitOnSignals) return;
  exitOnSignals = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => process.exit(128 + constants.signals[signal]));
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the process group made by `detached`, so the extension host and the
    // pty host the server forked go too.
    process.kill(-child.pid, signal);
  } catch {
    // The whole group is already gone.
  }
}

async function waitForHealth(port: number, child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}) before it served; see ${logFile}`);
    }
    try {
      const response = await fetch(`http://${host}:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms; see ${logFile}`);
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const install = findVsCodeInstall();
  const sandbox = createSandbox(options.label, options);
  const profileArgs = [`--user-data-dir=${sandbox.userDataDir}`, `--extensions-dir=${sandbox.extensionsDir}`];
  for (const vsix of options.vsix ?? []) {
    execFileSync(install.node, [install.codeServer, ...profileArgs, '--force', '--install-extension', vsix], {
      env: serverEnv(),
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }

  mkdirSync(testResultsDir, { recursive: true });
  const logFile = join(testResultsDir, `${options.label}-code-server.log`);
  const log = openSync(logFile, 'w');
  const port = await freePort();
  // What the server opens at `/` and the workbench URL's query opens.
  const opened: { arg?: string; query: Record<string, string> } =
    options.open === 'empty'
      ? { query: { ew: 'true' } }
      : options.open
        ? {
            arg: join(sandbox.workspaceDir, options.open.workspaceFile),
            query: { workspace: join(sandbox.workspaceDir, options.open.workspaceFile) },
          }
        : { arg: sandbox.workspaceDir, query: { folder: sandbox.workspaceDir } };
  const child = spawn(
    install.node,
    [
      install.codeServer,
      ...profileArgs,
      `--bind-addr=${host}:${port}`,
      '--auth=none',
      // Its own config file: code-server otherwise writes ~/.config/code-server/config.yaml.
      `--config=${join(sandbox.root, 'config.yaml')}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      ...(options.extensionTests ? ['--vscode-option=enable-smoke-test-driver'] : []),
      ...(opened.arg ? [opened.arg] : []),
    ],
    { detached: true, stdio: ['ignore', log, log], env: serverEnv() },
  );
  const onExit = (): void => {
    killTree(child, 'SIGKILL');
    sandbox.remove();
  };
  process.once('exit', onExit);
  ensureExitOnSignals();

  const stop = async (): Promise<void> => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      killTree(child, 'SIGTERM');
      const timer = setTimeout(() => killTree(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    // The group may outlive its leader (an extension host finishing a shutdown).
    killTree(child, 'SIGKILL');
    sandbox.remove();
  };

  try {
    await waitForHealth(port, child, logFile, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    sandbox,
    port,
    logFile,
    workbenchUrl: (payload) => {
      const query = new URLSearchParams(opened.query);
      if (payload && payload.length > 0) query.set('payload', JSON.stringify(payload));
      return `http://${host}:${port}/?${query.toString()}`;
    },
    remoteUri: (path) => `vscode-remote://${host}:${port}${path}`,
    stop,
  };
}
