// The one interface every model provider implements. Core code talks to models only
// through it, so the coordinator, worker and planner run the same against Ollama,
// OpenAI-compatible servers and the scripted models of the tests.

import type { SlotGate } from './capacity';
import type { Fix } from './fix';

// A literal tuple, so the settings schema and the webview protocol can build z.enum from it.
export const PROVIDER_NAMES = [
  'ollama',
  'openai',
  'openrouter',
  'gemini',
  'anthropic',
  'openaiCompatible',
  'vscode',
] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCall {
  /** Provider's id; generated when the provider sends none or an empty one. */
  id: string;
  name: string;
  /** Raw JSON text of the arguments, exactly as assembled from the stream. */
  arguments: string;
}

export interface ChatMessage {
  role: ChatRole;
  content: string;
  /** Assistant turns that called tools. */
  toolCalls?: ToolCall[];
  /** Tool results: which call they answer, and the tool's name. */
  toolCallId?: string;
  name?: string;
}

/** JSON-schema description of a tool as models see it. */
export interface ToolSpec {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** One streamed fragment; an empty one is a chunk without text (role, finish, usage) that still proves the server is alive. */
export interface ChatDelta {
  /** Visible answer text. */
  text?: string;
  /** Reasoning/thinking text some models stream before answering. */
  reasoning?: string;
  /** Set when a tool-call fragment arrived (its text is not shown to users). */
  toolCallFragment?: boolean;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  temperature?: number;
  /** Ask for a JSON object answer where the provider supports it. */
  json?: boolean;
  maxOutputTokens?: number;
  /** Called for every streamed fragment; any fragment resets the idle timer. */
  onDelta?: (delta: ChatDelta) => void;
  /** Give up when no fragment arrived for this long (not a total timeout). */
  idleTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  /** US dollars, where the provider reports it (OpenRouter) or rozet.pricing prices the model. */
  cost?: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

export interface ChatResponse {
  content: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage?: TokenUsage;
  model: string;
}

export interface ModelCapabilities {
  /** The provider/model accepts `tools` and answers with structured tool calls. */
  nativeTools: boolean;
  streaming: boolean;
  /** Most requests the provider serves at once when nothing better is known (cloud APIs: their cap). */
  parallelSlots: number;
  /** Context window in tokens, as far as it is known. */
  contextTokens: number;
}

export interface ChatModel {
  readonly provider: ProviderName;
  readonly model: string;
  readonly capabilities: ModelCapabilities;
  chat(request: ChatRequest): Promise<ChatResponse>;
  /**
   * Present on a model served by a pool of endpoints with limited slots: callModel takes
   * a slot before sending (that wait is not timed) and sends to the slot's endpoint.
   */
  readonly gate?: SlotGate;
}

export type ModelErrorKind =
  | 'auth' // 401/403: key missing or rejected
  | 'credits' // 402
  | 'model_not_found' // 404 / Ollama "not found, try pulling it"
  | 'method_not_allowed' // 405: wrong base URL or endpoint
  | 'bad_request' // 400 other than the above
  | 'tools_unsupported' // the model cannot take tools
  | 'context_length'
  | 'rate_limit' // 429
  | 'server' // 5xx, 529
  | 'timeout' // idle timeout: no token for idleTimeoutMs
  | 'connection' // refused, reset, DNS
  | 'stream_cut' // the stream ended or errored mid-answer
  | 'cancelled';

/**
 * A model failure with a message meant for users: it says what happened and what to do
 * next. It never carries an API key.
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    readonly details: {
      provider?: ProviderName;
      status?: number;
      retryAfterMs?: number;
      /** What fixes it; hosts word it and offer it as a button. */
      fix?: Fix;
      cause?: unknown;
    } = {},
  ) {
    super(message);
  }

  get retryable(): boolean {
    return (
      this.kind === 'rate_limit' ||
      this.kind === 'server' ||
      this.kind === 'timeout' ||
      this.kind === 'connection' ||
      this.kind === 'stream_cut'
    );
  }
}

export function isAbortError(error: unknown): boolean {
  return (
    (error instanceof ModelError && error.kind === 'cancelled') ||
    (error instanceof Error && (error.name === 'AbortError' || error.name === 'APIUserAbortError'))
  );
}
