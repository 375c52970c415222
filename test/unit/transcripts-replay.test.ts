// Every recorded provider response in test/fixtures/provider-transcripts is replayed
// byte for byte through the provider that speaks its format, over real HTTP, and what
// the ChatModel returns is checked against what the recording says.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ModelError,
  type ChatResponse,
  type ModelErrorKind,
  type ProviderName,
  type ToolCall,
} from '../../src/core/model/chat';
import { createChatModel } from '../../src/providers';
import { FIXTURES_DIR, startModelServer, type ModelServer, type Reply } from '../support/model-server';

interface Expected {
  content?: string;
  /** The start of the reasoning text streamed before the answer. */
  reasoning?: string;
  toolCalls?: Array<Omit<ToolCall, 'id'> & { id?: string | RegExp }>;
  finishReason?: ChatResponse['finishReason'];
  usage?: ChatResponse['usage'] | null;
  model?: string;
  error?: { kind: ModelErrorKind; says: RegExp };
}

interface Replay {
  provider: ProviderName;
  /** Model id Rozet asked for (matters for error messages). */
  model?: string;
  /** The fixture is a whole (non-streamed) response. */
  whole?: boolean;
  /** Override how the file is served: raw bytes by default; `text` replays a model's raw output as its answer. */
  as?: 'text';
  expect: Expected;
}

const GENERATED_ID = /^call_[0-9a-f]{24}$/;

