// The one place where a provider failure becomes a ModelError. Both SDKs and raw fetch
// failures come in; what goes out says what happened and what to do next, in words a
// user can act on, and never contains the key (server text is scrubbed, since some
// servers quote the Authorization header or a masked key back).
import { isAbortError, ModelError, type ProviderName } from '../core/model/chat';
import type { Fix, Host } from '../core/model/fix';
import { Redactor } from '../core/text/redact';
import { fixPhrase, fixSentence, settingRef } from '../config/fix-hints';
import { PROVIDERS } from './catalogue';
import { errorMessage } from '../core/text/error-message';

/** Who reads the messages and for which role the model works, which decides how fixes are worded. */
export interface Wording {
  /** Default: VS Code's wording. */
  host?: Host;
  role?: 'orchestrator' | 'worker';
}

export interface ErrorContext extends Wording {
  provider: ProviderName;
  model: string;
  baseUrl: string;
  apiKey?: string;
  /** 'stream': the answer had started, so a dropped connection cut it. */
  phase: 'request' | 'stream';
  signal?: AbortSignal;
}

/** What errors of a model are described with, before the request starts (the key only so that messages can mask it). */
export function requestContext(
  provider: ProviderName,
  model: string,
  options: { baseUrl: string; apiKey?: string; wording?: Wording },
  signal: AbortSignal | undefined,
): ErrorContext {
  return {
    ...options.wording,
    provider,
    model,
    baseUrl: options.baseUrl,
    apiKey: options.apiKey,
    phase: 'request',
    signal,
  };
}

/** A failed HTTP exchange, whichever SDK reported it. */
export interface HttpFailure {
  status: number;
  message: string;
  /** Provider error code ("model_not_found", "tool_use_failed", …). */
  code?: string;
  headers?: Headers;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

export function mapHttpFailure(failure: HttpFailure, ctx: ErrorContext): ModelError {
  const display = PROVIDERS[ctx.provider].displayName;
  const said = scrub(failure.message, ctx.apiKey);
  const details = { provider: ctx.provider, status: failure.status };
  const quote = said ? ` (${failure.status}: ${said})` : ` (HTTP ${failure.status})`;
  const { status } = failure;
  const lower = said.toLowerCase();

  const host = ctx.host ?? 'vscode';
  const pickModel = modelFix(ctx);

  if (status === 401 || status === 403) {
    const missing = /no (cookie )?auth|missing|no api key|not provided/i.test(said);
    const what = missing ? `${display} received no usable API key` : `${display} rejected the API key`;
    const fix: Fix = { kind: 'apiKey', provider: ctx.provider };
    return new ModelError('auth', `${what}${quote}. ${fixSentence(fix, host)}`, { ...details, fix });
  }
  if (status === 402) {
    const url = PROVIDERS[ctx.provider].creditsUrl;
    return new ModelError(
      'credits',
      `${display} refused the request for lack of credits${quote}. ${url ? `Add credits at ${url}, or use a cheaper or free model: ` : 'Use a cheaper or free model: '}${fixPhrase(pickModel, host)}.`,
      { ...details, fix: pickModel },
    );
  }
  if (/does not support tools|tools? (are|is) not supported|does not support (function|tool) call/i.test(said)) {
    return new ModelError(
      'tools_unsupported',
      `Model "${ctx.model}" on ${display} cannot call tools${quote}. Use a model with tool support (e.g. qwen2.5-coder, llama3.1): ${fixPhrase(pickModel, host)}.`,
      { ...details, fix: pickModel },
    );
  }
  if (status === 404) {
    if (ctx.provider === 'ollama' && /not found/.test(lower) && /model|pull/.test(lower)) {
      return new ModelError(
        'model_not_found',
        `Model "${ctx.model}" is not pulled in Ollama. Run \`ollama pull ${ctx.model}\`, or use an installed one: ${fixPhrase(pickModel, host)}.`,
        { ...details, fix: pickModel },
      );
    }
    if (failure.code === 'model_not_found' || /model/.test(lower)) {
      return new ModelError(
        'model_not_found',
        `Model "${ctx.model}" was not found on ${display}${quote}. Use one that exists: ${fixPhrase(pickModel, host)}.`,
        { ...details, fix: pickModel },
      );
    }
    return wrongEndpoint(404, ctx, quote);
  }
  if (status === 405) return wrongEndpoint(405, ctx, quote);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(failure.headers);
    // No promise of a retry here: whether one follows is the caller's to say (task.retrying).
    const wait = retryAfterMs === undefined ? '' : ` It asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`;
    return new ModelError(
      'rate_limit',
      `${display} is rate-limiting requests${quote}.${wait} If it keeps happening, run fewer tasks at once (${settingRef('rozet.maxParallelWorkers', host)}) or use your own provider key.`,
      { ...details, retryAfterMs },
    );
  }
  if (
    status === 413 ||
    /context length|context window|maximum context|too many tokens|prompt is too long/.test(lower)
  ) {
    return new ModelError(
      'context_length',
      `The conversation is too long for "${ctx.model}" on ${display}${quote}. Lower ${settingRef('rozet.memory.maxTokens', host)}, split the task, or use a model with a larger context.`,
      details,
    );
  }
  if (status >= 500) {
    const overloaded = status === 529 || status === 503 || /overload/.test(lower);
    return new ModelError(
      'server',
      `${display} ${overloaded ? 'is overloaded' : 'had a server error'}${quote}. If it persists, try again later or use another model.`,
      { ...details, retryAfterMs: parseRetryAfter(failure.headers) },
    );
  }
  if (failure.code === 'tool_use_failed') {
    return new ModelError(
      'bad_request',
      `"${ctx.model}" wrote a tool call that did not match the tool's schema${quote}. Retry the task, or pick a model that is better at tool calls.`,
      details,
    );
  }
  if (status === 400 || status === 422) {
    return new ModelError(
      'bad_request',
      `${display} rejected the request for "${ctx.model}"${quote}. This usually means the model does not accept one of the settings sent; ${fixPhrase(pickModel, host)}, or check the provider's documentation.`,
      { ...details, fix: pickModel },
    );
  }
  const fix: Fix = { kind: 'healthCheck' };
  return new ModelError(
    'bad_request',
    `${display} answered HTTP ${status}${said ? `: ${said}` : ''}. ${fixSentence(fix, host)}`,
    { ...details, fix },
  );
}

