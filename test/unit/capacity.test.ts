// How many requests a model server takes at once, found without being told, through the
// real SDKs over HTTP against a scripted server that serves K requests at a time and
// queues the rest unanswered, as Ollama (OLLAMA_NUM_PARALLEL) and llama.cpp (--parallel) do.
import assert from 'node:assert/strict';
import { describeEndpoint } from '../../src/core/model/endpoint-status';
import { ModelError, type ChatRequest, type ProviderName } from '../../src/core/model/chat';
import { callModel } from '../../src/core/model/model-call';
import { ModelPools } from '../../src/providers';
import { startModelServer, type ModelServer, type Reply } from '../support/model-server';
import { closedPortUrl } from '../support/ports';

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
// Long enough that requests served at once overlap for certain, short enough for a unit test.
const STREAM: Reply = { kind: 'text', text: 'one two three four five', chunks: 5, delayMs: 40 };

/** `tasks` callers each making `calls` requests one after another, all at once. */
async function load(model: Parameters<typeof callModel>[0], tasks: number, calls: number): Promise<void> {
  await Promise.all(
    Array.from({ length: tasks }, async (_, t) => {
      for (let c = 0; c < calls; c++) {
        const response = await callModel(model, ask, { idleTimeoutMs: 10_000, affinity: `t${t}` });
        assert.equal(response.content, 'one two three four five');
      }
    }),
  );
}

for (const provider of ['ollama', 'openaiCompatible'] as const satisfies readonly ProviderName[]) {
  describe(`capacity: "auto" finds a ${provider} server's parallel slots`, function () {
    this.timeout(30_000);
    let server: ModelServer;
    const baseUrl = () => (provider === 'ollama' ? server.url : `${server.url}/v1`);
    beforeEach(async () => {
      server = await startModelServer({});
    });
    afterEach(() => server.close());

    for (const slots of [1, 2, 4]) {
      it(`K = ${slots}: reaches ${slots} at once, never leaves more than one request waiting at the server`, async () => {
        server.load({ slots, default: STREAM, models: ['m'] });
        const model = new ModelPools().get({ provider, model: 'm', baseUrl: baseUrl() });
        await load(model, 8, 2);
        const stats = server.slotStats()!;
        assert.equal(stats.maxServing, slots, 'the server served as many at once as it can');
        assert.ok(stats.maxWaiting <= 1, `at most one request waited in the server's queue (was ${stats.maxWaiting})`);
        const [endpoint] = model.gate.status();
        assert.equal(endpoint.slots, slots, describeEndpoint(endpoint));
        assert.equal(stats.served, 16);
      });
    }

    it('a server that takes everything: grows to the demand (8 at once) and leaves nothing waiting', async () => {
      server.load({ slots: 1000, default: { ...STREAM, delayMs: 80 }, models: ['m'] });
      const model = new ModelPools().get({ provider, model: 'm', baseUrl: baseUrl() });
      await load(model, 8, 10);
      const stats = server.slotStats()!;
      assert.equal(stats.maxServing, 8);
      assert.equal(stats.maxWaiting, 0);
      assert.ok(model.gate.status()[0].slots >= 8);
    });

    it('a number is obeyed as given, even where the server could take more', async () => {
      server.load({ slots: 8, default: STREAM, models: ['m'] });
      const model = new ModelPools().get({ provider, model: 'm', baseUrl: baseUrl(), parallelRequests: 3 });
      await load(model, 8, 2);
      assert.equal(server.slotStats()!.maxServing, 3);
      assert.equal(model.gate.status()[0].source, 'configured');
    });
  });
}

