// A scripted model server on 127.0.0.1 that speaks the real wire formats, so tests drive
// the real `openai` and `ollama` SDKs over real HTTP and can inject every fault a
// provider produces. Used in-process (startModelServer) and as a separate process
// (model-server-main.ts) by the CLI, VS Code host and browser tests.
//
// Routes
//   POST …/chat/completions   OpenAI-compatible chat (JSON, or SSE `data:` lines + [DONE]
//                             when the request says stream: true)   route "openai.chat"
//   GET  …/models             OpenAI model list                      route "openai.models"
//   POST /api/chat            Ollama chat (NDJSON, or one JSON object for stream: false)
//                                                                    route "ollama.chat"
//   GET  /api/tags, POST /api/show, GET /api/version                 "ollama.tags" / "ollama.show" / "ollama.version"
//   GET  /__rozet/requests    every recorded request as JSON (for out-of-process tests)
//   POST /__rozet/script      body: a Reply[] appended to the chat queue, or a Scenario
//                             (an object) that replaces the current one
// Unknown paths answer 404 "404 page not found", as Ollama does.
//
// Which reply answers a request: the route's own queue, then a handler registered for
// the route, then (chat routes) the shared chat queue, then the first matching agent
// rule, then `default`. Nothing left → HTTP 500 saying so, so a test that under-scripts
// fails loudly. The same Reply is rendered in the wire format of the route that was hit.
//
// Scenario JSON (the --scenario file of model-server-main.ts; every field optional):
// {
//   "models": ["llama3.2", {"id": "qwen2.5-coder:14b-instruct", "tools": true}, {"id": "gemma3:1b", "tools": false}],
//   "chat":   [Reply, …],                        // FIFO queue for both chat routes
//   "routes": {"ollama.chat": [Reply, …]},       // FIFO queue for one route
//   "agent":  [AgentRule, …],                    // answers by what the request says (below)
//   "default": Reply,                            // when nothing else answers
//   "slots": 2,          // chat requests served at once; the rest wait unanswered in the
//                        // server's queue until a slot frees, as a local server does
//   "slotsReported": true,  // GET /props answers {"total_slots": N}, as llama.cpp server does
//   "queueAfterHeaders": true  // a waiting request gets its 200 and headers at once (vLLM-like)
//   "apiKey": "sk-…"                             // OpenAI routes answer 401 without
//                                                // "Authorization: Bearer <apiKey>" (as vLLM --api-key)
// }
// GET /__rozet/stats answers the slot counts (most serving, most waiting, served).
// Reply — "kind" picks the shape:
//   {"kind": "text", "text": "Hello", "reasoning"?: "…", "textFile"?: "messy-qwen-toolcall-1.txt",
//    "finishReason"?: "stop" | "length" | …, "usage"?: {"prompt": 10, "completion": 5, "cost"?: 0.0001}}
//   {"kind": "tools", "calls": [{"name": "write_file", "arguments": {"path": "a.txt", "content": "x"}, "id"?: "call_1"}],
//    "text"?: "I'll write it."}              // OpenAI: arguments split into `chunks` fragments
//   {"kind": "fixture", "file": "openrouter-sse-processing-usage-1.txt", "status"?: 200}
//        // replays test/fixtures/provider-transcripts/<file>: *.chunks.txt lines become SSE
//        // `data:` events plus [DONE]; SSE files are sent event by event; *.ndjson line by
//        // line; *.json as one body (status from the name, e.g. openrouter-402-… → 402)
//   {"kind": "error", "status": 429, "fixture"?: "openrouter-429-provider-rate-limited.json",
//    "body"?: {…} | "text", "headers"?: {"Retry-After": "1"}}
//   {"kind": "reset"}                          // drop the connection without answering
// Stream shaping, on text/tools/fixture replies (times in ms):
//   "chunks": 3            pieces the text (and each tool call's arguments) is split into
//   "delayMs": 0           pause between events — slow but streaming
//   "headersDelayMs": 0    before the status line (a model still loading)
//   "firstTokenDelayMs": 0 after the headers, before the first event
//   "comments": 0          ": OPENROUTER PROCESSING" lines before the first event (SSE)
//   "emptyChunks": {"count": 5, "everyMs": 100}   chunks with no text, reasoning or tool
//                          call (a delta of {} / an empty NDJSON message) before the answer
//   "stall": {"afterChunks": 2, "ms": 5000}   silence mid-stream, then it carries on
//   "cutAfterChunks": 2    destroy the socket after that many events (a cut stream)
//   "streamError": {"afterChunks": 2, "message": "Provider returned error", "code": 502}
//                          an error object inside the 200 stream, then the end
//   "stream": false        answer as JSON even if the request asked to stream
// AgentRule — for end-to-end runs of a whole plan:
//   {"match"?: "substring", "hasTools"?: true, "plan"?: {"tasks": […]}, "steps"?: [Reply, …]}
//   A rule matches when `match` occurs in the request's system and user messages and
//   `hasTools` (if given) equals whether the request offered tools. `plan` answers with
//   that plan as JSON text. `steps` is a worker's script: step N answers the request that
//   already holds N assistant turns (so parallel workers and retries stay in step); past
//   the end the last step repeats. Rules are tried in order: put worker rules (matching
//   task titles, "hasTools": true) before the planner rule ("hasTools": false).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { errorMessage } from '../../src/core/text/error-message';
import { ServerSlots, type SlotStats } from './server-slots';