function modelFix(ctx: ErrorContext): Fix {
  return ctx.role ? { kind: 'model', role: ctx.role } : { kind: 'model' };
}

/** The base URL setting of the context's role (the worker's when none is known). */
function baseUrlFix(ctx: ErrorContext): Fix & { kind: 'setting' } {
  return { kind: 'setting', key: `rozet.${ctx.role ?? 'worker'}.baseUrl` };
}

function wrongEndpoint(status: number, ctx: ErrorContext, quote: string): ModelError {
  const advice =
    ctx.provider === 'ollama'
      ? "Ollama's base URL is the server root (e.g. http://127.0.0.1:11434, without /v1 or /api)."
      : 'OpenAI-compatible base URLs usually end in /v1 (LM Studio: http://localhost:1234/v1). For Ollama, choose the "ollama" provider instead.';
  const fix = baseUrlFix(ctx);
  return new ModelError(
    'method_not_allowed',
    `${ctx.baseUrl} does not serve the chat endpoint${quote}: the base URL is probably wrong. ${advice} ${fixSentence(fix, ctx.host ?? 'vscode')}`,
    { provider: ctx.provider, status, fix },
  );
}

/**
 * Maps anything a provider call threw. SDK-specific HTTP errors must be turned into
 * an HttpFailure by the caller first; this handles aborts, network failures and
 * streams that broke off.
 */
export function mapTransportError(error: unknown, ctx: ErrorContext): ModelError {
  if (error instanceof ModelError) return error;
  const display = PROVIDERS[ctx.provider].displayName;
  if (ctx.signal?.aborted || isAbortError(error))
    return new ModelError('cancelled', 'Cancelled.', { provider: ctx.provider, cause: error });
  const code = findErrorCode(error);
  const text = errorMessage(error);
  const host = ctx.host ?? 'vscode';
  const baseUrl = baseUrlFix(ctx);
  if (
    ctx.phase === 'stream' &&
    (code === undefined ||
      code === 'ECONNRESET' ||
      code === 'UND_ERR_SOCKET' ||
      code === 'EPIPE' ||
      /terminated|other side closed|premature close|did not receive done/i.test(text))
  ) {
    return streamCut(ctx);
  }
  if (code === 'ECONNREFUSED') {
    // Starting a server is advice for a server on this machine or network, not for a cloud API.
    const local = isLocalUrl(ctx.baseUrl);
    const advice =
      ctx.provider === 'ollama' && local
        ? 'Start it with `ollama serve` (or open the Ollama app), or point the base URL to where it runs.'
        : local
          ? 'Check that the server is running and the base URL is right.'
          : 'Check the base URL and your network or proxy.';
    return new ModelError(
      'connection',
      `Cannot connect to ${display} at ${ctx.baseUrl}: connection refused. ${advice} ${fixSentence(baseUrl, host)}`,
      { provider: ctx.provider, fix: baseUrl, cause: error },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ModelError(
      'connection',
      `Cannot resolve the host of ${ctx.baseUrl} (${code}). Check the host name and your network, DNS or proxy. ${fixSentence(baseUrl, host)}`,
      { provider: ctx.provider, fix: baseUrl, cause: error },
    );
  }
  if (
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    /timed? ?out/i.test(text)
  ) {
    return new ModelError(
      'timeout',
      `${display} at ${ctx.baseUrl} did not answer in time. If it persists, check your network or proxy.`,
      { provider: ctx.provider, cause: error },
    );
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return new ModelError(
      'connection',
      `The connection to ${display} at ${ctx.baseUrl} failed (${code}). If it persists, check your network or proxy.`,
      { provider: ctx.provider, cause: error },
    );
  }
  if (ctx.phase === 'stream') return streamCut(ctx);
  const fix: Fix = { kind: 'healthCheck' };
  return new ModelError(
    'connection',
    `Calling ${display} at ${ctx.baseUrl} failed: ${scrub(text, ctx.apiKey)}. ${fixSentence(fix, host)}`,
    { provider: ctx.provider, fix, cause: error },
  );
}

export function streamCut(ctx: ErrorContext): ModelError {
  return new ModelError(
    'stream_cut',
    `The answer from ${PROVIDERS[ctx.provider].displayName} ("${ctx.model}") broke off mid-stream; nothing from it was applied.`,
    { provider: ctx.provider },
  );
}

/** Loopback, private and link-local addresses and single-label or .local names: a server the user runs. */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    !host.includes('.') ||
    /^127\./.test(host) ||
    /^10\./.test(host) ||
    /^192\.168\./.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    /^169\.254\./.test(host) ||
    host === '::1' ||
    /^f[cd][0-9a-f]{2}:/.test(host) ||
    /^fe80:/.test(host)
  );
}