const REPLAYS: Record<string, Replay> = {
  'anthropic-openai-compat-sse-toolcall-1.sse': {
    provider: 'anthropic',
    expect: {
      content: 'Reading it.',
      toolCalls: [{ id: 'toolu_sanitized', name: 'read_file', arguments: '{"path": "a.txt"}' }],
      finishReason: 'tool_calls',
      usage: null,
    },
  },
  'azure-openai-sse-usage-1.chunks.txt': {
    provider: 'openaiCompatible',
    expect: {
      content: 'Capital of Denmark.',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 15, completionTokens: 78 },
      model: 'gpt-5-nano-2025-08-07',
    },
  },
  'gemini-openai-compat-toolcall-empty-id.json': {
    provider: 'gemini',
    whole: true,
    expect: {
      content: '',
      toolCalls: [{ id: GENERATED_ID, name: 'get_current_time', arguments: '{}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 35, completionTokens: 12 },
    },
  },
  'groq-400-tool-use-failed-gptoss.json': {
    provider: 'openaiCompatible',
    expect: { error: { kind: 'bad_request', says: /did not match the tool's schema/ } },
  },
  'messy-deepseek-r1-empty-think-2.txt': { provider: 'ollama', as: 'text', expect: {} },
  'messy-deepseek-r1-think-1.txt': { provider: 'openrouter', as: 'text', expect: {} },
  'messy-mistral-toolcall-as-content-stream.txt': { provider: 'ollama', as: 'text', expect: {} },
  'messy-qwen-toolcall-1.txt': { provider: 'ollama', as: 'text', expect: {} },
  'messy-qwen-toolcall-2.txt': { provider: 'ollama', as: 'text', expect: {} },
  'messy-qwen-toolcall-3.json': { provider: 'openaiCompatible', as: 'text', expect: {} },
  'messy-toolcall-parameters-key-in-content.txt': { provider: 'ollama', as: 'text', expect: {} },
  'ollama-400-does-not-support-tools.json': {
    provider: 'ollama',
    model: 'gemma3:1b',
    expect: { error: { kind: 'tools_unsupported', says: /"gemma3:1b" on Ollama cannot call tools/ } },
  },
  'ollama-404-model-not-found-legacy.json': {
    provider: 'ollama',
    model: 'llama3',
    expect: { error: { kind: 'model_not_found', says: /`ollama pull llama3`/ } },
  },
  'ollama-chat-tools-edited-1.json': {
    provider: 'ollama',
    whole: true,
    expect: {
      content: '',
      toolCalls: [{ id: GENERATED_ID, name: 'TestPlugin-TestFunction', arguments: '{"testInput":"fake-text"}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 152, completionTokens: 22 },
      model: 'llama3.2',
    },
  },
  'ollama-ndjson-text-1.ndjson': {
    provider: 'ollama',
    expect: {
      content: 'Okay, here we go!\n\n1, 2, 3, 4, 5\n',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 16, completionTokens: 22 },
      model: 'gemma3:1b',
    },
  },
  'ollama-openai-compat-qwen3-0.6b-reasoning.json': {
    provider: 'openaiCompatible',
    whole: true,
    expect: {
      content: '{ "city": "Paris", "country": "France" }',
      reasoning: 'Okay, the user is asking for the capital of France.',
      finishReason: 'stop',
      usage: { promptTokens: 136, completionTokens: 15 },
      model: 'qwen3:0.6b',
    },
  },
  'openai-400-unsupported-parameter.json': {
    provider: 'openai',
    model: 'o3-mini',
    expect: { error: { kind: 'bad_request', says: /Use 'max_completion_tokens' instead/ } },
  },
  'openai-404-model-not-found.json': {
    provider: 'openai',
    model: 'gpt-5.2-proo',
    expect: { error: { kind: 'model_not_found', says: /Model "gpt-5\.2-proo" was not found on OpenAI/ } },
  },
  'openai-compat-deepseek-reasoner-toolcall.chunks.txt': {
    provider: 'openaiCompatible',
    expect: {
      content: '',
      reasoning: 'The user is asking for the weather in San Francisco.',
      toolCalls: [
        { id: 'call_00_ioIn7yN9p1ZOMNpDLwd4MgAF', name: 'weather', arguments: '{"location": "San Francisco"}' },
      ],
      finishReason: 'tool_calls',
      usage: { promptTokens: 339, completionTokens: 83 },
    },
  },
  'openai-compat-groq-llama33-toolcall.chunks.txt': {
    provider: 'openaiCompatible',
    expect: {
      toolCalls: [{ id: 'tk85n1k4m', name: 'weather', arguments: '{}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 210, completionTokens: 15 },
    },
  },
  'openai-compat-qwen3max-toolcall.chunks.txt': {
    provider: 'openaiCompatible',
    expect: {
      toolCalls: [{ id: 'call_eee11723464a4b9eb8cee71d', name: 'weather', arguments: '{"location": "San Francisco"}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 295, completionTokens: 22 },
    },
  },
  'openai-compat-xai-grok3mini-toolcall.chunks.txt': {
    provider: 'openaiCompatible',
    expect: {
      reasoning: 'First, the user is asking about the weather in San Francisco',
      toolCalls: [{ id: 'call_79382389', name: 'weather', arguments: '{"location":"San Francisco"}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 307, completionTokens: 26 },
    },
  },
  'openai-sse-toolcalls-1.txt': {
    provider: 'openai',
    expect: {
      content: '',
      toolCalls: [{ id: 'call_ZR5UUuTt3pf61kjwAJIYdVMj', name: 'get_capital', arguments: '{"country":"UK"}' }],
      finishReason: 'tool_calls',
      usage: { promptTokens: 53, completionTokens: 15 },
      model: 'gpt-4o-mini-2024-07-18',
    },
  },
  'openai-sse-toolcalls-parallel-2.txt': {
    provider: 'openai',
    expect: {
      toolCalls: [
        { id: 'call_q2UyBRP7eXNTzAoR8lEhjc9Z', name: 'get_country', arguments: '{}' },
        { id: 'call_b51ijcpFkDiTQG1bQzsrmtW5', name: 'get_product_name', arguments: '{}' },
      ],
      finishReason: 'tool_calls',
      usage: { promptTokens: 364, completionTokens: 40 },
    },
  },
  'openrouter-401-no-cookie-auth.json': {
    provider: 'openrouter',
    expect: { error: { kind: 'auth', says: /OpenRouter received no usable API key.*OPENROUTER_API_KEY/ } },
  },
  'openrouter-401-user-not-found.json': {
    provider: 'openrouter',
    expect: { error: { kind: 'auth', says: /OpenRouter rejected the API key \(401: User not found\.\)/ } },
  },
  'openrouter-402-insufficient-credits.json': {
    provider: 'openrouter',
    expect: { error: { kind: 'credits', says: /lack of credits/ } },
  },
  'openrouter-429-provider-rate-limited.json': {
    provider: 'openrouter',
    expect: {
      error: { kind: 'rate_limit', says: /google\/gemini-2\.0-flash-exp:free is temporarily rate-limited upstream/ },
    },
  },
  'openrouter-sse-midstream-error-1.txt': {
    provider: 'openrouter',
    expect: {
      reasoning: 'We need to respond to a greeting.',
      error: { kind: 'bad_request', says: /Token limit reached/ },
    },
  },
  'openrouter-sse-processing-2.txt': {
    provider: 'openrouter',
    expect: { error: { kind: 'stream_cut', says: /broke off mid-stream/ } },
  },
  'openrouter-sse-processing-usage-1.txt': {
    provider: 'openrouter',
    expect: {
      content: 'Hello!',
      toolCalls: [],
      finishReason: 'stop',
      // OpenRouter's usage accounting reports the cost it charged.
      usage: { promptTokens: 254, completionTokens: 5, cost: 0.000837 },
      model: 'anthropic/claude-4.6-sonnet-20260217',
    },
  },
};

/** What a model wrote, for the messy raw outputs (which are answers, not wire bytes). */
function rawAnswer(file: string): string {
  const text = readFileSync(join(FIXTURES_DIR, file), 'utf8');
  return file.endsWith('.json') ? (JSON.parse(text) as { content: string }).content : text;
}

describe('provider transcripts replayed through the real SDKs', () => {
  let server: ModelServer;
  before(async () => {
    server = await startModelServer({ scenario: { models: ['llama3.2', 'gpt-5.2-pro'] } });
  });
  after(() => server.close());

  it('covers every fixture in the directory', () => {
    const files = readdirSync(FIXTURES_DIR).filter((f) => f !== 'SOURCES.md');
    assert.deepEqual(
      files.filter((f) => !(f in REPLAYS)),
      [],
      'add new fixtures to REPLAYS',
    );
  });

  for (const [file, replay] of Object.entries(REPLAYS)) {
    it(`${file} via ${replay.provider}`, async () => {
      const reply: Reply =
        replay.as === 'text'
          ? { kind: 'text', text: rawAnswer(file), chunks: 7 }
          : /-(\d{3})-/.test(file)
            ? { kind: 'error', status: Number(/-(\d{3})-/.exec(file)?.[1]), fixture: file }
            : { kind: 'fixture', file };
      server.script(reply);
      const model = createChatModel({
        provider: replay.provider,
        model: replay.model ?? 'recorded-model',
        baseUrl: replay.provider === 'ollama' ? server.url : `${server.url}/v1`,
        apiKey: 'sk-test-key-for-replays-0000000000',
        streaming: !replay.whole,
      });
      let reasoning = '';
      let text = '';
      const outcome = await model
        .chat({
          messages: [{ role: 'user', content: 'replay' }],
          onDelta: (d) => ((reasoning += d.reasoning ?? ''), (text += d.text ?? '')),
        })
        .then(
          (res) => ({ res }),
          (error: unknown) => ({ error }),
        );
      const { expect } = replay;
      if (expect.reasoning)
        assert.ok(
          reasoning.startsWith(expect.reasoning),
          `reasoning starts with ${expect.reasoning}: ${reasoning.slice(0, 80)}`,
        );
      if (expect.error) {
        assert.ok(
          'error' in outcome && outcome.error instanceof ModelError,
          `expected a ModelError, got ${JSON.stringify(outcome)}`,
        );
        assert.equal(outcome.error.kind, expect.error.kind, outcome.error.message);
        assert.match(outcome.error.message, expect.error.says);
        return;
      }
      assert.ok('res' in outcome, `unexpected error: ${'error' in outcome ? String(outcome.error) : ''}`);
      const { res } = outcome;
      if (replay.as === 'text') {
        assert.equal(res.content, rawAnswer(file), 'raw model output comes through unchanged');
        assert.deepEqual(res.toolCalls, [], 'text that looks like a tool call is left to the core to parse');
        return;
      }
      assert.equal(text, res.content, 'deltas add up to the content');
      if (expect.content !== undefined) assert.equal(res.content, expect.content);
      if (expect.finishReason) assert.equal(res.finishReason, expect.finishReason);
      if (expect.model) assert.equal(res.model, expect.model);
      if (expect.usage !== undefined) assert.deepEqual(res.usage, expect.usage ?? undefined);
      if (expect.toolCalls) {
        assert.equal(res.toolCalls.length, expect.toolCalls.length);
        expect.toolCalls.forEach((want, i) => {
          const got = res.toolCalls[i];
          assert.equal(got.name, want.name);
          assert.equal(got.arguments, want.arguments);
          if (want.id instanceof RegExp) assert.match(got.id, want.id);
          else if (want.id) assert.equal(got.id, want.id);
        });
      }
    });
  }
});
