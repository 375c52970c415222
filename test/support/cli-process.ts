// The real `rozet` entry point as a process (src/cli/main.ts through tsx), for what only a
// process has: its own environment, /proc entries, PATH and exit code. The test runner's
// own keys and ROZET_* settings are never passed on.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { cleanEnv } from './cli-harness';
import type { Scenario } from './model-server';

const REPO = path.resolve(__dirname, '..', '..');

export interface CliProcessResult {
  pid: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCliProcess(args: readonly string[], env: Record<string, string>): Promise<CliProcessResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: REPO,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ pid: child.pid ?? -1, code, stdout, stderr })));
}

/** Any request plans one task titled `title`, whose worker runs `command` once and answers. */
export function oneCommandScenario(title: string, command: string): Scenario {
  return {
    models: [{ id: 'm', tools: true }],
    agent: [
      {
        match: title,
        hasTools: true,
        steps: [
          { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command } }] },
          { kind: 'text', text: 'Done.' },
        ],
      },
      { hasTools: false, plan: { tasks: [{ id: 't1', title, description: '', dependsOn: [], files: [] }] } },
    ],
  };
}
