import assert from 'node:assert/strict';
import { ModelError, type ChatRequest, type ModelErrorKind } from '../../src/core/model/chat';
import { callModel } from '../../src/core/model/model-call';
import { createChatModel, mapTransportError, parseRetryAfter, type ModelSpec } from '../../src/providers';
import { startModelServer, type ModelServer, type Reply } from '../support/model-server';

const KEY = 'sk-or-v1-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

interface Case {
  name: string;
  spec?: Partial<ModelSpec>;
  reply: Reply;
  kind: ModelErrorKind;
  says: RegExp[];
  status?: number;
  retryAfterMs?: number;
  fix?: ModelError['details']['fix'];
}

const CASES: Case[] = [
  {
    name: 'OpenRouter 401 "User not found"',
    reply: { kind: 'error', status: 401, fixture: 'openrouter-401-user-not-found.json' },
    kind: 'auth',
    says: [/^OpenRouter rejected the API key \(401: User not found\.\)/, /Rozet: Set API Key/, /OPENROUTER_API_KEY/],
    status: 401,
    fix: { kind: 'apiKey', provider: 'openrouter' },
  },
  {
    name: 'OpenRouter 401 without usable credentials',
    reply: { kind: 'error', status: 401, fixture: 'openrouter-401-no-cookie-auth.json' },
    kind: 'auth',
    says: [/OpenRouter received no usable API key/, /OPENROUTER_API_KEY/],
  },
  {
    name: 'OpenAI 401 quoting the key back',
    spec: { provider: 'openai', model: 'gpt-4o' },
    reply: {
      kind: 'error',
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    },
    kind: 'auth',
    says: [/OpenAI rejected the API key/, /\[redacted\]/, /OPENAI_API_KEY/],
  },
  {
    name: '403',
    reply: { kind: 'error', status: 403, body: { error: { message: 'Forbidden' } } },
    kind: 'auth',
    says: [/rejected the API key \(403: Forbidden\)/],
  },
  {
    name: 'OpenRouter 402 insufficient credits',
    reply: { kind: 'error', status: 402, fixture: 'openrouter-402-insufficient-credits.json' },
    kind: 'credits',
    says: [
      /lack of credits/,
      /requires more credits/,
      /https:\/\/openrouter\.ai\/settings\/credits/,
      /Rozet: Switch Model/,
    ],
    fix: { kind: 'model' },
  },
  {
    name: 'OpenAI 404 model_not_found, with models that exist',
    spec: { provider: 'openai', model: 'gpt-5.2-proo' },
    reply: { kind: 'error', status: 404, fixture: 'openai-404-model-not-found.json' },
    kind: 'model_not_found',
    says: [
      /Model "gpt-5\.2-proo" was not found on OpenAI/,
      /does not exist or you do not have access/,
      /Available models include: gpt-5\.2-pro, /,
    ],
  },
  {
    name: 'a 404 that is not about a model (wrong base URL)',
    spec: { provider: 'openaiCompatible', model: 'local' },
    reply: { kind: 'error', status: 404, body: '404 page not found' },
    kind: 'method_not_allowed',
    says: [/does not serve the chat endpoint/, /usually end in \/v1/],
    fix: { kind: 'setting', key: 'rozet.worker.baseUrl' },
  },
  {
    name: '405',
    spec: { provider: 'openaiCompatible', model: 'local' },
    reply: { kind: 'error', status: 405, body: 'Method Not Allowed' },
    kind: 'method_not_allowed',
    says: [/405/, /base URL is probably wrong/],
  },
  {
    name: 'OpenAI 400 unsupported parameter',
    spec: { provider: 'openai', model: 'o3-mini' },
    reply: { kind: 'error', status: 400, fixture: 'openai-400-unsupported-parameter.json' },
    kind: 'bad_request',
    says: [/OpenAI rejected the request for "o3-mini"/, /Use 'max_completion_tokens' instead/],
  },
  {
    name: 'Groq 400 tool_use_failed',
    spec: { provider: 'openaiCompatible', model: 'openai/gpt-oss-120b' },
    reply: { kind: 'error', status: 400, fixture: 'groq-400-tool-use-failed-gptoss.json' },
    kind: 'bad_request',
    says: [/wrote a tool call that did not match the tool's schema/, /missing properties: 'name'/],
  },
  {
    name: 'context too long',
    reply: {
      kind: 'error',
      status: 400,
      body: { error: { message: "This model's maximum context length is 8192 tokens." } },
    },
    kind: 'context_length',
    says: [/too long/, /rozet\.memory\.maxTokens/],
  },
  {
    name: 'OpenRouter 429 with Retry-After seconds',
    reply: {
      kind: 'error',
      status: 429,
      fixture: 'openrouter-429-provider-rate-limited.json',
      headers: { 'Retry-After': '7' },
    },
    kind: 'rate_limit',
    says: [/rate-limiting/, /temporarily rate-limited upstream/, /asked to wait 7 s/],
    retryAfterMs: 7000,
  },
  {
    name: '429 with retry-after-ms',
    reply: {
      kind: 'error',
      status: 429,
      body: { error: { message: 'slow down' } },
      headers: { 'retry-after-ms': '1500' },
    },
    kind: 'rate_limit',
    says: [/asked to wait 2 s/],
    retryAfterMs: 1500,
  },
  {
    name: '500',
    reply: { kind: 'error', status: 500, body: { error: { message: 'Internal error' } } },
    kind: 'server',
    says: [/server error \(500: Internal error\)/, /If it persists/],
  },
  {
    name: '529 overloaded',
    spec: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
    reply: { kind: 'error', status: 529, body: { error: { message: 'Overloaded' } } },
    kind: 'server',
    says: [/Anthropic is overloaded/],
  },
  {
    name: 'Ollama 404 model not pulled',
    spec: { provider: 'ollama', model: 'llama3' },
    reply: { kind: 'error', status: 404, fixture: 'ollama-404-model-not-found-legacy.json' },
    kind: 'model_not_found',
    says: [/`ollama pull llama3`/, /Available models include: llama3\.2/],
  },
  {
    name: 'Ollama 400 does not support tools',
    spec: { provider: 'ollama', model: 'gemma3:1b' },
    reply: { kind: 'error', status: 400, fixture: 'ollama-400-does-not-support-tools.json' },
    kind: 'tools_unsupported',
    says: [/"gemma3:1b" on Ollama cannot call tools/, /Switch Model/],
  },
  {
    name: 'connection reset before an answer',
    reply: { kind: 'reset' },
    kind: 'connection',
    says: [/connection to OpenRouter .* failed/],
  },
  {
    name: 'a cut SSE stream',
    reply: { kind: 'text', text: 'half an answer', chunks: 4, cutAfterChunks: 3 },
    kind: 'stream_cut',
    says: [/broke off mid-stream; nothing from it was applied/],
  },
  {
    name: 'an SSE stream that just ends',
    reply: { kind: 'fixture', file: 'openrouter-sse-processing-2.txt' },
    kind: 'stream_cut',
    says: [/broke off mid-stream/],
  },
  {
    name: 'an error event inside a 200 SSE stream (OpenRouter)',
    reply: { kind: 'fixture', file: 'openrouter-sse-midstream-error-1.txt' },
    kind: 'bad_request',
    says: [/OpenRouter stopped the answer .* with an error \(Token limit reached\); nothing from it was applied/],
  },
  {
    name: 'an upstream failure inside a 200 stream',
    reply: {
      kind: 'text',
      text: 'abc',
      comments: 2,
      streamError: { afterChunks: 2, message: 'Provider returned error', code: 502 },
    },
    kind: 'server',
    says: [/mid-answer/, /Provider returned error/],
  },
];

describe('provider errors: every failure class through the real SDKs', () => {
  let server: ModelServer;
  const model = (spec: Partial<ModelSpec> = {}) => {
    const provider = spec.provider ?? 'openrouter';
    return createChatModel({
      provider,
      model: 'openai/gpt-5-nano',
      baseUrl: provider === 'ollama' ? server.url : `${server.url}/v1`,
      apiKey: KEY,
      ...spec,
    });
  };
  const messages: string[] = [];

  before(async () => {
    server = await startModelServer({ scenario: { models: ['gpt-4o', 'gpt-5.2-pro', 'llama3.2', 'gpt-5.2'] } });
  });
  after(() => server.close());

  for (const c of CASES) {
    it(`${c.name} → ${c.kind}`, async () => {
      server.script(c.reply);
      const error = await model(c.spec)
        .chat(ask)
        .then(
          () => assert.fail('expected a ModelError'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof ModelError, `a ModelError, got ${String(error)}`);
      messages.push(error.message);
      assert.equal(error.kind, c.kind, error.message);
      for (const pattern of c.says) assert.match(error.message, pattern);
      if (c.status) assert.equal(error.details.status, c.status);
      if (c.retryAfterMs !== undefined) assert.equal(error.details.retryAfterMs, c.retryAfterMs);
      if (c.fix) assert.deepEqual(error.details.fix, c.fix);
    });
  }

  it('never puts the key in any of those messages', () => {
    assert.equal(messages.length, CASES.length);
    for (const message of messages) assert.ok(!message.includes(KEY) && !message.includes(KEY.slice(10)), message);
  });

  it('says connection refused, with the base URL, for a cloud provider', async () => {
    const gone = await startModelServer();
    await gone.close();
    await assert.rejects(
      createChatModel({ provider: 'openai', model: 'gpt-4o', baseUrl: `${gone.url}/v1`, apiKey: KEY }).chat(ask),
      (e: ModelError) => e.kind === 'connection' && e.message.includes(`${gone.url}/v1: connection refused`),
    );
  });

  it('names DNS failures and timeouts from the cause chain', () => {
    const ctx = {
      provider: 'gemini' as const,
      model: 'gemini-2.5-pro',
      baseUrl: 'https://nowhere.invalid/v1',
      phase: 'request' as const,
    };
    const dns = mapTransportError(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND nowhere.invalid'), { code: 'ENOTFOUND' }),
      }),
      ctx,
    );
    assert.equal(dns.kind, 'connection');
    assert.match(dns.message, /Cannot resolve the host of https:\/\/nowhere\.invalid\/v1 \(ENOTFOUND\)/);
    const slow = mapTransportError(
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
      }),
      ctx,
    );
    assert.equal(slow.kind, 'timeout');
    const aborted = new AbortController();
    aborted.abort();
    assert.equal(mapTransportError(new Error('whatever'), { ...ctx, signal: aborted.signal }).kind, 'cancelled');
  });

  it('reads Retry-After as seconds, as an HTTP date, and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': '3' }), now), 3000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now), 5000);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 31 Dec 2025 23:00:00 GMT' }), now), 0);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now), 250);
    assert.equal(parseRetryAfter(new Headers({ 'retry-after': 'soon' }), now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });

  describe('with callModel retries', () => {
    const fast = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 };

    it('waits at least Retry-After (seconds) before retrying a 429', async () => {
      server.script(
        {
          kind: 'error',
          status: 429,
          fixture: 'openrouter-429-provider-rate-limited.json',
          headers: { 'Retry-After': '1' },
        },
        { kind: 'text', text: 'after the wait' },
      );
      const before = server.requests.length;
      const started = Date.now();
      const delays: number[] = [];
      const res = await callModel(model(), ask, { retry: fast, onRetry: (_e, _n, delay) => delays.push(delay) });
      assert.equal(res.content, 'after the wait');
      assert.deepEqual(delays, [1000]);
      const [first, second] = server.requests.slice(before);
      assert.ok(second.at - first.at >= 1000, `second request ${second.at - first.at} ms after the 429`);
      assert.ok(Date.now() - started >= 1000);
    });

    it('waits retry-after-ms and then succeeds', async () => {
      server.script(
        { kind: 'error', status: 429, body: { error: { message: 'slow down' } }, headers: { 'retry-after-ms': '300' } },
        { kind: 'text', text: 'ok' },
      );
      const started = Date.now();
      assert.equal((await callModel(model(), ask, { retry: fast })).content, 'ok');
      assert.ok(Date.now() - started >= 300);
    });

    it('fails at once with the provider message when Retry-After is longer than allowed', async () => {
      server.script({
        kind: 'error',
        status: 429,
        body: { error: { message: 'come back tomorrow' } },
        headers: { 'Retry-After': '86400' },
      });
      const before = server.requests.length;
      await assert.rejects(
        callModel(model(), ask, { retry: { ...fast, maxRetryAfterMs: 60_000 } }),
        (e: ModelError) => e.kind === 'rate_limit' && /come back tomorrow/.test(e.message),
      );
      assert.equal(server.requests.length - before, 1);
    });

    for (const fixture of ['openrouter-401-user-not-found.json', 'openrouter-402-insufficient-credits.json']) {
      it(`never retries ${fixture.slice(11, 14)}`, async () => {
        server.script({ kind: 'error', status: Number(fixture.slice(11, 14)), fixture });
        const before = server.requests.length;
        await assert.rejects(
          callModel(model(), ask, { retry: fast }),
          (e: ModelError) => e.kind === 'auth' || e.kind === 'credits',
        );
        assert.equal(server.requests.length - before, 1);
      });
    }

    it('the error it gives up with promises no retry that will not come (a cut stream, a 5xx)', async () => {
      const cut: Reply = { kind: 'text', text: 'partial', chunks: 3, cutAfterChunks: 2 };
      const down: Reply = { kind: 'error', status: 503, body: { error: { message: 'unavailable' } } };
      for (const [reply, kind] of [
        [cut, 'stream_cut'],
        [down, 'server'],
      ] as const) {
        server.script(reply, reply);
        await assert.rejects(callModel(model(), ask, { retry: { ...fast, maxAttempts: 2 } }), (e: ModelError) => {
          assert.equal(e.kind, kind);
          assert.doesNotMatch(e.message, /Rozet retries/);
          return true;
        });
      }
    });

    it('retries 5xx, 529 and a cut stream, then succeeds', async () => {
      server.script(
        { kind: 'error', status: 503, body: { error: { message: 'unavailable' } } },
        { kind: 'error', status: 529, body: { error: { message: 'Overloaded' } } },
        { kind: 'text', text: 'partial', chunks: 3, cutAfterChunks: 2 },
        { kind: 'text', text: 'finally whole' },
      );
      const kinds: string[] = [];
      const res = await callModel(model(), ask, { retry: fast, onRetry: (e) => kinds.push(e.kind) });
      assert.equal(res.content, 'finally whole');
      assert.deepEqual(kinds, ['server', 'server', 'stream_cut']);
    });
  });
});