export type Route =
  'openai.chat' | 'openai.models' | 'ollama.chat' | 'ollama.tags' | 'ollama.show' | 'ollama.version' | 'llamacpp.props';

export interface StreamShape {
  chunks?: number;
  delayMs?: number;
  headersDelayMs?: number;
  firstTokenDelayMs?: number;
  comments?: number;
  emptyChunks?: { count: number; everyMs: number };
  stall?: { afterChunks: number; ms: number };
  cutAfterChunks?: number;
  streamError?: { afterChunks: number; message: string; code?: number };
  stream?: boolean;
}

export interface ScriptedToolCall {
  id?: string;
  name: string;
  arguments: string | Record<string, unknown>;
}

interface Answer {
  reasoning?: string;
  finishReason?: string;
  /** `cost` (dollars) is sent as OpenRouter's usage accounting does. */
  usage?: { prompt: number; completion: number; cost?: number };
  model?: string;
}

export type Reply =
  | ({ kind: 'text'; text?: string; textFile?: string } & Answer & StreamShape)
  | ({ kind: 'tools'; calls: ScriptedToolCall[]; text?: string } & Answer & StreamShape)
  | ({ kind: 'fixture'; file: string; status?: number; headers?: Record<string, string> } & StreamShape)
  | {
      kind: 'error';
      status: number;
      body?: unknown;
      fixture?: string;
      headers?: Record<string, string>;
      headersDelayMs?: number;
    }
  | { kind: 'reset' };

export interface AgentRule {
  match?: string;
  hasTools?: boolean;
  plan?: unknown;
  steps?: Reply[];
}

export type ModelEntry = string | { id: string; tools?: boolean };

export interface Scenario {
  models?: ModelEntry[];
  chat?: Reply[];
  routes?: Partial<Record<Route, Reply[]>>;
  agent?: AgentRule[];
  default?: Reply;
  slots?: number;
  slotsReported?: boolean;
  queueAfterHeaders?: boolean;
  apiKey?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  route?: Route;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON, else the raw text ('' for none). */
  body: unknown;
  at: number;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

export interface ModelServerOptions {
  port?: number;
  scenario?: Scenario;
  fixturesDir?: string;
}

export interface ModelServer {
  /** http://127.0.0.1:<port> — append /v1 for OpenAI-compatible clients. */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Queue replies for the chat routes (OpenAI and Ollama alike). */
  script(...replies: Reply[]): void;
  scriptRoute(route: Route, ...replies: Reply[]): void;
  /** Answer a route with a function (undefined removes it). */
  handle(route: Route, handler: Handler | undefined): void;
  /** Replace the scenario: models, queues, agent rules and default. */
  load(scenario: Scenario): void;
  /** Slot counts since the last load (or reset); undefined without `slots`. */
  slotStats(): SlotStats | undefined;
  close(): Promise<void>;
}

export const FIXTURES_DIR = join(__dirname, '..', 'fixtures', 'provider-transcripts');

export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const fixturesDir = options.fixturesDir ?? FIXTURES_DIR;
  const requests: RecordedRequest[] = [];
  const handlers = new Map<Route, Handler>();
  let scenario: Required<Pick<Scenario, 'models' | 'chat' | 'agent'>> & Scenario;
  let routeQueues: Map<Route, Reply[]>;
  let slots: ServerSlots | undefined;
  const load = (s: Scenario) => {
    scenario = { ...s, models: s.models ?? ['scripted-model'], chat: [...(s.chat ?? [])], agent: s.agent ?? [] };
    slots = s.slots ? new ServerSlots(s.slots) : undefined;
    routeQueues = new Map(
      Object.entries(s.routes ?? {}).map(([route, replies]) => [route as Route, [...(replies ?? [])]]),
    );
  };
  load(options.scenario ?? {});

  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const sleep = (ms: number) =>
    ms > 0
      ? new Promise<void>((resolve) => {
          const entry = { timer: setTimeout(() => (timers.delete(entry), resolve()), ms), resolve };
          timers.add(entry);
        })
      : Promise.resolve();