/** An error object a provider put inside a 200 stream (OpenRouter does this). */
export function mapStreamErrorEvent(code: unknown, message: string, ctx: ErrorContext): ModelError {
  const display = PROVIDERS[ctx.provider].displayName;
  const status = typeof code === 'number' ? code : Number.parseInt(String(code), 10);
  const mapped = mapHttpFailure(
    {
      status: Number.isFinite(status) && status >= 400 ? status : 502,
      message,
      code: typeof code === 'string' ? code : undefined,
    },
    ctx,
  );
  if (mapped.kind !== 'bad_request')
    return new ModelError(
      mapped.kind,
      `${display} reported an error mid-answer; nothing from it was applied. ${mapped.message}`,
      mapped.details,
    );
  // A 400 after the answer began is about this answer (e.g. its token limit), not about a setting.
  const fix = modelFix(ctx);
  return new ModelError(
    'bad_request',
    `${display} stopped the answer of "${ctx.model}" with an error (${scrub(message, ctx.apiKey)}); nothing from it was applied. If it repeats, raise the output limit or ${fixPhrase(fix, ctx.host ?? 'vscode')}.`,
    { ...mapped.details, fix },
  );
}

/** Retry-After as milliseconds: `retry-after-ms`, then `retry-after` in seconds or as an HTTP date. */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms);
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number.parseFloat(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A model list fetched only to enrich an error must not hold the error up for long. */
export const SUGGESTION_LIST_TIMEOUT_MS = 3000;

/** A 404 for a model gets the names of a few that do exist, when listing them is cheap. */
export async function withModelSuggestions(error: ModelError, list: () => Promise<string[]>): Promise<ModelError> {
  if (error.kind !== 'model_not_found') return error;
  let ids: string[];
  try {
    ids = await list();
  } catch {
    return error;
  }
  if (ids.length === 0) return error;
  const missing = /"([^"]+)"/.exec(error.message)?.[1] ?? '';
  const suggestions = rankBySimilarity(ids, missing).slice(0, 5);
  return new ModelError(
    error.kind,
    `${error.message} Available models include: ${suggestions.join(', ')}.`,
    error.details,
  );
}

function rankBySimilarity(ids: string[], wanted: string): string[] {
  const target = wanted.toLowerCase();
  const score = (id: string) => {
    const candidate = id.toLowerCase();
    let prefix = 0;
    while (prefix < candidate.length && candidate[prefix] === target[prefix]) prefix++;
    return prefix + (target && candidate.includes(target.split(/[:/]/).pop() ?? target) ? 10 : 0);
  };
  return [...ids].sort((a, b) => score(b) - score(a));
}

function scrub(text: string, apiKey: string | undefined): string {
  const redactor = new Redactor();
  redactor.addSecret(apiKey);
  return redactor.redact(text).trim();
}

/** The first system error code (ECONNREFUSED, UND_ERR_SOCKET, …) along the cause chain. */
export function findErrorCode(error: unknown, depth = 0): string | undefined {
  if (!error || typeof error !== 'object' || depth > 5) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  if (error instanceof AggregateError) {
    for (const inner of error.errors) {
      const found = findErrorCode(inner, depth + 1);
      if (found) return found;
    }
  }
  return findErrorCode((error as { cause?: unknown }).cause, depth + 1);
}
