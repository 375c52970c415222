// The health check chats: a listing that answers proves little (a server whose chat
// endpoint answers 405 used to pass), so each role sends one tiny chat request, and one
// tool call where the provider claims tools, each with its time. Shared by `rozet health`
// and "Rozet: Health Check", whose fixes are worded for their host.
import assert from 'node:assert/strict';
import { formatHealthReport, healthCheck, type HealthCheck, type RoleHealth } from '../../src/providers';
import { startModelServer, type ModelServer } from '../support/model-server';

function check(role: RoleHealth, name: string): HealthCheck {
  const found = role.checks.find((c) => c.name === name);
  assert.ok(found, `no ${name} check in ${role.checks.map((c) => c.name).join(', ')}`);
  return found;
}

const openai = (server: ModelServer, model: string) => ({
  provider: 'openaiCompatible' as const,
  model,
  baseUrl: `${server.url}/v1`,
});

describe('health check: chat and tools', () => {
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({
      scenario: { models: [{ id: 'worker', tools: true }, { id: 'planner' }], default: { kind: 'text', text: 'OK' } },
    });
  });
  afterEach(() => server.close());

  it('a chat endpoint answering 405 fails the chat check, even though the model list answered', async () => {
    server.handle('openai.chat', () => ({ kind: 'error', status: 405, body: 'Method Not Allowed' }));
    const report = await healthCheck([{ role: 'orchestrator', spec: openai(server, 'planner') }]);
    assert.equal(report.ok, false, formatHealthReport(report));
    assert.equal(check(report.roles[0], 'provider').status, 'pass');
    const chat = check(report.roles[0], 'chat');
    assert.equal(chat.status, 'fail');
    assert.match(chat.message, /405/);
  });

  it('every check that ran has its time; the chat and the tool call are real requests', async () => {
    server.handle('openai.chat', (request) =>
      (request.body as { tools?: unknown[] }).tools?.length
        ? { kind: 'tools', calls: [{ name: 'report_health', arguments: { ok: true } }] }
        : { kind: 'text', text: 'OK' },
    );
    const report = await healthCheck([{ role: 'worker', spec: openai(server, 'worker') }]);
    assert.equal(report.ok, true, formatHealthReport(report));
    const role = report.roles[0];
    assert.deepEqual(
      role.checks.map((c) => c.name),
      ['provider', 'key', 'model', 'chat', 'tools'],
    );
    for (const c of role.checks.filter((c) => ['provider', 'chat', 'tools'].includes(c.name)))
      assert.equal(typeof c.durationMs, 'number', `${c.name} has no time`);
    assert.match(check(role, 'tools').message, /called/);
    const chats = server.requests.filter((r) => r.route === 'openai.chat');
    assert.equal(chats.length, 2, 'one chat, one tool call');
    assert.match(formatHealthReport(report), /chat +\d+(\.\d)? s  Answered "OK"/);
  });

  it('a model that answers the tool request in prose is a warning; a server refusing tools fails the worker', async () => {
    const prose = await healthCheck([{ role: 'worker', spec: openai(server, 'worker') }]);
    assert.equal(check(prose.roles[0], 'tools').status, 'warn');

    server.handle('openai.chat', (request) =>
      (request.body as { tools?: unknown[] }).tools?.length
        ? { kind: 'error', status: 400, body: { error: { message: 'this model does not support tools' } } }
        : { kind: 'text', text: 'OK' },
    );
    const refused = await healthCheck([{ role: 'worker', spec: openai(server, 'worker') }]);
    assert.equal(check(refused.roles[0], 'tools').status, 'fail');
  });

  it('a key held back from a workspace base URL is reported as held back and why, not as missing', async () => {
    const report = await healthCheck([
      {
        role: 'worker',
        spec: { provider: 'openai', model: 'worker', baseUrl: `${server.url}/v1` },
        keySource: 'environment: OPENAI_API_KEY',
        keyHeldBack: 'rozet.worker.baseUrl comes from .rozet.yaml',
      },
    ]);
    const key = check(report.roles[0], 'key');
    assert.equal(key.status, 'fail');
    assert.match(key.message, /held back/);
    assert.match(key.message, /\.rozet\.yaml/);
    assert.doesNotMatch(key.message, /No API key is set/);
    assert.equal(server.requests.filter((r) => r.headers.authorization).length, 0, 'the held-back key was never sent');
  });

  it('fixes are worded for the host: variables and flags in the CLI, commands in VS Code', async () => {
    const spec = { provider: 'openai' as const, model: 'nope', baseUrl: `${server.url}/v1` };
    const [cli, vscode] = await Promise.all([
      healthCheck([{ role: 'worker', spec: { ...spec, host: 'cli' as const } }]),
      healthCheck([{ role: 'worker', spec: { ...spec, host: 'vscode' as const } }]),
    ]);
    const cliText = formatHealthReport(cli);
    const vscodeText = formatHealthReport(vscode);
    assert.match(cliText, /OPENAI_API_KEY/);
    assert.doesNotMatch(cliText, /Rozet: Set API Key/);
    assert.match(vscodeText, /Rozet: Set API Key/);
  });
});