  const pick = async (route: Route, request: RecordedRequest): Promise<Reply | undefined> => {
    const queued = routeQueues.get(route)?.shift();
    if (queued) return queued;
    const handler = handlers.get(route);
    if (handler) return handler(request);
    if (route !== 'openai.chat' && route !== 'ollama.chat') return undefined;
    return scenario.chat.shift() ?? agentReply(scenario.agent, request.body) ?? scenario.default;
  };

  const server: Server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `model server: ${errorMessage(error)}` }));
      } else res.destroy();
    });
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/__rozet/requests') return sendJson(res, 200, requests);
    if (path === '/__rozet/stats') return sendJson(res, 200, slots?.snapshot() ?? {});
    if (path === '/__rozet/script' && req.method === 'POST') {
      const body: unknown = JSON.parse(raw || '[]');
      if (Array.isArray(body)) scenario.chat.push(...(body as Reply[]));
      else load(body as Scenario);
      return sendJson(res, 200, { ok: true });
    }
    const route = routeOf(req.method ?? 'GET', path);
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      route,
      headers: flatHeaders(req),
      body: parseBody(raw),
      at: Date.now(),
    };
    requests.push(recorded);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('404 page not found');
    }
    if (route === 'llamacpp.props') {
      if (scenario.slotsReported && slots) return sendJson(res, 200, { total_slots: scenario.slots });
      res.writeHead(404, { 'content-type': 'text/plain' });
      return void res.end('404 page not found');
    }
    if (
      scenario.apiKey !== undefined &&
      route.startsWith('openai.') &&
      recorded.headers.authorization !== `Bearer ${scenario.apiKey}`
    )
      return sendJson(res, 401, {
        error: { message: 'Invalid API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' },
      });
    const reply = await pick(route, recorded);
    if (reply && slots && (route === 'openai.chat' || route === 'ollama.chat')) {
      const held = slots;
      if (scenario.queueAfterHeaders) {
        res.writeHead(200, { 'content-type': route === 'ollama.chat' ? 'application/x-ndjson' : 'text/event-stream' });
        res.flushHeaders();
      }
      const free = await held.take();
      res.on('close', free);
      return send(res, reply, route, recorded.body);
    }
    if (reply) return send(res, reply, route, recorded.body);
    switch (route) {
      case 'openai.models':
        return sendJson(res, 200, { object: 'list', data: models(scenario.models).map(openAIModel) });
      case 'ollama.tags':
        return sendJson(res, 200, { models: models(scenario.models).map(ollamaTag) });
      case 'ollama.show':
        return showModel(res, scenario.models, recorded.body);
      case 'ollama.version':
        return sendJson(res, 200, { version: '0.12.0' });
      default:
        return sendJson(res, 500, { error: `model server: nothing scripted for ${recorded.method} ${path}` });
    }
  }

  async function send(res: ServerResponse, reply: Reply, route: Route, body: unknown): Promise<void> {
    if (reply.kind === 'reset') return void res.socket?.destroy();
    await sleep(reply.headersDelayMs ?? 0);
    if (reply.kind === 'error') {
      const text = reply.fixture
        ? readFixture(fixturesDir, reply.fixture)
        : typeof reply.body === 'string'
          ? reply.body
          : JSON.stringify(reply.body ?? { error: { message: `scripted ${reply.status}`, code: reply.status } });
      res.writeHead(reply.status, {
        'content-type': looksJson(text) ? 'application/json' : 'text/plain',
        ...reply.headers,
      });
      return void res.end(text);
    }
    const wire = reply.kind === 'fixture' ? fixtureWire(fixturesDir, reply) : render(reply, route, body, fixturesDir);
    // A server that queues after answering (vLLM-like) has sent its headers already.
    if (!res.headersSent) {
      res.writeHead(wire.status, {
        'content-type': wire.contentType,
        'cache-control': 'no-cache',
        ...(reply.kind === 'fixture' ? reply.headers : {}),
      });
      res.flushHeaders();
    }
    let closed = false;
    res.on('close', () => (closed = true));
    await sleep(reply.firstTokenDelayMs ?? 0);
    const sse = wire.contentType === 'text/event-stream';
    for (let i = 0; i < (reply.emptyChunks?.count ?? 0) && !closed; i++) {
      const empty = sse
        ? `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', created: 0, model: 'scripted', choices: [{ index: 0, delta: {}, finish_reason: null }] })}\n\n`
        : `${JSON.stringify({ model: 'scripted', created_at: new Date().toISOString(), message: { role: 'assistant', content: '' }, done: false })}\n`;
      await new Promise<void>((resolve) => res.write(empty, () => resolve()));
      await sleep(reply.emptyChunks!.everyMs);
    }
    const events = [
      ...(sse ? Array.from({ length: reply.comments ?? 0 }, () => ': OPENROUTER PROCESSING\n\n') : []),
      ...wire.events,
    ];
    for (let i = 0; i < events.length && !closed; i++) {
      if (reply.stall?.afterChunks === i) await sleep(reply.stall.ms);
      if (reply.cutAfterChunks === i) return void res.socket?.destroy();
      if (reply.streamError?.afterChunks === i) {
        const { message, code } = reply.streamError;
        const event =
          route === 'ollama.chat'
            ? `${JSON.stringify({ error: message })}\n`
            : `data: ${JSON.stringify({ id: 'chatcmpl-scripted', object: 'chat.completion.chunk', error: { code: code ?? 502, message }, choices: [{ index: 0, delta: { content: '' }, finish_reason: null }] })}\n\ndata: [DONE]\n\n`;
        return void res.end(event);
      }
      if (i > 0) await sleep(reply.delayMs ?? 0);
      if (closed) return;
      await new Promise<void>((resolve) => res.write(events[i], () => resolve()));
    }
    if (reply.cutAfterChunks !== undefined && reply.cutAfterChunks >= events.length) return void res.socket?.destroy();
    res.end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    script: (...replies) => void scenario.chat.push(...replies),
    scriptRoute: (route, ...replies) => void routeQueues.set(route, [...(routeQueues.get(route) ?? []), ...replies]),
    handle: (route, handler) => void (handler ? handlers.set(route, handler) : handlers.delete(route)),
    load,
    slotStats: () => slots?.snapshot(),
    close: () =>
      new Promise<void>((resolve) => {
        for (const entry of timers) {
          clearTimeout(entry.timer);
          entry.resolve();
        }
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function routeOf(method: string, path: string): Route | undefined {
  if (method === 'POST' && path.endsWith('/chat/completions')) return 'openai.chat';
  if (method === 'GET' && path.endsWith('/models')) return 'openai.models';
  if (method === 'POST' && path === '/api/chat') return 'ollama.chat';
  if (method === 'GET' && path === '/api/tags') return 'ollama.tags';
  if (method === 'POST' && path === '/api/show') return 'ollama.show';
  if (method === 'GET' && path === '/api/version') return 'ollama.version';
  if (method === 'GET' && path === '/props') return 'llamacpp.props';
  return undefined;
}

interface Wire {
  status: number;
  contentType: string;
  events: string[];
}

/** Renders a text/tools reply as the route's wire format, streamed or not as the request asked. */
function render(
  reply: Extract<Reply, { kind: 'text' | 'tools' }>,
  route: Route,
  body: unknown,
  fixturesDir: string,
): Wire {
  const request = (body ?? {}) as { stream?: boolean; model?: string; stream_options?: { include_usage?: boolean } };
  const ollama = route === 'ollama.chat';
  // Ollama streams unless told not to; OpenAI only when asked.
  const stream = reply.stream ?? (ollama ? request.stream !== false : request.stream === true);
  const text =
    reply.kind === 'text'
      ? reply.textFile
        ? readFixture(fixturesDir, reply.textFile)
        : (reply.text ?? '')
      : (reply.text ?? '');
  const calls = (reply.kind === 'tools' ? reply.calls : []).map((c, i) => ({
    id: c.id ?? `call_scripted_${i}`,
    name: c.name,
    args: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
  }));
  const finish = reply.finishReason ?? (calls.length ? 'tool_calls' : 'stop');
  const usage = reply.usage ?? {
    prompt: 10,
    completion: Math.max(1, Math.ceil((text.length + calls.reduce((n, c) => n + c.args.length, 0)) / 4)),
  };
  const model = reply.model ?? request.model ?? 'scripted-model';
  const pieces = Math.max(1, reply.chunks ?? 3);
  return ollama
    ? renderOllama({ text, reasoning: reply.reasoning, calls, finish, usage, model, stream, pieces })
    : renderOpenAI({
        text,
        reasoning: reply.reasoning,
        calls,
        finish,
        usage,
        model,
        stream,
        pieces,
        includeUsage: request.stream_options?.include_usage === true,
      });
}

interface Rendering {
  text: string;
  reasoning?: string;
  calls: Array<{ id: string; name: string; args: string }>;
  finish: string;
  usage: { prompt: number; completion: number; cost?: number };
  model: string;
  stream: boolean;
  pieces: number;
}

function renderOpenAI(r: Rendering & { includeUsage: boolean }): Wire {
  const base = { id: 'chatcmpl-scripted', created: Math.floor(Date.now() / 1000), model: r.model };
  const usage = {
    prompt_tokens: r.usage.prompt,
    completion_tokens: r.usage.completion,
    total_tokens: r.usage.prompt + r.usage.completion,
    ...(r.usage.cost !== undefined ? { cost: r.usage.cost } : {}),
  };
  if (!r.stream) {
    const message = {
      role: 'assistant',
      content: r.text || (r.calls.length ? null : ''),
      ...(r.reasoning ? { reasoning_content: r.reasoning } : {}),
      ...(r.calls.length
        ? {
            tool_calls: r.calls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: c.args },
            })),
          }
        : {}),
    };
    return {
      status: 200,
      contentType: 'application/json',
      events: [
        JSON.stringify({
          ...base,
          object: 'chat.completion',
          choices: [{ index: 0, message, finish_reason: r.finish }],
          usage,
        }),
      ],
    };
  }
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
    `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices, ...extra })}\n\n`;
  const delta = (d: Record<string, unknown>) => chunk([{ index: 0, delta: d, finish_reason: null }]);
  const events = [delta({ role: 'assistant', content: '' })];
  for (const piece of split(r.reasoning ?? '', r.pieces)) events.push(delta({ reasoning_content: piece }));
  for (const piece of split(r.text, r.pieces)) events.push(delta({ content: piece }));
  r.calls.forEach((c, index) => {
    events.push(
      delta({ tool_calls: [{ index, id: c.id, type: 'function', function: { name: c.name, arguments: '' } }] }),
    );
    for (const piece of split(c.args, r.pieces))
      events.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
  });
  events.push(chunk([{ index: 0, delta: {}, finish_reason: r.finish }]));
  if (r.includeUsage) events.push(chunk([], { usage }));
  events.push('data: [DONE]\n\n');
  return { status: 200, contentType: 'text/event-stream', events };
}

