// ChatModel on Ollama's native /api/chat. Not the OpenAI-compatible /v1: only the native
// API takes options.num_ctx, and without it Ollama silently truncates agent prompts at
// 2–4k tokens, so tool definitions never reach the model. keep_alive goes on every
// request too, because a model reload costs 5–60 s.
import {
  Ollama,
  type Message as OllamaMessage,
  type Tool as OllamaTool,
  type ChatResponse as OllamaChatResponse,
  type ChatRequest as OllamaChatRequest,
} from 'ollama';
import {
  ModelError,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type FinishReason,
  type ModelCapabilities,
  type ToolCall,
} from '../core/model/chat';
import {
  mapHttpFailure,
  mapTransportError,
  requestContext,
  SUGGESTION_LIST_TIMEOUT_MS,
  withModelSuggestions,
  type ErrorContext,
  type Wording,
} from './errors';
import type { ListedModel } from './catalogue';
import { newToolCallId } from './tool-calls';
import { isRecord } from '../core/text/is-record';

export interface OllamaOptions {
  model: string;
  baseUrl: string;
  numCtx: number;
  keepAlive: string;
  capabilities: ModelCapabilities;
  fetch?: typeof fetch;
  /** For hosted Ollama (OLLAMA_API_KEY); a local server needs none. */
  apiKey?: string;
  wording?: Wording;
}

/** Headers of the failed response of one call, kept for Retry-After. */
interface FailedResponse {
  headers?: Headers;
}

type OllamaToolCall = NonNullable<OllamaMessage['tool_calls']>[number] & { id?: string };

export class OllamaChatModel implements ChatModel {
  readonly provider = 'ollama' as const;
  readonly model: string;
  readonly capabilities: ModelCapabilities;

  constructor(private readonly options: OllamaOptions) {
    this.model = options.model;
    this.capabilities = options.capabilities;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const ctx = requestContext('ollama', this.model, this.options, request.signal);
    const body: OllamaChatRequest = {
      model: this.model,
      messages: request.messages.map(toOllamaMessage),
      keep_alive: this.options.keepAlive,
      options: { num_ctx: this.options.numCtx },
    };
    if (request.tools?.length) {
      body.tools = request.tools.map((t) => ({
        type: 'function',
        function: {
          name: t.name,
          description: t.description,
          parameters: t.parameters as OllamaTool['function']['parameters'],
        },
      }));
    }
    if (request.temperature !== undefined) body.options = { ...body.options, temperature: request.temperature };
    if (request.maxOutputTokens) body.options = { ...body.options, num_predict: request.maxOutputTokens };
    if (request.json) body.format = 'json';
    const failed: FailedResponse = {};
    const client = this.client(request.signal, failed);
    try {
      return this.capabilities.streaming
        ? await this.streamChat(client, body, request, ctx)
        : this.toResponse(await client.chat({ ...body, stream: false }), request);
    } catch (error) {
      throw await this.toModelError(error, ctx, true, failed.headers);
    }
  }

  async listModels(signal?: AbortSignal): Promise<ListedModel[]> {
    const ctx = requestContext('ollama', this.model, this.options, signal);
    const client = this.client(signal);
    try {
      const { models } = await client.list();
      // /api/show names each model's capabilities; older Ollama versions do not, so
      // "unknown" (undefined) stays distinct from "no tools".
      return await Promise.all(
        models.map(async (m): Promise<ListedModel> => {
          try {
            const shown = await client.show({ model: m.name });
            return Array.isArray(shown.capabilities)
              ? { id: m.name, tools: shown.capabilities.includes('tools') }
              : { id: m.name };
          } catch {
            return { id: m.name };
          }
        }),
      );
    } catch (error) {
      throw await this.toModelError(error, ctx, false);
    }
  }

