// The shared health check against the scripted model server over real HTTP: each failure
// gets a line that says what to do, no key is ever echoed, and every call is bounded.
import assert from 'node:assert/strict';
import { formatHealthReport, healthCheck, preflight, type HealthCheck, type RoleHealth } from '../../src/providers';
import { startModelServer, type ModelServer } from '../support/model-server';

const KEY = 'sk-test-health-0123456789abcdefghij';

function check(role: RoleHealth, name: HealthCheck['name']): HealthCheck {
  const found = role.checks.find((c) => c.name === name);
  assert.ok(found, `no ${name} check`);
  return found;
}

async function closedPortUrl(): Promise<string> {
  const server = await startModelServer();
  await server.close();
  return server.url;
}

describe('health check', () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({
      scenario: {
        models: [{ id: 'qwen2.5-coder:7b', tools: true }, { id: 'qwen-plain', tools: false }, 'llama3.2:latest'],
      },
    });
    // The test chat gets "OK"; the test tool call gets its tool call.
    const answer = (request: { body: unknown }) =>
      (request.body as { tools?: unknown[] }).tools?.length
        ? { kind: 'tools' as const, calls: [{ name: 'report_health', arguments: { ok: true } }] }
        : { kind: 'text' as const, text: 'OK' };
    server.handle('ollama.chat', answer);
    server.handle('openai.chat', answer);
  });
  afterEach(() => server.close());

  it('passes every check for a pulled Ollama model with tools, and accepts "name" for "name:latest"', async () => {
    const report = await healthCheck([
      { role: 'worker', spec: { provider: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: server.url } },
      { role: 'orchestrator', spec: { provider: 'ollama', model: 'llama3.2', baseUrl: server.url } },
    ]);
    assert.equal(report.ok, true, formatHealthReport(report));
    assert.deepEqual(
      report.roles[0].checks.map((c) => c.status),
      ['pass', 'pass', 'pass', 'pass', 'pass'],
    );
    assert.equal(check(report.roles[1], 'model').status, 'pass');
  });

  it('Ollama without the model: fails with the `ollama pull` command and names models that exist', async () => {
    const report = await healthCheck([
      { role: 'worker', spec: { provider: 'ollama', model: 'qwen2.5-coder:14b-instruct', baseUrl: server.url } },
    ]);
    const model = check(report.roles[0], 'model');
    assert.equal(report.ok, false);
    assert.equal(model.status, 'fail');
    assert.match(model.fix ?? '', /Run `ollama pull qwen2\.5-coder:14b-instruct`/);
    assert.match(model.fix ?? '', /qwen2\.5-coder:7b/);
    assert.equal(check(report.roles[0], 'tools').status, 'skip');
    assert.match(formatHealthReport(report), /FAIL {2}model .*\n.*fix: Run `ollama pull/);
  });

  it('a rejected key (401): the provider answered, the key fails with how to set it, and the key is never quoted', async () => {
    server.scriptRoute('openai.models', {
      kind: 'error',
      status: 401,
      body: { error: { message: `Incorrect API key provided: ${KEY}` } },
    });
    const report = await healthCheck([
      {
        role: 'orchestrator',
        spec: { provider: 'openai', model: 'gpt-4o-mini', baseUrl: `${server.url}/v1`, apiKey: KEY },
        keySource: 'environment: OPENAI_API_KEY',
      },
    ]);
    const role = report.roles[0];
    assert.equal(check(role, 'provider').status, 'pass');
    assert.equal(check(role, 'key').status, 'fail');
    assert.match(check(role, 'key').fix ?? '', /Rozet: Set API Key.*OPENAI_API_KEY/);
    assert.doesNotMatch(check(role, 'key').message, /Rozet: Set API Key/, 'the fix is said once, on its own line');
    assert.equal(check(role, 'model').status, 'skip');
    assert.ok(!JSON.stringify(report).includes(KEY), 'the key is in the report');
  });

  it('a missing key where one is required names the variable and the command', async () => {
    const report = await healthCheck([
      {
        role: 'orchestrator',
        spec: { provider: 'openrouter', model: 'qwen2.5-coder:7b', baseUrl: `${server.url}/v1` },
      },
    ]);
    const key = check(report.roles[0], 'key');
    assert.equal(key.status, 'fail');
    assert.match(key.message, /No API key is set for OpenRouter/);
    assert.match(key.fix ?? '', /OPENROUTER_API_KEY/);
  });

  it('a model the server says cannot call tools fails for a worker and is fine for the planner', async () => {
    const report = await healthCheck([
      { role: 'worker', spec: { provider: 'ollama', model: 'qwen-plain', baseUrl: server.url } },
      { role: 'orchestrator', spec: { provider: 'ollama', model: 'qwen-plain', baseUrl: server.url } },
    ]);
    assert.equal(check(report.roles[0], 'tools').status, 'fail');
    assert.match(check(report.roles[0], 'tools').fix ?? '', /tool support/);
    assert.equal(check(report.roles[1], 'tools').status, 'pass');
  });

  it('a model missing from an OpenAI-compatible list fails with models it does have', async () => {
    const report = await healthCheck([
      { role: 'worker', spec: { provider: 'openaiCompatible', model: 'nope', baseUrl: `${server.url}/v1` } },
    ]);
    const model = check(report.roles[0], 'model');
    assert.equal(model.status, 'fail');
    assert.match(model.fix ?? '', /Rozet: Switch Model.*qwen2\.5-coder:7b/);
  });

  it('nothing listening: Ollama gets "start it with `ollama serve`", the other checks are skipped', async () => {
    const url = await closedPortUrl();
    const report = await healthCheck([
      { role: 'worker', spec: { provider: 'ollama', model: 'qwen2.5-coder:7b', baseUrl: url } },
    ]);
    const provider = check(report.roles[0], 'provider');
    assert.equal(provider.status, 'fail');
    assert.match(provider.message, /Ollama is not running at http:\/\/127\.0\.0\.1:\d+/);
    assert.match(provider.fix ?? '', /`ollama serve`.*rozet\.worker\.baseUrl/);
    assert.deepEqual(
      report.roles[0].checks.slice(1).map((c) => c.status),
      ['skip', 'skip', 'skip', 'skip'],
    );
  });

  it('a server that does not answer fails within the per-check timeout', async () => {
    server.scriptRoute('ollama.tags', { kind: 'error', status: 200, body: { models: [] }, headersDelayMs: 5000 });
    const started = Date.now();
    const report = await healthCheck(
      [{ role: 'worker', spec: { provider: 'ollama', model: 'x', baseUrl: server.url } }],
      { timeoutMs: 300 },
    );
    assert.ok(Date.now() - started < 2000, 'the check outlived its timeout');
    assert.match(check(report.roles[0], 'provider').message, /did not answer within/);
  });

  it('bad configuration fails before any request, naming the setting to change', async () => {
    const report = await healthCheck([{ role: 'worker', spec: { provider: 'openaiCompatible', model: 'x' } }]);
    const provider = check(report.roles[0], 'provider');
    assert.equal(provider.status, 'fail');
    assert.match(provider.fix ?? '', /rozet\.worker\.baseUrl/);
    assert.equal(server.requests.length, 0);
  });

  it('preflight: undefined when usable; the connection, or the missing or rejected key, otherwise', async () => {
    assert.equal(
      await preflight({ role: 'worker', spec: { provider: 'ollama', model: 'x', baseUrl: server.url } }),
      undefined,
    );
    const down = await preflight({
      role: 'worker',
      spec: { provider: 'ollama', model: 'x', baseUrl: await closedPortUrl() },
    });
    assert.equal(down?.name, 'provider');
    const keyless = await preflight({
      role: 'worker',
      spec: { provider: 'openai', model: 'x', baseUrl: `${server.url}/v1` },
    });
    assert.equal(keyless?.name, 'key');
    server.load({ models: ['x'], apiKey: KEY });
    const rejected = await preflight({
      role: 'worker',
      spec: {
        provider: 'openaiCompatible',
        model: 'x',
        baseUrl: `${server.url}/v1`,
        apiKey: 'sk-wrong-0123456789abcdef',
      },
    });
    assert.equal(rejected?.name, 'key');
    assert.match(rejected?.message ?? '', /rejected the API key/);
    assert.equal(
      server.requests.filter((r) => r.route === 'openai.chat').length,
      0,
      'the pre-flight chats with nobody',
    );
  });
});