function renderOllama(r: Rendering): Wire {
  const line = (message: Record<string, unknown>, extra: Record<string, unknown> = { done: false }) =>
    `${JSON.stringify({ model: r.model, created_at: new Date().toISOString(), message: { role: 'assistant', content: '', ...message }, ...extra })}\n`;
  const toolCalls = r.calls.map((c) => ({ id: c.id, function: { name: c.name, arguments: parseObject(c.args) } }));
  const final = {
    done: true,
    done_reason: r.finish === 'length' ? 'length' : 'stop',
    total_duration: 1_000_000,
    load_duration: 1000,
    prompt_eval_count: r.usage.prompt,
    prompt_eval_duration: 1000,
    eval_count: r.usage.completion,
    eval_duration: 1000,
  };
  if (!r.stream) {
    const message = {
      content: r.text,
      ...(r.reasoning ? { thinking: r.reasoning } : {}),
      ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
    };
    return { status: 200, contentType: 'application/json', events: [line(message, final).trimEnd()] };
  }
  const events: string[] = [];
  for (const piece of split(r.reasoning ?? '', r.pieces)) events.push(line({ thinking: piece }));
  for (const piece of split(r.text, r.pieces)) events.push(line({ content: piece }));
  // Ollama sends each tool call whole, with its arguments as an object.
  if (toolCalls.length) events.push(line({ tool_calls: toolCalls }));
  events.push(line({}, final));
  return { status: 200, contentType: 'application/x-ndjson', events };
}

