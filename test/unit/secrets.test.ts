// A scan proving API keys never reach what Rozet prints or ships (docs/ARCHITECTURE.md,
// "Security invariants"):
// CLI stdout/stderr of plan, run, health and config (keys in the environment, a scripted
// server that echoes them back in errors and answers), plans, run events and summaries,
// error messages, the environment of commands workers run, and the packaged .vsix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../support/cli-harness';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { startModelServer, type ModelServer, type Scenario } from '../support/model-server';
import { removeDir, tempDir } from '../support/run-engine-fixtures';
import { Tally } from '../support/tally';

const KEYS: Record<string, string> = {
  OPENAI_COMPATIBLE_API_KEY: 'sk-secrets-compat-0123456789abcdefghijklmn',
  OPENAI_API_KEY: 'sk-proj-secretsOpenAI0123456789abcdefghij',
  OPENROUTER_API_KEY: 'sk-or-v1-secrets0123456789abcdef0123456789abcdef',
  ANTHROPIC_API_KEY: 'sk-ant-api03-secrets0123456789abcdefghij',
  GEMINI_API_KEY: 'AIzaSecrets0123456789abcdefghijklmnopq',
  // Not key-shaped at all: only knowing it as a key can hide it.
  OLLAMA_API_KEY: 'plain-looking-ollama-credential-42',
};
const KEY = KEYS.OPENAI_COMPATIBLE_API_KEY;
// Every key-shaped token (the Redactor's shapes) and every known key.
const KEY_SHAPED = /\bsk-(?:or-v1-|ant-(?:api\d+-)?|proj-)?[A-Za-z0-9_-]{20,}|\bAIza[0-9A-Za-z_-]{30,}/;

const PLAN = {
  tasks: [
    {
      id: 't1',
      title: 'Echo keys',
      description: `Use the key ${KEY} and ${KEYS.OLLAMA_API_KEY}`,
      dependsOn: [],
      files: ['out.txt'],
    },
  ],
};
const ALL_KEYS = Object.values(KEYS).join(' ');

const SCENARIO: Scenario = {
  models: [{ id: 'm', tools: true }],
  agent: [
    {
      match: 'Echo keys',
      hasTools: true,
      steps: [
        {
          kind: 'tools',
          calls: [{ name: 'write_file', arguments: { path: 'out.txt', content: `keys: ${ALL_KEYS}` } }],
        },
        { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'out.txt' } }] },
        { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: 'env; echo "$OPENAI_API_KEY"' } }] },
        { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: `${KEY}.txt` } }] },
        { kind: 'text', text: `Finished. Keys seen: ${ALL_KEYS}` },
      ],
    },
    { hasTools: false, plan: PLAN },
  ],
};

/** Everything the command printed, with its exit code: what a leak scan must cover. */
async function cliText(args: string[], env: Record<string, string>): Promise<string> {
  const r = await cli(args, env);
  return `exit ${r.code}\n${r.stdout}\n${r.stderr}`;
}