describe('capacity: servers that say how many they take, and cloud providers', function () {
  this.timeout(30_000);
  let server: ModelServer;
  beforeEach(async () => {
    server = await startModelServer({});
  });
  afterEach(() => server.close());

  it("asks llama.cpp's /props for total_slots and uses them without probing", async () => {
    server.load({ slots: 3, slotsReported: true, default: STREAM, models: ['m'] });
    const model = new ModelPools().get({ provider: 'openaiCompatible', model: 'm', baseUrl: `${server.url}/v1` });
    await load(model, 6, 2);
    const stats = server.slotStats()!;
    assert.equal(stats.maxServing, 3);
    assert.equal(stats.maxWaiting, 0, 'no request had to be sent to find the limit');
    assert.deepEqual(
      server.requests.filter((r) => r.path === '/props').map((r) => r.method),
      ['GET'],
      'asked once, at the server root',
    );
    assert.equal(model.gate.status()[0].source, 'reported');
  });

  it('learns from a server that answers headers at once and queues before the first token (vLLM-like)', async () => {
    server.load({ slots: 2, queueAfterHeaders: true, default: STREAM, models: ['m'] });
    const model = new ModelPools().get({ provider: 'openaiCompatible', model: 'm', baseUrl: `${server.url}/v1` });
    await load(model, 6, 2);
    assert.equal(model.gate.status()[0].slots, 2);
    assert.ok(server.slotStats()!.maxWaiting <= 1);
  });

  it('keeps the cloud cap for cloud providers', () => {
    const model = new ModelPools().get({ provider: 'openrouter', model: 'x/y', apiKey: 'k' });
    const [endpoint] = model.gate.status();
    assert.equal(endpoint.source, 'provider');
    assert.equal(endpoint.slots, 8);
  });

  it('a request waiting for a free slot is cancelled at once', async () => {
    server.load({ default: { ...STREAM, delayMs: 300 }, models: ['m'] });
    const model = new ModelPools().get({
      provider: 'openaiCompatible',
      model: 'm',
      baseUrl: `${server.url}/v1`,
      parallelRequests: 1,
    });
    const first = callModel(model, ask);
    const controller = new AbortController();
    const second = callModel(model, { ...ask, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    controller.abort();
    await assert.rejects(second, (e: ModelError) => e.kind === 'cancelled');
    assert.ok(Date.now() - started < 200);
    await first;
    assert.equal(
      server.requests.filter((r) => r.route === 'openai.chat').length,
      1,
      'the cancelled one was never sent',
    );
  });

  it('the wait for a slot is not counted against the first-token or idle timeout', async () => {
    server.load({ default: { ...STREAM, delayMs: 150 }, models: ['m'] });
    const model = new ModelPools().get({
      provider: 'openaiCompatible',
      model: 'm',
      baseUrl: `${server.url}/v1`,
      parallelRequests: 1,
    });
    // Each call streams for ~750 ms; the fourth waits over 2 s for its slot, far over 1 s.
    const calls = [0, 1, 2, 3].map(() => callModel(model, ask, { idleTimeoutMs: 1000, firstTokenTimeoutMs: 1000 }));
    const answers = await Promise.all(calls);
    assert.deepEqual(
      answers.map((a) => a.content),
      Array(4).fill('one two three four five'),
    );
  });
});

describe('capacity: several endpoints serving one model', function () {
  this.timeout(30_000);
  let a: ModelServer;
  let b: ModelServer;
  beforeEach(async () => {
    a = await startModelServer({ scenario: { slots: 1, default: STREAM, models: ['m'] } });
    b = await startModelServer({ scenario: { slots: 1, default: STREAM, models: ['m'] } });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
  });

  const served = (server: ModelServer) => server.requests.filter((r) => r.route === 'ollama.chat').length;

  it('spreads requests over both by free slots', async () => {
    const model = new ModelPools().get({
      provider: 'ollama',
      model: 'm',
      baseUrl: a.url,
      endpoints: [{ baseUrl: b.url }],
    });
    await load(model, 4, 2);
    assert.equal(a.slotStats()!.maxServing, 1);
    assert.equal(b.slotStats()!.maxServing, 1);
    assert.ok(served(a) >= 2 && served(b) >= 2, `a served ${served(a)}, b ${served(b)}`);
    assert.deepEqual(
      model.gate.status().map((s) => s.slots),
      [1, 1],
    );
  });

  it('an endpoint that refuses connections is set aside with the reason, and no request fails', async () => {
    const dead = await closedPortUrl();
    const model = new ModelPools().get({
      provider: 'ollama',
      model: 'm',
      baseUrl: dead,
      endpoints: [{ baseUrl: b.url }],
    });
    await load(model, 4, 2);
    assert.equal(served(b), 8);
    const down = model.gate.status().find((s) => s.url === dead);
    assert.ok(down?.down, 'the dead endpoint is set aside');
    assert.match(describeEndpoint(down), /set aside: .*(connect|refused|running)/i);
  });

  it('an endpoint without the model is set aside, and the other serves', async () => {
    a.load({ slots: 1, default: STREAM, models: ['other'] });
    a.handle('ollama.chat', () => ({ kind: 'error', status: 404, body: { error: "model 'm' not found" } }));
    const model = new ModelPools().get({
      provider: 'ollama',
      model: 'm',
      baseUrl: a.url,
      endpoints: [{ baseUrl: b.url }],
    });
    await load(model, 3, 2);
    const status = model.gate.status();
    assert.match(status[0].down?.reason ?? '', /does not have the model "m"/);
    assert.equal(status[1].down, undefined);
  });

  it('every endpoint down: the request fails with the real error, it does not hang', async () => {
    const dead1 = await closedPortUrl();
    const dead2 = await closedPortUrl();
    const model = new ModelPools().get({
      provider: 'ollama',
      model: 'm',
      baseUrl: dead1,
      endpoints: [{ baseUrl: dead2 }],
    });
    await assert.rejects(
      callModel(model, ask, { retry: { maxAttempts: 2, baseDelayMs: 1 } }),
      (e: ModelError) => e.kind === 'connection' && /Ollama/.test(e.message),
    );
  });
});