function fixtureWire(fixturesDir: string, reply: Extract<Reply, { kind: 'fixture' }>): Wire {
  const text = readFixture(fixturesDir, reply.file);
  const name = basename(reply.file);
  const status = reply.status ?? Number(/-(\d{3})-/.exec(name)?.[1] ?? 200);
  if (name.endsWith('.chunks.txt')) {
    const lines = text.split('\n').filter((l) => l.trim());
    return {
      status,
      contentType: 'text/event-stream',
      events: [...lines.map((l) => `data: ${l}\n\n`), 'data: [DONE]\n\n'],
    };
  }
  if (name.endsWith('.ndjson')) {
    return {
      status,
      contentType: 'application/x-ndjson',
      events: text
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => `${l}\n`),
    };
  }
  if (/^(data:|:)/.test(text.trimStart())) {
    return {
      status,
      contentType: 'text/event-stream',
      events: text
        .split(/\n\n+/)
        .filter((e) => e.trim())
        .map((e) => `${e.trim()}\n\n`),
    };
  }
  return { status, contentType: looksJson(text) ? 'application/json' : 'text/plain', events: [text] };
}

function agentReply(rules: AgentRule[], body: unknown): Reply | undefined {
  const request = (body ?? {}) as { messages?: Array<{ role?: string; content?: unknown }>; tools?: unknown[] };
  const messages = request.messages ?? [];
  const prompt = messages
    .filter((m) => m.role === 'system' || m.role === 'user')
    .map((m) => contentText(m.content))
    .join('\n');
  const hasTools = (request.tools?.length ?? 0) > 0;
  const rule = rules.find(
    (r) => (r.match === undefined || prompt.includes(r.match)) && (r.hasTools === undefined || r.hasTools === hasTools),
  );
  if (!rule) return undefined;
  if (rule.plan !== undefined) return { kind: 'text', text: JSON.stringify(rule.plan) };
  const steps = rule.steps ?? [];
  const turn = messages.filter((m) => m.role === 'assistant').length;
  return steps[Math.min(turn, steps.length - 1)];
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((p) => (p && typeof p === 'object' && 'text' in p ? String(p.text) : '')).join('');
  return '';
}

