// Every model call in the core goes through here: an idle timeout (time without a
// fragment, never total time, so a slow local model that keeps streaming is not cut
// off), one AbortSignal, and bounded retries with backoff for failures worth retrying.
import { ModelError, type ChatModel, type ChatRequest, type ChatResponse } from './chat';

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
  idleTimeoutMs?: number;
  /** The setting behind idleTimeoutMs, named when it runs out (default: the worker's). */
  idleSetting?: `rozet.${string}`;
  retry?: Partial<RetryPolicy>;
  onRetry?: (error: ModelError, attempt: number, delayMs: number) => void;
}

export async function callModel(
  model: ChatModel,
  request: ChatRequest,
  options: CallOptions = {},
): Promise<ChatResponse> {
  const policy = { ...DEFAULT_RETRY, ...options.retry };
  for (let attempt = 1; ; attempt++) {
    try {
      return await callWithIdleTimeout(
        model,
        request,
        options.idleTimeoutMs ?? request.idleTimeoutMs,
        options.idleSetting,
      );
    } catch (error) {
      if (request.signal?.aborted) throw new ModelError('cancelled', 'Cancelled.', { cause: error });
      if (!(error instanceof ModelError) || !error.retryable || attempt >= policy.maxAttempts) throw error;
      const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      const retryAfter = error.details.retryAfterMs;
      if (retryAfter !== undefined && retryAfter > policy.maxRetryAfterMs) throw error;
      const delay = Math.max(backoff, retryAfter ?? 0);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, request.signal);
    }
  }
}

async function callWithIdleTimeout(
  model: ChatModel,
  request: ChatRequest,
  idleTimeoutMs: number | undefined,
  idleSetting: `rozet.${string}` = 'rozet.worker.idleTimeoutSeconds',
): Promise<ChatResponse> {
  if (!idleTimeoutMs || idleTimeoutMs <= 0) return model.chat(request);
  const inner = new AbortController();
  const outer = request.signal;
  const onOuterAbort = () => inner.abort(outer?.reason);
  if (outer?.aborted) inner.abort(outer.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      inner.abort(new Error('idle timeout'));
    }, idleTimeoutMs);
  };
  arm();
  // A provider that ignores its signal must not hold a cancelled or idle call (nor this
  // timer, nor the caller) open: the call settles when the signal fires either way.
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
          arm();
          request.onDelta?.(delta);
        },
      }),
      aborted,
    ]);
  } catch (error) {
    if (idle && !outer?.aborted) {
      throw new ModelError(
        'timeout',
        `${model.provider} model "${model.model}" sent nothing for ${Math.round(idleTimeoutMs / 1000)} s. If it is a local model still loading, raise ${idleSetting}.`,
        {
          provider: model.provider,
          fix: { kind: 'setting', key: idleSetting },
          cause: error,
        },
      );
    }
    throw error;
  } finally {
    if (timer) clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
    if (onInnerAbort) inner.signal.removeEventListener('abort', onInnerAbort);
  }
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
