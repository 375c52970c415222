import assert from 'node:assert/strict';
import { ModelError, type ChatDelta, type ChatRequest } from '../../src/core/model/chat';
import { callModel } from '../../src/core/model/model-call';
import { createChatModel, filterModels, listModels, ProviderConfigError, type ModelSpec } from '../../src/providers';
import { startModelServer, type ModelServer } from '../support/model-server';

const KEY = 'sk-or-v1-0123456789abcdef0123456789abcdef';
const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const WRITE_FILE = {
  name: 'write_file',
  description: 'Write a file',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
  },
};

describe('providers: OpenAI-compatible over the openai SDK', () => {
  let server: ModelServer;
  const model = (spec: Partial<ModelSpec> = {}) =>
    createChatModel({
      provider: 'openrouter',
      model: 'openai/gpt-5-nano',
      baseUrl: `${server.url}/v1`,
      apiKey: KEY,
      ...spec,
    });

  beforeEach(async () => {
    server = await startModelServer({
      scenario: {
        models: [
          { id: 'openai/gpt-5-nano', tools: true },
          { id: 'openai/text-embedding-3-small', tools: false },
          'mistral/plain',
        ],
      },
    });
  });
  afterEach(() => server.close());

  it('streams text as deltas and returns content, usage and finish reason', async () => {
    server.script({ kind: 'text', text: 'Hello from the stream', chunks: 4, usage: { prompt: 12, completion: 5 } });
    const deltas: ChatDelta[] = [];
    const res = await model().chat({ ...ask, temperature: 0, onDelta: (d) => deltas.push(d) });
    assert.equal(res.content, 'Hello from the stream');
    assert.equal(deltas.filter((d) => d.text).length, 4);
    assert.equal(deltas.map((d) => d.text ?? '').join(''), 'Hello from the stream');
    assert.deepEqual(res.usage, { promptTokens: 12, completionTokens: 5 });
    assert.equal(res.finishReason, 'stop');
    const body = server.requests[0].body as Record<string, unknown>;
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.temperature, 0);
    assert.equal(server.requests[0].path, '/v1/chat/completions');
  });

  it("asks OpenRouter for its usage accounting and returns the call's cost", async () => {
    server.script({ kind: 'text', text: 'Priced', usage: { prompt: 254, completion: 5, cost: 0.000837 } });
    const res = await model({ provider: 'openrouter' }).chat(ask);
    assert.deepEqual(res.usage, { promptTokens: 254, completionTokens: 5, cost: 0.000837 });
    assert.deepEqual((server.requests[0].body as Record<string, unknown>).usage, { include: true });
  });

  it('replays a recorded OpenRouter stream whose usage chunk carries the cost', async () => {
    server.script({ kind: 'fixture', file: 'openrouter-sse-processing-usage-1.txt' });
    const res = await model({ provider: 'openrouter' }).chat(ask);
    assert.equal(res.usage?.cost, 0.000837);
  });

  it('does not send OpenRouter-only fields to other providers', async () => {
    server.script({ kind: 'text', text: 'Plain' });
    await model({ provider: 'openai' }).chat(ask);
    assert.equal((server.requests[0].body as Record<string, unknown>).usage, undefined);
  });

  it('answers without streaming when streaming is off', async () => {
    server.script({
      kind: 'tools',
      text: 'Writing.',
      calls: [{ id: 'call_a', name: 'write_file', arguments: { path: 'a.txt', content: 'x' } }],
    });
    const deltas: ChatDelta[] = [];
    const res = await model({ streaming: false }).chat({ ...ask, tools: [WRITE_FILE], onDelta: (d) => deltas.push(d) });
    assert.equal((server.requests[0].body as { stream?: boolean }).stream, false);
    assert.equal(res.content, 'Writing.');
    assert.deepEqual(res.toolCalls, [
      { id: 'call_a', name: 'write_file', arguments: '{"path":"a.txt","content":"x"}' },
    ]);
    assert.equal(res.finishReason, 'tool_calls');
    assert.deepEqual(deltas, [{ text: 'Writing.' }]);
  });

  it('assembles tool calls whose arguments are split across many chunks, in index order', async () => {
    const args = { path: 'src/ünïcode 🙂.ts', content: 'export const x = "a\\nb";\n' };
    server.script({
      kind: 'tools',
      chunks: 7,
      calls: [
        { name: 'write_file', arguments: args },
        { id: 'call_2', name: 'read_file', arguments: { path: 'b.txt' } },
      ],
    });
    const deltas: ChatDelta[] = [];
    const res = await model().chat({ ...ask, tools: [WRITE_FILE], onDelta: (d) => deltas.push(d) });
    assert.equal(res.toolCalls.length, 2);
    assert.deepEqual(JSON.parse(res.toolCalls[0].arguments), args);
    assert.equal(res.toolCalls[1].id, 'call_2');
    assert.equal(res.toolCalls[1].name, 'read_file');
    assert.ok(deltas.filter((d) => d.toolCallFragment).length >= 14, 'every tool-call fragment reaches onDelta');
    const sent = server.requests[0].body as { tools: Array<{ type: string; function: { name: string } }> };
    assert.deepEqual(
      sent.tools.map((t) => [t.type, t.function.name]),
      [['function', 'write_file']],
    );
  });

  it('streams reasoning separately from the answer', async () => {
    server.script({ kind: 'text', reasoning: 'Let me think.', text: 'Answer.' });
    const reasoning: string[] = [];
    const res = await model().chat({ ...ask, onDelta: (d) => d.reasoning && reasoning.push(d.reasoning) });
    assert.equal(reasoning.join(''), 'Let me think.');
    assert.equal(res.content, 'Answer.');
  });

  it('reports finish_reason length so a half-written tool call is never applied', async () => {
    server.script({
      kind: 'tools',
      finishReason: 'length',
      calls: [{ name: 'write_file', arguments: '{"path":"a.txt","content":"trunc' }],
    });
    const res = await model().chat({ ...ask, tools: [WRITE_FILE] });
    assert.equal(res.finishReason, 'length');
  });

  it('sends the conversation, tools, JSON mode and token limit in the shape each provider expects', async () => {
    server.script({ kind: 'text', text: '{}' }, { kind: 'text', text: '{}' }, { kind: 'text', text: '{}' });
    const messages: ChatRequest['messages'] = [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'do it' },
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'write_file', arguments: '{"path":"a"}' }] },
      { role: 'tool', content: 'ok', toolCallId: 'c1', name: 'write_file' },
    ];
    await model().chat({ messages, json: true, maxOutputTokens: 100, temperature: 0 });
    await createChatModel({
      provider: 'openai',
      model: 'gpt-5-mini',
      baseUrl: `${server.url}/v1`,
      apiKey: 'sk-test-openai-key-000000000000',
    }).chat({ ...ask, json: true, maxOutputTokens: 100, temperature: 0 });
    await createChatModel({
      provider: 'anthropic',
      model: 'claude-haiku-4-5',
      baseUrl: `${server.url}/v1`,
      apiKey: 'sk-ant-test',
    }).chat({ ...ask, json: true, temperature: 0 });
    const [openrouter, openai, anthropic] = server.requests.map((r) => r.body as Record<string, unknown>);
    assert.deepEqual(openrouter.messages, [
      { role: 'system', content: 'sys' },
      { role: 'user', content: 'do it' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [{ id: 'c1', type: 'function', function: { name: 'write_file', arguments: '{"path":"a"}' } }],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'ok' },
    ]);
    assert.deepEqual(openrouter.response_format, { type: 'json_object' });
    assert.equal(openrouter.max_tokens, 100);
    assert.equal(openai.max_completion_tokens, 100);
    assert.equal(openai.max_tokens, undefined);
    assert.equal(openai.temperature, undefined, 'gpt-5 models reject a temperature');
    assert.equal(anthropic.response_format, undefined);
    assert.equal(anthropic.temperature, 0);
  });

  it('sends OpenRouter its HTTP-Referer and X-Title headers and the key as a bearer token', async () => {
    server.script({ kind: 'text', text: 'ok' });
    await model({ appName: 'Rozet Test' }).chat(ask);
    const { headers } = server.requests[0];
    assert.equal(headers['http-referer'], 'https://github.com/rozet-dev/rozet');
    assert.equal(headers['x-title'], 'Rozet Test');
    assert.equal(headers.authorization, `Bearer ${KEY}`);
  });

  it('sends no Authorization and no OpenAI account headers from the environment to a keyless server', async () => {
    const saved = { org: process.env.OPENAI_ORG_ID, key: process.env.OPENAI_API_KEY };
    process.env.OPENAI_ORG_ID = 'org-should-not-leak';
    process.env.OPENAI_API_KEY = 'sk-should-not-leak-000000000000000000';
    try {
      server.script({ kind: 'text', text: 'ok' });
      await createChatModel({ provider: 'openaiCompatible', model: 'local', baseUrl: `${server.url}/v1` }).chat(ask);
      const { headers } = server.requests[0];
      assert.equal(headers.authorization, undefined);
      assert.equal(headers['openai-organization'], undefined);
      await assert.rejects(
        createChatModel({ provider: 'openrouter', model: 'x', baseUrl: `${server.url}/v1` }).chat(ask),
        (e: ModelError) => e.kind === 'auth' && /OPENROUTER_API_KEY/.test(e.message),
      );
      assert.equal(server.requests.length, 1, 'no request is made without the provider key');
    } finally {
      restoreEnv('OPENAI_ORG_ID', saved.org);
      restoreEnv('OPENAI_API_KEY', saved.key);
    }
  });

  it('lists models from /models with their tool support, and filters them with rozet.models.exclude globs', async () => {
    const listed = await listModels({ provider: 'openrouter', baseUrl: `${server.url}/v1`, apiKey: KEY });
    assert.deepEqual(listed, [
      { id: 'openai/gpt-5-nano', tools: true },
      { id: 'openai/text-embedding-3-small', tools: false },
      { id: 'mistral/plain' },
    ]);
    assert.equal(server.requests[0].path, '/v1/models');
    assert.deepEqual(
      filterModels(listed, ['*embed*']).map((m) => m.id),
      ['openai/gpt-5-nano', 'mistral/plain'],
    );
    assert.deepEqual(
      filterModels(['openai/gpt-3.5-turbo', 'openai/gpt-4o', 'nomic-embed-text'], ['openai/gpt-3.5*', '*EMBED*']),
      ['openai/gpt-4o'],
    );
    assert.deepEqual(filterModels(['a', 'b'], ['', '  ']), ['a', 'b']);
  });

  it('cancels mid-stream when the signal aborts', async () => {
    server.script({ kind: 'text', text: 'a long answer that takes a while', chunks: 10, delayMs: 100 });
    const controller = new AbortController();
    const started = Date.now();
    const pending = model().chat({ ...ask, signal: controller.signal, onDelta: () => controller.abort() });
    await assert.rejects(pending, (e: ModelError) => e.kind === 'cancelled');
    assert.ok(Date.now() - started < 500);
  });

  it('keeps a slow but streaming answer and gives up on a stalled one (idle timeout, not total time)', async () => {
    server.script({ kind: 'text', text: 'slow but steady wins', chunks: 6, delayMs: 100 });
    const slow = await callModel(model(), ask, { idleTimeoutMs: 600, retry: { maxAttempts: 1 } });
    assert.equal(slow.content, 'slow but steady wins');

    server.script({
      kind: 'text',
      text: 'stalls after the first words',
      chunks: 4,
      stall: { afterChunks: 2, ms: 2000 },
    });
    const started = Date.now();
    await assert.rejects(
      callModel(model(), ask, { idleTimeoutMs: 600, retry: { maxAttempts: 1 } }),
      (e: ModelError) => e.kind === 'timeout' && /sent nothing for/.test(e.message),
    );
    assert.ok(Date.now() - started < 1800, 'the stall is detected by silence');
  });

  it('waits for a late first token when the idle timeout allows it', async () => {
    server.script({ kind: 'text', text: 'finally', firstTokenDelayMs: 150 });
    assert.equal((await callModel(model(), ask, { idleTimeoutMs: 400, retry: { maxAttempts: 1 } })).content, 'finally');
  });

  it('rejects bad configuration before any request, with the setting to fix', () => {
    const bad: Array<[Partial<ModelSpec>, RegExp, string]> = [
      [
        { provider: 'bogus' as ModelSpec['provider'] },
        /Unknown provider "bogus".*ollama, openai, openrouter/,
        'provider',
      ],
      [{ baseUrl: 'localhost:1234/v1' }, /must start with http/, 'baseUrl'],
      [{ baseUrl: 'http://' }, /not a valid base URL/, 'baseUrl'],
      [{ provider: 'openaiCompatible', baseUrl: '' }, /needs a base URL/, 'baseUrl'],
      [{ model: '  ' }, /No model is set/, 'model'],
      [{ baseUrl: 'https://user:secretpass@example.com/v1' }, /contains credentials/, 'baseUrl'],
    ];
    for (const [spec, message, setting] of bad) {
      assert.throws(
        () => model(spec),
        (e: ProviderConfigError) =>
          e instanceof ProviderConfigError &&
          message.test(e.message) &&
          e.setting === setting &&
          !e.message.includes('secretpass'),
      );
    }
  });

  it('knows capabilities per provider and model', () => {
    assert.deepEqual(model().capabilities, {
      nativeTools: true,
      streaming: true,
      parallelSlots: 8,
      contextTokens: 400_000,
    });
    assert.equal(
      createChatModel({ provider: 'anthropic', model: 'claude-sonnet-4-5', apiKey: 'k' }).capabilities.contextTokens,
      200_000,
    );
    assert.equal(
      createChatModel({ provider: 'openaiCompatible', model: 'm', baseUrl: 'http://localhost:1234/v1' }).capabilities
        .parallelSlots,
      1,
    );
  });
});

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