function models(entries: ModelEntry[]): Array<{ id: string; tools?: boolean }> {
  return entries.map((e) => (typeof e === 'string' ? { id: e } : e));
}

function openAIModel(m: { id: string; tools?: boolean }) {
  return {
    id: m.id,
    object: 'model',
    created: 1_700_000_000,
    owned_by: 'scripted',
    ...(m.tools === undefined
      ? {}
      : { supported_parameters: m.tools ? ['tools', 'tool_choice', 'temperature'] : ['temperature'] }),
  };
}

function ollamaTag(m: { id: string }) {
  return {
    name: m.id,
    model: m.id,
    modified_at: '2025-01-01T00:00:00Z',
    size: 1_000_000,
    digest: 'sha256:scripted',
    details: { format: 'gguf', family: 'scripted', parameter_size: '1B', quantization_level: 'Q4_K_M' },
  };
}

function showModel(res: ServerResponse, entries: ModelEntry[], body: unknown): void {
  const name =
    (body as { model?: string; name?: string } | undefined)?.model ?? (body as { name?: string } | undefined)?.name;
  const found = models(entries).find((m) => m.id === name);
  if (!found) return sendJson(res, 404, { error: `model '${name}' not found` });
  const capabilities = found.tools === undefined ? undefined : found.tools ? ['completion', 'tools'] : ['completion'];
  sendJson(res, 200, {
    modelfile: '',
    parameters: '',
    template: '',
    details: ollamaTag(found).details,
    model_info: {},
    ...(capabilities ? { capabilities } : {}),
  });
}

function split(text: string, pieces: number): string[] {
  if (!text) return [];
  // By code point, so a piece never ends inside a surrogate pair.
  const chars = Array.from(text);
  const size = Math.ceil(chars.length / pieces);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function readFixture(dir: string, file: string): string {
  return readFileSync(isAbsolute(file) ? file : join(dir, file), 'utf8');
}

function looksJson(text: string): boolean {
  return /^\s*[[{]/.test(text);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string): unknown {
  if (!raw) return '';
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
