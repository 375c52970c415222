// Every model call in the core goes through here. Three clocks, none of them a total:
// the wait for a free slot (in Rozet, before anything is sent) has none; the wait for
// the first token (a cold load, a server's own queue) has its own generous limit; after
// it, the silence between tokens has the idle limit. Only text, reasoning and tool-call
// fragments count as tokens: a server that keeps sending empty chunks is still silent.
// Failures worth retrying are retried with backoff; a failure of one endpoint of a
// pooled model moves the request to another at once.
import { ModelError, type ChatDelta, type ChatModel, type ChatRequest, type ChatResponse } from './chat';
import type { SlotLease } from './capacity';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a longer one fails at once with the provider's message. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxRetryAfterMs: 120_000,
};

export interface CallOptions {
  /** Silence allowed between tokens once the first has arrived. */
  idleTimeoutMs?: number;
  /** Wait allowed for the first token after the request is sent; defaults to idleTimeoutMs. */
  firstTokenTimeoutMs?: number;
  /** The setting behind idleTimeoutMs, named when it runs out (default: the worker's). */
  idleSetting?: `rozet.${string}`;
  retry?: Partial<RetryPolicy>;
  onRetry?: (error: ModelError, attempt: number, delayMs: number) => void;
  /** Keeps one task's requests on the endpoint it used before, where its prompt is cached. */
  affinity?: string;
}

export async function callModel(
  model: ChatModel,
  request: ChatRequest,
  options: CallOptions = {},
): Promise<ChatResponse> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  // Moving to another endpoint is not a retry of the same server: it gets its own budget.
  const attempts = policy.maxAttempts + (model.gate ? model.gate.endpointCount - 1 : 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(model, request, options);
    } catch (error) {
      if (request.signal?.aborted) throw new ModelError('cancelled', 'Cancelled.', { cause: error });
      if (error instanceof Failover) {
        if (attempt >= attempts) throw error.error;
        options.onRetry?.(error.error, attempt, 0);
        continue;
      }
      if (!(error instanceof ModelError) || !error.retryable || attempt >= attempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const retryAfter = error.details.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw error;
      const delay = Math.max(backoff, retryAfter ?? 0);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, request.signal);
    }
  }
}

/** An endpoint failed in a way another endpoint of the same model can make good at once. */
class Failover extends Error {
  constructor(readonly error: ModelError) {
    super(error.message);
  }
}

async function callOnce(model: ChatModel, request: ChatRequest, options: CallOptions): Promise<ChatResponse> {
  if (!model.gate) return callWithTimeouts(model, request, options);
  const lease = await model.gate.acquire({ signal: request.signal, affinity: options.affinity });
  let response: ChatResponse;
  try {
    response = await callWithTimeouts(lease.model, request, options, lease);
  } catch (error) {
    const { retryElsewhere } = lease.release(error);
    if (retryElsewhere && error instanceof ModelError && !request.signal?.aborted) throw new Failover(error);
    throw error;
  }
  lease.release();
  return response;
}

function isToken(delta: ChatDelta): boolean {
  return Boolean(delta.text || delta.reasoning || delta.toolCallFragment);
}

async function callWithTimeouts(
  model: ChatModel,
  request: ChatRequest,
  options: CallOptions,
  lease?: SlotLease,
): Promise<ChatResponse> {
  const idleMs = options.idleTimeoutMs ?? request.idleTimeoutMs ?? 0;
  const firstMs = options.firstTokenTimeoutMs ?? idleMs;
  const inner = new AbortController();
  const outer = request.signal;
  const onOuterAbort = () => inner.abort(outer?.reason);
  if (outer?.aborted) inner.abort(outer.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let expired: 'first' | 'idle' | undefined;
  let started = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, kind: 'first' | 'idle') => {
    if (timer) clearTimeout(timer);
    if (ms <= 0) return;
    timer = setTimeout(() => {
      expired = kind;
      inner.abort(new Error(`${kind === 'first' ? 'first-token' : 'idle'} timeout`));
    }, ms);
  };
  arm(firstMs, 'first');
  // A provider that ignores its signal must not hold a cancelled or timed-out call (nor
  // this timer, nor the caller) open: the call settles when the signal fires either way.
  let onInnerAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onInnerAbort = () => reject(inner.signal.reason ?? new Error('aborted'));
    if (inner.signal.aborted) onInnerAbort();
    else inner.signal.addEventListener('abort', onInnerAbort, { once: true });
  });
  try {
    return await Promise.race([
      model.chat({
        ...request,
        signal: inner.signal,
        onDelta: (delta) => {
          if (isToken(delta)) {
            if (!started) {
              started = true;
              lease?.token();
            }
            arm(idleMs, 'idle');
          }
          request.onDelta?.(delta);
        },
      }),
      aborted,
    ]);
  } catch (error) {
    if (expired && !outer?.aborted) {
      // Without a first-token limit of its own, the first token waits under the idle setting.
      const setting =
        expired === 'idle' || options.firstTokenTimeoutMs === undefined
          ? (options.idleSetting ?? 'rozet.worker.idleTimeoutSeconds')
          : 'rozet.worker.firstTokenTimeoutSeconds';
      throw timeoutError(model, expired === 'first' ? firstMs : idleMs, expired, setting, error);
    }
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    if (onInnerAbort) inner.signal.removeEventListener('abort', onInnerAbort);
  }
}

function timeoutError(
  model: ChatModel,
  ms: number,
  kind: 'first' | 'idle',
  setting: `rozet.${string}`,
  cause: unknown,
): ModelError {
  const seconds = ms < 10_000 ? `${Number((ms / 1000).toFixed(1))} s` : `${Math.round(ms / 1000)} s`;
  const who = `${model.provider} model "${model.model}"`;
  const message =
    kind === 'first'
      ? `${who} sent no first token for ${seconds} after the request. A local model may still be loading, or the server is busy with other requests: raise ${setting} if it needs longer.`
      : `${who} sent nothing for ${seconds} in the middle of its answer. Raise ${setting} if it is a slow local model.`;
  return new ModelError('timeout', message, {
    provider: model.provider,
    fix: { kind: 'setting', key: setting },
    cause,
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new ModelError('cancelled', 'Cancelled.'));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError('cancelled', 'Cancelled.'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