describe('secrets: keys never leak', function () {
  this.timeout(20_000);
  const tally = new Tally('secrets');
  tally.report();
  let server: ModelServer;
  let root: string;
  let env: Record<string, string>;
  const saved = { ...process.env };
  beforeEach(async () => {
    server = await startModelServer({ scenario: SCENARIO });
    root = tempDir('rozet-secrets-');
    env = {
      ...KEYS,
      ROZET_ORCHESTRATOR_PROVIDER: 'openaiCompatible',
      ROZET_ORCHESTRATOR_BASE_URL: `${server.url}/v1`,
      ROZET_ORCHESTRATOR_MODEL: 'm',
      ROZET_WORKER_PROVIDER: 'openaiCompatible',
      ROZET_WORKER_BASE_URL: `${server.url}/v1`,
      ROZET_WORKER_MODEL: 'm',
      ROZET_WORKER_IDLE_TIMEOUT_SECONDS: '5',
    };
    // Commands inherit the real process environment: put the keys there too.
    Object.assign(process.env, KEYS);
  });
  afterEach(async () => {
    for (const name of Object.keys(KEYS)) delete process.env[name];
    Object.assign(process.env, saved);
    await server.close();
    removeDir(root);
  });

  function clean(where: string, text: string): void {
    tally.add('scanned');
    for (const [name, key] of Object.entries(KEYS)) assert.ok(!text.includes(key), `${where} contains ${name}`);
    const shaped = KEY_SHAPED.exec(text)?.[0];
    assert.equal(shaped, undefined, `${where} contains a key-shaped token`);
    tally.add('clean');
  }

  it('plan and plan --json: a plan quoting the keys prints none of them', async () => {
    clean('plan --json', await cliText(['plan', '--json', '-w', root, 'echo keys'], env));
    clean('plan', await cliText(['plan', '-w', root, 'echo keys'], env));
  });

  it('a 401 that echoes the key: plan, run and health say what is wrong without the key', async () => {
    const echo = {
      kind: 'error' as const,
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}`, key: KEY } },
      headers: { 'x-echo': KEY },
    };
    server.handle('openai.chat', () => echo);
    server.handle('openai.models', () => echo);
    const plan = await cliText(['plan', '--json', '-w', root, 'echo keys'], env);
    assert.match(plan, /rejected the API key/);
    clean('plan after 401', plan);
    const run = await cliText(['run', '--json', '--yes', '-w', root, 'echo keys'], env);
    clean('run after 401', run);
    const health = await cliText(['health', '--json', '-w', root], env);
    assert.match(health, /rejected the API key/);
    clean('health --json after 401', health);
    clean('health after 401', await cliText(['health', '-w', root], env));
  });

  it('run --json and run: events, tool results (incl. `env`), summaries and answers hold no key', async () => {
    const json = await cliText(['run', '--json', '--yes', '--approve-commands', '-w', root, 'echo keys'], env);
    assert.match(json, /"plan.finished"/);
    assert.match(json, /\[redacted\]/, 'the redactor was at work');
    assert.match(json, /\[exit code 0\] (\[rozet: [^\]]*\] )*[A-Za-z_]+=/, 'env ran and its output is in the events');
    clean('run --json', json);
    fs.rmSync(path.join(root, 'out.txt'));
    clean('run', await cliText(['run', '--yes', '--approve-commands', '-w', root, 'echo keys'], env));
    // The key did reach the server it belongs to: the scan is not vacuous.
    assert.equal(server.requests.find((r) => r.route === 'openai.chat')?.headers.authorization, `Bearer ${KEY}`);
  });

  it('config and config --json show where keys come from, never the keys', async () => {
    const text = await cliText(['config', '-w', root], env);
    assert.match(text, /OPENAI_COMPATIBLE_API_KEY/);
    clean('config', text);
    clean('config --json', await cliText(['config', '--json', '-w', root], env));
  });

  it("commands workers run never see the user's keys, tokens or secrets", async () => {
    const secrets = {
      ...KEYS,
      GITHUB_TOKEN: 'ghp_secretsToken0123456789',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-0123456789',
      MY_SERVICE_KEY: 'service-key-0123456789',
      DB_PASSWORD: 'hunter2hunter2',
      NPM_AUTH_TOKEN: 'npm-0123456789',
      ROZET_BASH_APPROVAL: 'auto',
    };
    Object.assign(process.env, secrets);
    try {
      const result = await new NodeShell(root).run('env', { timeoutMs: 5000, maxOutputBytes: 1024 * 1024 });
      assert.equal(result.exitCode, 0);
      assert.match(result.output, /^PATH=/m, 'the ordinary environment is kept');
      tally.add('scanned');
      for (const [name, value] of Object.entries(secrets)) {
        assert.ok(!result.output.includes(value), `${name} reached the command`);
      }
      tally.add('clean');
    } finally {
      for (const name of Object.keys(secrets)) delete process.env[name];
    }
  });
});