  /**
   * A client per call: the SDK passes no AbortSignal on non-streamed requests and keeps
   * one shared abort list, so the caller's signal is joined in at the fetch level.
   */
  private client(signal: AbortSignal | undefined, failed?: FailedResponse): Ollama {
    const base = this.options.fetch ?? fetch;
    const joined: typeof fetch = async (input, init) => {
      const response = await base(input, {
        ...init,
        signal: signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal),
      });
      // The SDK's ResponseError drops the headers, and with them Retry-After.
      if (!response.ok && failed) failed.headers = response.headers;
      return jsonErrorBody(response);
    };
    const headers = this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : undefined;
    return new Ollama({ host: this.options.baseUrl, fetch: joined, headers });
  }

  private async streamChat(
    client: Ollama,
    body: OllamaChatRequest,
    request: ChatRequest,
    ctx: ErrorContext,
  ): Promise<ChatResponse> {
    const stream = await client.chat({ ...body, stream: true });
    ctx.phase = 'stream';
    let content = '';
    const toolCalls: ToolCall[] = [];
    let last: OllamaChatResponse | undefined;
    for await (const part of stream) {
      const { message } = part;
      if (message?.thinking) request.onDelta?.({ reasoning: message.thinking });
      if (message?.content) {
        content += message.content;
        request.onDelta?.({ text: message.content });
      }
      for (const call of message?.tool_calls ?? []) {
        toolCalls.push(toToolCall(call));
        request.onDelta?.({ toolCallFragment: true });
      }
      // A line without text (the final stats line) still resets the idle timer.
      if (!message?.thinking && !message?.content && !message?.tool_calls?.length) request.onDelta?.({});
      last = part;
    }
    if (request.signal?.aborted) throw new ModelError('cancelled', 'Cancelled.', { provider: 'ollama' });
    return {
      content,
      toolCalls,
      finishReason: toFinishReason(last?.done_reason, toolCalls.length > 0),
      usage: usage(last),
      model: last?.model || this.model,
    };
  }

  private toResponse(response: OllamaChatResponse, request: ChatRequest): ChatResponse {
    const { message } = response;
    if (message?.thinking) request.onDelta?.({ reasoning: message.thinking });
    if (message?.content) request.onDelta?.({ text: message.content });
    const toolCalls = (message?.tool_calls ?? []).map(toToolCall);
    return {
      content: message?.content ?? '',
      toolCalls,
      finishReason: toFinishReason(response.done_reason, toolCalls.length > 0),
      usage: usage(response),
      model: response.model || this.model,
    };
  }

  private async toModelError(
    error: unknown,
    ctx: ErrorContext,
    suggest = true,
    headers?: Headers,
  ): Promise<ModelError> {
    if (error instanceof ModelError) return error;
    let mapped: ModelError;
    if (isResponseError(error)) {
      mapped = mapHttpFailure({ status: error.status_code, message: errorText(error.error), headers }, ctx);
    } else if (
      error instanceof Error &&
      error.name === 'Error' &&
      !ctx.signal?.aborted &&
      !/did not receive done/i.test(error.message)
    ) {
      // An {"error": "..."} line inside the NDJSON stream: the SDK throws it as a bare
      // Error without a status, so the status is inferred from Ollama's wording.
      const status = /not found/i.test(error.message) ? 404 : /does not support/i.test(error.message) ? 400 : 500;
      mapped = mapHttpFailure({ status, message: error.message }, ctx);
    } else {
      return mapTransportError(error, ctx);
    }
    if (!suggest) return mapped;
    // Only /api/tags: the names are enough for a suggestion, /api/show per model is not needed.
    return withModelSuggestions(mapped, async () =>
      (await this.client(AbortSignal.timeout(SUGGESTION_LIST_TIMEOUT_MS)).list()).models.map((m) => m.name),
    );
  }
}

function isResponseError(error: unknown): error is Error & { error: unknown; status_code: number } {
  return (
    error instanceof Error &&
    error.name === 'ResponseError' &&
    typeof (error as { status_code?: unknown }).status_code === 'number'
  );
}

/** Ollama says `{"error": "text"}`; proxies and hosted servers also send OpenAI's `{"error": {"message": …}}`. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : (JSON.stringify(error) ?? '');
}

/**
 * A failed response that is not JSON becomes `{"error": "<text>"}`: the SDK would
 * otherwise console.log about it, which lands on the CLI's stdout (`rozet plan --json`).
 */
async function jsonErrorBody(response: Response): Promise<Response> {
  if (response.ok || response.headers.get('content-type')?.includes('application/json')) return response;
  const text = (await response.text().catch(() => '')).trim();
  const headers = new Headers(response.headers);
  headers.set('content-type', 'application/json');
  headers.delete('content-length');
  return new Response(JSON.stringify({ error: text || `HTTP ${response.status} ${response.statusText}` }), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
}

function toOllamaMessage(message: ChatMessage): OllamaMessage {
  if (message.role === 'tool') return { role: 'tool', content: message.content, tool_name: message.name };
  if (message.role === 'assistant' && message.toolCalls?.length) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((c) => ({
        function: { name: c.name, arguments: parseArguments(c.arguments) },
      })),
    };
  }
  return { role: message.role, content: message.content };
}

/** Ollama wants arguments as an object; text that is not a JSON object is sent as {} (the tool result already told the model it was malformed). */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : {};
  } catch {
    return {};
  }
}

function toToolCall(call: OllamaToolCall): ToolCall {
  const args: unknown = call.function.arguments;
  return {
    id: call.id || newToolCallId(),
    name: call.function.name,
    arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}),
  };
}

function toFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'length') return 'length';
  if (hasToolCalls) return 'tool_calls';
  return reason === 'stop' || reason === undefined ? 'stop' : 'other';
}

function usage(response: OllamaChatResponse | undefined) {
  return response && typeof response.prompt_eval_count === 'number'
    ? { promptTokens: response.prompt_eval_count, completionTokens: response.eval_count ?? 0 }
    : undefined;
}
