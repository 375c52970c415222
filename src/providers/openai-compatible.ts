// ChatModel for every server that speaks OpenAI's chat-completions API: OpenAI,
// OpenRouter, Gemini's and Anthropic's compatibility endpoints, LM Studio, vLLM,
// llama.cpp. The SDK's own retries and timeouts are off: callModel() in the core owns
// retrying (with Retry-After) and idle timing, so a stalled stream is judged by silence.
import OpenAI, { APIError } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import {
  ModelError,
  type ChatMessage,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type FinishReason,
  type ModelCapabilities,
  type ProviderName,
  type TokenUsage,
} from '../core/model/chat';
import type { Fix } from '../core/model/fix';
import { fixSentence } from '../config/fix-hints';
import { acceptsTemperature, PROVIDERS, type ListedModel } from './catalogue';
import {
  mapHttpFailure,
  mapStreamErrorEvent,
  mapTransportError,
  requestContext,
  streamCut,
  SUGGESTION_LIST_TIMEOUT_MS,
  withModelSuggestions,
  type ErrorContext,
  type Wording,
} from './errors';
import { newToolCallId, ToolCallAssembler } from './tool-calls';

export interface OpenAICompatibleOptions {
  provider: ProviderName;
  model: string;
  baseUrl: string;
  apiKey?: string;
  headers?: Record<string, string>;
  capabilities: ModelCapabilities;
  fetch?: typeof fetch;
  wording?: Wording;
}

// The SDK refuses timeout 0; this is the longest a Node timer can wait.
const NO_TIMEOUT_MS = 2 ** 31 - 1;

/** Fields some providers add to a streamed delta: DeepSeek/xAI reasoning_content, OpenRouter reasoning. */
type Delta = ChatCompletionChunk.Choice.Delta & { reasoning_content?: string | null; reasoning?: string | null };
type Message = ChatCompletion.Choice['message'] & { reasoning_content?: string | null; reasoning?: string | null };

export class OpenAICompatibleChatModel implements ChatModel {
  readonly provider: ProviderName;
  readonly model: string;
  readonly capabilities: ModelCapabilities;
  private readonly client: OpenAI;

  constructor(private readonly options: OpenAICompatibleOptions) {
    this.provider = options.provider;
    this.model = options.model;
    this.capabilities = options.capabilities;
    this.client = new OpenAI({
      // The SDK insists on a key; a keyless local server gets a placeholder that the
      // null Authorization header below keeps off the wire.
      apiKey: options.apiKey ?? 'unused',
      baseURL: options.baseUrl,
      // Explicit nulls: otherwise the SDK reads OPENAI_ORG_ID etc. from the environment
      // and would send OpenAI account headers to other providers.
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      maxRetries: 0,
      timeout: NO_TIMEOUT_MS,
      logLevel: 'off',
      fetch: options.fetch,
      defaultHeaders: { ...options.headers, ...(options.apiKey ? {} : { Authorization: null }) },
    });
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    if (PROVIDERS[this.provider].keyRequired && !this.options.apiKey) {
      const fix: Fix = { kind: 'apiKey', provider: this.provider };
      throw new ModelError(
        'auth',
        `No API key is set for ${PROVIDERS[this.provider].displayName}. ${fixSentence(fix, this.options.wording?.host ?? 'vscode')}`,
        { provider: this.provider, fix },
      );
    }
    const params = this.buildParams(request);
    const ctx = requestContext(this.provider, this.model, this.options, request.signal);
    try {
      return this.capabilities.streaming
        ? await this.streamChat(params, request, ctx)
        : await this.plainChat(params, request);
    } catch (error) {
      throw await this.toModelError(error, ctx);
    }
  }

  async listModels(signal?: AbortSignal): Promise<ListedModel[]> {
    const ctx = requestContext(this.provider, this.model, this.options, signal);
    try {
      const out: ListedModel[] = [];
      for await (const model of this.client.models.list({ signal })) {
        // OpenRouter lists what each model accepts; plain OpenAI says nothing about tools.
        const supported = (model as unknown as { supported_parameters?: unknown }).supported_parameters;
        out.push(Array.isArray(supported) ? { id: model.id, tools: supported.includes('tools') } : { id: model.id });
      }
      return out;
    } catch (error) {
      throw await this.toModelError(error, ctx, false);
    }
  }

  private buildParams(request: ChatRequest): ChatCompletionCreateParamsBase {
    const info = PROVIDERS[this.provider];
    const params: ChatCompletionCreateParamsBase = {
      model: this.model,
      messages: request.messages.map(toOpenAIMessage),
    };
    if (request.tools?.length) {
      params.tools = request.tools.map((t) => ({
        type: 'function',
        function: { name: t.name, description: t.description, parameters: t.parameters },
      }));
    }
    if (request.temperature !== undefined && acceptsTemperature(this.provider, this.model))
      params.temperature = request.temperature;
    if (request.json && info.jsonMode) params.response_format = { type: 'json_object' };
    if (request.maxOutputTokens) params[info.maxTokensParam] = request.maxOutputTokens;
    // OpenRouter's usage accounting: the final usage chunk then carries the call's `cost` in dollars.
    if (this.provider === 'openrouter') Object.assign(params, { usage: { include: true } });
    return params;
  }

