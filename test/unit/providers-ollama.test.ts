import assert from 'node:assert/strict';
import { type ChatDelta, type ChatRequest, type ModelError } from '../../src/core/model/chat';
import { callModel } from '../../src/core/model/model-call';
import { createChatModel, listModels, resolveBaseUrl, type ModelSpec } from '../../src/providers';
import { startModelServer, type ModelServer } from '../support/model-server';

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };
const WRITE_FILE = {
  name: 'write_file',
  description: 'Write a file',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

interface OllamaBody {
  model: string;
  stream: boolean;
  keep_alive?: string;
  options?: { num_ctx?: number; temperature?: number; num_predict?: number };
  tools?: Array<{ type: string; function: { name: string } }>;
  messages: unknown[];
  format?: string;
}

describe('providers: Ollama over the ollama SDK (/api/chat)', () => {
  let server: ModelServer;
  const model = (spec: Partial<ModelSpec> = {}) =>
    createChatModel({
      provider: 'ollama',
      model: 'qwen2.5-coder:14b-instruct',
      baseUrl: server.url,
      ollama: { numCtx: 32768, keepAlive: '45m' },
      ...spec,
    });
  const bodies = () => server.requests.filter((r) => r.path === '/api/chat').map((r) => r.body as OllamaBody);

  beforeEach(async () => {
    server = await startModelServer({
      scenario: {
        models: [{ id: 'qwen2.5-coder:14b-instruct', tools: true }, { id: 'gemma3:1b', tools: false }, 'old-model:7b'],
      },
    });
  });
  afterEach(() => server.close());

  it('streams NDJSON text as deltas on the native /api/chat, never /v1', async () => {
    server.script({ kind: 'text', text: 'Hello from Ollama', chunks: 5, usage: { prompt: 30, completion: 4 } });
    const deltas: ChatDelta[] = [];
    const res = await model().chat({ ...ask, onDelta: (d) => deltas.push(d) });
    assert.equal(res.content, 'Hello from Ollama');
    assert.equal(deltas.filter((d) => d.text).length, 5);
    assert.deepEqual(res.usage, { promptTokens: 30, completionTokens: 4 });
    assert.equal(res.finishReason, 'stop');
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/api/chat'],
    );
    assert.equal(bodies()[0].stream, true);
  });

  it('sends options.num_ctx and keep_alive on every request: streamed, whole, with tools, with defaults', async () => {
    server.script(
      { kind: 'text', text: 'a' },
      { kind: 'text', text: 'b' },
      { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: 'x' } }] },
      { kind: 'text', text: 'd' },
    );
    await model().chat(ask);
    await model({ streaming: false }).chat({ ...ask, temperature: 0.2, maxOutputTokens: 50, json: true });
    await model().chat({ ...ask, tools: [WRITE_FILE] });
    await createChatModel({ provider: 'ollama', model: 'qwen2.5-coder:14b-instruct', baseUrl: server.url }).chat(ask);
    const sent = bodies();
    assert.equal(sent.length, 4);
    for (const body of sent.slice(0, 3)) {
      assert.equal(body.options?.num_ctx, 32768);
      assert.equal(body.keep_alive, '45m');
    }
    assert.equal(sent[3].options?.num_ctx, 16384, 'default num_ctx');
    assert.equal(sent[3].keep_alive, '30m', 'default keep_alive');
    assert.equal(sent[1].stream, false);
    assert.deepEqual(sent[1].options, { num_ctx: 32768, temperature: 0.2, num_predict: 50 });
    assert.equal(sent[1].format, 'json');
    assert.deepEqual(
      sent[2].tools?.map((t) => [t.type, t.function.name]),
      [['function', 'write_file']],
    );
  });

  it('returns native tool calls with object arguments as JSON text, and ids where Ollama sends none', async () => {
    server.script({
      kind: 'tools',
      calls: [
        { id: '', name: 'write_file', arguments: { path: 'a.txt', content: 'x' } },
        { id: 'call_2', name: 'read_file', arguments: { path: 'b' } },
      ],
    });
    const deltas: ChatDelta[] = [];
    const res = await model().chat({ ...ask, tools: [WRITE_FILE], onDelta: (d) => deltas.push(d) });
    assert.equal(res.finishReason, 'tool_calls', 'Ollama says "stop" even when it called tools');
    assert.deepEqual(
      res.toolCalls.map((c) => [c.name, JSON.parse(c.arguments)]),
      [
        ['write_file', { path: 'a.txt', content: 'x' }],
        ['read_file', { path: 'b' }],
      ],
    );
    assert.match(res.toolCalls[0].id, /^call_[0-9a-f]{24}$/);
    assert.equal(res.toolCalls[1].id, 'call_2');
    assert.equal(deltas.filter((d) => d.toolCallFragment).length, 2);
  });

  it('sends tool turns the way Ollama wants them: arguments as objects, results with tool_name', async () => {
    server.script({ kind: 'text', text: 'done' });
    await model().chat({
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: '',
          toolCalls: [
            { id: 'c1', name: 'write_file', arguments: '{"path":"a"}' },
            { id: 'c2', name: 'list_files', arguments: 'not json' },
          ],
        },
        { role: 'tool', content: 'ok', toolCallId: 'c1', name: 'write_file' },
      ],
    });
    assert.deepEqual(bodies()[0].messages, [
      { role: 'user', content: 'go' },
      {
        role: 'assistant',
        content: '',
        tool_calls: [
          { function: { name: 'write_file', arguments: { path: 'a' } } },
          { function: { name: 'list_files', arguments: {} } },
        ],
      },
      { role: 'tool', content: 'ok', tool_name: 'write_file' },
    ]);
  });

  it('streams thinking as reasoning', async () => {
    server.script({ kind: 'text', reasoning: 'Hmm.', text: 'Yes.' });
    const reasoning: string[] = [];
    const res = await model().chat({ ...ask, onDelta: (d) => d.reasoning && reasoning.push(d.reasoning) });
    assert.equal(reasoning.join(''), 'Hmm.');
    assert.equal(res.content, 'Yes.');
  });

  it('maps done_reason length', async () => {
    server.script({ kind: 'text', text: 'cut sh', finishReason: 'length' });
    assert.equal((await model().chat(ask)).finishReason, 'length');
  });

  it('cancels a streamed and a whole answer when the signal aborts', async () => {
    server.script(
      { kind: 'text', text: 'slowly, slowly, slowly', chunks: 10, delayMs: 100 },
      { kind: 'text', text: 'late', firstTokenDelayMs: 2000, stream: false },
    );
    const streamed = new AbortController();
    await assert.rejects(
      model().chat({ ...ask, signal: streamed.signal, onDelta: () => streamed.abort() }),
      (e: ModelError) => e.kind === 'cancelled',
    );
    const whole = new AbortController();
    setTimeout(() => whole.abort(), 50);
    const started = Date.now();
    await assert.rejects(
      model({ streaming: false }).chat({ ...ask, signal: whole.signal }),
      (e: ModelError) => e.kind === 'cancelled',
    );
    assert.ok(Date.now() - started < 500, 'the non-streamed request is aborted too');
  });

  it('a cut NDJSON stream is stream_cut, and callModel retries it', async () => {
    server.script({ kind: 'text', text: 'partial answer here', chunks: 4, cutAfterChunks: 2 });
    await assert.rejects(
      model().chat(ask),
      (e: ModelError) => e.kind === 'stream_cut' && /broke off mid-stream/.test(e.message),
    );
    server.script(
      { kind: 'text', text: 'partial', chunks: 4, cutAfterChunks: 2 },
      { kind: 'text', text: 'whole answer' },
    );
    const res = await callModel(model(), ask, { retry: { baseDelayMs: 1, maxAttempts: 3 } });
    assert.equal(res.content, 'whole answer');
    assert.equal(bodies().length, 3);
  });

  it('an error line inside the NDJSON stream is mapped by its wording', async () => {
    server.script({
      kind: 'text',
      text: 'abc',
      streamError: { afterChunks: 1, message: 'model "qwen2.5-coder:14b-instruct" not found, try pulling it first' },
    });
    await assert.rejects(
      model().chat(ask),
      (e: ModelError) => e.kind === 'model_not_found' && e.message.includes('ollama pull qwen2.5-coder:14b-instruct'),
    );
  });

  it('says how to start Ollama when nothing listens at the base URL', async () => {
    const closed = await startModelServer();
    const url = closed.url;
    await closed.close();
    await assert.rejects(
      createChatModel({ provider: 'ollama', model: 'm', baseUrl: url }).chat(ask),
      (e: ModelError) =>
        e.kind === 'connection' &&
        e.message.includes(`Cannot connect to Ollama at ${url}: connection refused.`) &&
        e.message.includes('ollama serve'),
    );
  });

  it('lists models from /api/tags with tool support from /api/show', async () => {
    const listed = await listModels({ provider: 'ollama', baseUrl: server.url });
    assert.deepEqual(listed, [
      { id: 'qwen2.5-coder:14b-instruct', tools: true },
      { id: 'gemma3:1b', tools: false },
      { id: 'old-model:7b' },
    ]);
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/api/tags', '/api/show', '/api/show', '/api/show'],
    );
  });

  it('capabilities: num_ctx as context, no tools for known tool-less models', () => {
    assert.deepEqual(model().capabilities, {
      nativeTools: true,
      streaming: true,
      parallelSlots: 1,
      contextTokens: 32768,
    });
    assert.equal(model({ model: 'gemma3:1b' }).capabilities.nativeTools, false);
  });

  it('takes the server root even when the OpenAI-compatible /v1 URL is pasted', () => {
    assert.equal(resolveBaseUrl('ollama', 'http://127.0.0.1:11434/v1/'), 'http://127.0.0.1:11434');
    assert.equal(resolveBaseUrl('ollama', undefined), 'http://127.0.0.1:11434');
    assert.equal(resolveBaseUrl('openrouter', ' '), 'https://openrouter.ai/api/v1');
  });
});