  private async streamChat(
    params: ChatCompletionCreateParamsBase,
    request: ChatRequest,
    ctx: ErrorContext,
  ): Promise<ChatResponse> {
    const stream = await this.client.chat.completions.create(
      { ...params, stream: true, stream_options: { include_usage: true } },
      { signal: request.signal },
    );
    ctx.phase = 'stream';
    const tools = new ToolCallAssembler();
    let content = '';
    let finish: FinishReason | undefined;
    let usage: TokenUsage | undefined;
    let model = this.model;
    for await (const chunk of stream) {
      if (chunk.model) model = chunk.model;
      if (chunk.usage) usage = toUsage(chunk.usage);
      const choice = chunk.choices?.[0];
      const delta = (choice?.delta ?? {}) as Delta;
      const reasoning = delta.reasoning_content ?? delta.reasoning;
      if (reasoning) request.onDelta?.({ reasoning });
      if (delta.content) {
        content += delta.content;
        request.onDelta?.({ text: delta.content });
      }
      for (const fragment of delta.tool_calls ?? []) {
        tools.add(fragment);
        request.onDelta?.({ toolCallFragment: true });
      }
      // Role, finish and usage chunks carry no text but are the server speaking: they
      // count against the idle timer too, or a slow tail would look like a stall.
      if (!reasoning && !delta.content && !delta.tool_calls?.length) request.onDelta?.({});
      if (choice?.finish_reason) finish = toFinishReason(choice.finish_reason);
    }
    // The SDK ends the loop quietly when aborted, and a server that drops the connection
    // cleanly ends it too: neither is a finished answer.
    if (request.signal?.aborted) throw new ModelError('cancelled', 'Cancelled.', { provider: this.provider });
    if (!finish) throw streamCut(ctx);
    const toolCalls = tools.result();
    return {
      content,
      toolCalls,
      finishReason: finish === 'stop' && toolCalls.length ? 'tool_calls' : finish,
      usage,
      model,
    };
  }

  private async plainChat(params: ChatCompletionCreateParamsBase, request: ChatRequest): Promise<ChatResponse> {
    const completion = await this.client.chat.completions.create(
      { ...params, stream: false },
      { signal: request.signal },
    );
    // OpenRouter can answer 200 with an error object instead of choices.
    const embedded = (completion as unknown as { error?: { code?: unknown; message?: string } }).error;
    const choice = completion.choices?.[0];
    if (embedded || !choice) {
      throw mapStreamErrorEvent(embedded?.code, embedded?.message ?? 'the answer had no choices', {
        provider: this.provider,
        model: this.model,
        baseUrl: this.options.baseUrl,
        apiKey: this.options.apiKey,
        phase: 'stream',
      });
    }
    const message = choice.message as Message;
    const reasoning = message.reasoning_content ?? message.reasoning;
    if (reasoning) request.onDelta?.({ reasoning });
    const content = message.content ?? '';
    if (content) request.onDelta?.({ text: content });
    const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
      call.type === 'function'
        ? [{ id: call.id || newToolCallId(), name: call.function.name, arguments: call.function.arguments ?? '' }]
        : [],
    );
    const finish = toFinishReason(choice.finish_reason);
    return {
      content,
      toolCalls,
      finishReason: finish === 'stop' && toolCalls.length ? 'tool_calls' : finish,
      usage: completion.usage ? toUsage(completion.usage) : undefined,
      model: completion.model || this.model,
    };
  }

  private async toModelError(error: unknown, ctx: ErrorContext, suggest = true): Promise<ModelError> {
    if (error instanceof ModelError) return error;
    if (
      error instanceof APIError &&
      !ctx.signal?.aborted &&
      error.status === undefined &&
      error.error &&
      typeof error.error === 'object'
    ) {
      // An `error` object inside a 200 stream: the SDK throws it without a status.
      const body = error.error as { code?: unknown; message?: unknown };
      return mapStreamErrorEvent(body.code, typeof body.message === 'string' ? body.message : error.message, ctx);
    }
    if (error instanceof APIError && error.status !== undefined) {
      const body = error.error as
        { message?: unknown; code?: unknown; metadata?: { raw?: unknown } } | string | undefined;
      const mapped = mapHttpFailure(
        {
          status: error.status,
          message: serverMessage(body, error.message),
          code: typeof error.code === 'string' ? error.code : undefined,
          headers: error.headers,
        },
        ctx,
      );
      if (!suggest) return mapped;
      return withModelSuggestions(mapped, async () =>
        (await this.listModels(AbortSignal.timeout(SUGGESTION_LIST_TIMEOUT_MS))).map((m) => m.id),
      );
    }
    const cause = error instanceof APIError && error.cause !== undefined ? error.cause : error;
    return mapTransportError(cause, ctx);
  }
}

/** The server's own words, without the status the SDK puts in front of a text body (the mapper quotes the status itself). */
function serverMessage(
  body: { message?: unknown; code?: unknown; metadata?: { raw?: unknown } } | string | undefined,
  sdkMessage: string,
): string {
  if (typeof body === 'string') return body;
  const message = typeof body?.message === 'string' ? body.message : sdkMessage.replace(/^\d{3}\s+/, '');
  // OpenRouter's "Provider returned error" hides the useful upstream text in metadata.raw.
  const raw = body?.metadata?.raw;
  return typeof raw === 'string' && raw ? `${message}: ${raw}` : message;
}

function toOpenAIMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId ?? '', content: message.content };
    case 'assistant':
      return message.toolCalls?.length
        ? {
            role: 'assistant',
            content: message.content || null,
            tool_calls: message.toolCalls.map((c) => ({
              id: c.id,
              type: 'function',
              function: { name: c.name, arguments: c.arguments },
            })),
          }
        : { role: 'assistant', content: message.content };
  }
}

function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'tool_calls':
    case 'content_filter':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function toUsage(usage: { prompt_tokens?: number; completion_tokens?: number }): TokenUsage {
  const out: TokenUsage = { promptTokens: usage.prompt_tokens ?? 0, completionTokens: usage.completion_tokens ?? 0 };
  const cost = (usage as { cost?: unknown }).cost;
  if (typeof cost === 'number' && Number.isFinite(cost) && cost >= 0) out.cost = cost;
  return out;
}
