// How many requests each model server takes at once, and which server gets the next
// request. One ModelPool per model, over one or more endpoints (base URLs serving it).
//
// An endpoint's limit is configured (a number is obeyed as given), the provider's own
// (cloud APIs), reported by the server (llama.cpp's /props), or learned. Learning rests
// on one observation: a request the server serves at once starts streaming while the
// others still stream; a request the server queues starts only when another finishes,
// well after the time a first token usually takes. So the pool lets one request more
// than it knows the server takes (the probe); when the probe streams beside all the
// others, the known limit grows; when it had to wait for one to finish and was late,
// the limit is found (a probe that is neither says nothing, and the next one is asked). At most that one probe ever waits in the
// server's own queue (a queued request can make Ollama reload a model), and a found
// limit is probed again now and then, with growing pauses, in case the server changed.
//
// An endpoint that refuses connections, answers 5xx or lacks the model is set aside for
// a while when another endpoint can take its work; when every endpoint is set aside the
// one back soonest is tried anyway, so a request fails with a real error, never hangs.
import { errorMessage } from '../text/error-message';
import { ModelError, type ChatModel } from './chat';
import { endpointLabel, type EndpointStatus, type SlotSource } from './endpoint-status';

export interface EndpointSpec {
  /** Base URL as configured. */
  url: string;
  /** The model on this endpoint. */
  model: ChatModel;
  /** A whole number is obeyed as given; 'auto' asks the server or learns. */
  limit: number | 'auto';
  /** Where a numeric limit comes from: the user's setting, or the provider's own cap. */
  limitSource?: 'configured' | 'provider';
  /** Asks the server how many requests it serves at once; undefined when it cannot tell. */
  discover?: (signal: AbortSignal) => Promise<number | undefined>;
}

export interface SlotLease {
  /** The endpoint's own model, to send the request to. */
  readonly model: ChatModel;
  readonly url: string;
  /** The first token (text, reasoning or a tool-call fragment) arrived. */
  token(): void;
  /** The request ended; an error says how. Tells whether another endpoint can take a retry now. */
  release(error?: unknown): { retryElsewhere: boolean };
}

export interface SlotGate {
  readonly endpointCount: number;
  /** Waits for a free slot on some endpoint; `affinity` prefers the endpoint its last lease used. */
  acquire(options?: { signal?: AbortSignal; affinity?: string }): Promise<SlotLease>;
  /** Requests that may be in flight now, over every endpoint that is not set aside. */
  capacity(): number;
  inFlight(): number;
  status(): EndpointStatus[];
  onChange(listener: () => void): () => void;
}

export interface PoolTiming {
  now?: () => number;
  /** First pause before a found limit is probed again; doubles up to `reprobeMaxMs`. */
  reprobeMs?: number;
  reprobeMaxMs?: number;
  /** How long a failing endpoint is set aside. */
  setAsideMs?: number;
  /** Longest wait for a server to say how many slots it has. */
  discoverTimeoutMs?: number;
}

interface Request {
  probe: boolean;
  streaming: boolean;
  sentAt: number;
}

interface Endpoint {
  spec: EndpointSpec;
  label: string;
  known: number;
  source: SlotSource;
  requests: Set<Request>;
  streaming: number;
  /** Recent times to a first token; their minimum is the least a request takes with a slot free. */
  firstTokenMs: number[];
  /** Learned limits are probed again from this time on. */
  probeAt: number;
  probePauseMs: number;
  down?: { reason: string; retryAt: number };
  discovery?: Promise<void>;
}

interface Waiter {
  affinity?: string;
  signal?: AbortSignal;
  grant: (endpoint: Endpoint) => void;
  fail: (error: unknown) => void;
}

const DEFAULTS: Required<Omit<PoolTiming, 'now'>> = {
  reprobeMs: 30_000,
  reprobeMaxMs: 300_000,
  setAsideMs: 30_000,
  discoverTimeoutMs: 2_000,
};

export class ModelPool implements SlotGate {
  private readonly endpoints: Endpoint[];
  private readonly waiters: Waiter[] = [];
  private readonly listeners = new Set<() => void>();
  private readonly lastEndpoint = new Map<string, Endpoint>();
  private readonly timing: Required<Omit<PoolTiming, 'now'>>;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;

  constructor(specs: readonly EndpointSpec[], timing: PoolTiming = {}) {
    if (specs.length === 0) throw new Error('A model pool needs at least one endpoint.');
    this.now = timing.now ?? Date.now;
    this.timing = { ...DEFAULTS, ...definedOnly(timing) };
    this.endpoints = specs.map((spec) => {
      const fixed = typeof spec.limit === 'number';
      return {
        spec,
        label: endpointLabel(spec.url),
        known: fixed ? Math.max(1, Math.floor(spec.limit as number)) : 1,
        source: fixed ? (spec.limitSource ?? 'configured') : 'learning',
        requests: new Set(),
        streaming: 0,
        firstTokenMs: [],
        probeAt: 0,
        probePauseMs: this.timing.reprobeMs,
      };
    });
  }

  get endpointCount(): number {
    return this.endpoints.length;
  }

  capacity(): number {
    const up = this.endpoints.filter((e) => !this.isDown(e));
    // Every endpoint set aside: one request at a time goes to the one back soonest.
    if (up.length === 0) return 1;
    return up.reduce((sum, e) => sum + this.allowed(e), 0);
  }

  inFlight(): number {
    return this.endpoints.reduce((sum, e) => sum + e.requests.size, 0);
  }

  status(): EndpointStatus[] {
    return this.endpoints.map((e) => ({
      model: e.spec.model.model,
      endpoint: e.label,
      url: e.spec.url,
      inFlight: e.requests.size,
      slots: e.known,
      source: e.source,
      ...(this.isDown(e) && e.down ? { down: { ...e.down } } : {}),
    }));
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async acquire(options: { signal?: AbortSignal; affinity?: string } = {}): Promise<SlotLease> {
    const { signal, affinity } = options;
    if (signal?.aborted) throw cancelled();
    await this.discoverAll(signal);
    const endpoint = this.pick(affinity);
    return endpoint ? this.lease(endpoint, affinity) : this.wait(affinity, signal);
  }

  private async discoverAll(signal?: AbortSignal): Promise<void> {
    const pending = this.endpoints.filter((e) => e.spec.discover && e.spec.limit === 'auto');
    if (pending.length === 0) return;
    await Promise.all(pending.map((e) => (e.discovery ??= this.discover(e))));
    if (signal?.aborted) throw cancelled();
  }

  private async discover(endpoint: Endpoint): Promise<void> {
    try {
      const slots = await endpoint.spec.discover!(AbortSignal.timeout(this.timing.discoverTimeoutMs));
      if (slots !== undefined && Number.isInteger(slots) && slots >= 1) {
        endpoint.known = slots;
        endpoint.source = 'reported';
        this.changed();
      }
    } catch {
      // A server that cannot say is learned instead.
    }
  }

  private allowed(e: Endpoint): number {
    switch (e.source) {
      case 'learning':
        return e.known + 1;
      case 'learned':
        return this.now() >= e.probeAt ? e.known + 1 : e.known;
      default:
        return e.known;
    }
  }

  private isDown(e: Endpoint): boolean {
    return e.down !== undefined && this.now() < e.down.retryAt;
  }

  /** The endpoint for the next request now, or undefined when every usable one is full. */
  private pick(affinity?: string): Endpoint | undefined {
    const up = this.endpoints.filter((e) => !this.isDown(e));
    if (up.length === 0) {
      // All set aside: the one back soonest is tried, one request at a time.
      const soonest = [...this.endpoints].sort((a, b) => (a.down?.retryAt ?? 0) - (b.down?.retryAt ?? 0))[0];
      return this.inFlight() === 0 ? soonest : undefined;
    }
    const free = up.filter((e) => e.requests.size < this.allowed(e));
    if (free.length === 0) return undefined;
    const preferred = affinity ? this.lastEndpoint.get(affinity) : undefined;
    if (preferred && free.includes(preferred)) return preferred;
    // Most free slots first; a probe (the +1) only where no confirmed slot is free.
    return free.sort((a, b) => b.known - b.requests.size - (a.known - a.requests.size))[0];
  }

  private wait(affinity: string | undefined, signal: AbortSignal | undefined): Promise<SlotLease> {
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<SlotLease>((resolve, reject) => {
      const waiter: Waiter = {
        affinity,
        signal,
        // The slot is taken when granted, not when the waiter wakes: the next waiter in the
        // same loop must see it taken.
        grant: (endpoint) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.lease(endpoint, affinity));
        },
        fail: reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(cancelled());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
      this.changed();
    });
  }

  private lease(endpoint: Endpoint, affinity?: string): SlotLease {
    const request: Request = {
      probe: endpoint.requests.size >= endpoint.known,
      streaming: false,
      sentAt: this.now(),
    };
    endpoint.requests.add(request);
    if (affinity) this.lastEndpoint.set(affinity, endpoint);
    this.changed();
    let released = false;
    return {
      model: endpoint.spec.model,
      url: endpoint.spec.url,
      token: () => {
        if (released || request.streaming) return;
        request.streaming = true;
        endpoint.streaming++;
        this.observe(endpoint, request);
      },
      release: (error?: unknown) => {
        if (released) return { retryElsewhere: false };
        released = true;
        endpoint.requests.delete(request);
        if (request.streaming) endpoint.streaming--;
        const retryElsewhere = this.settle(endpoint, error);
        this.changed();
        this.grantWaiters();
        return { retryElsewhere };
      },
    };
  }

  /** What the first token of a request tells about the endpoint's parallelism. */
  private observe(endpoint: Endpoint, request: Request): void {
    if (endpoint.source !== 'learning' && endpoint.source !== 'learned') return;
    const waited = this.now() - request.sentAt;
    // Every first token takes at least the server's own time to start an answer, so the
    // least of the recent ones is the time a request with a free slot takes.
    const least = endpoint.firstTokenMs.length ? Math.min(...endpoint.firstTokenMs) : undefined;
    endpoint.firstTokenMs.push(waited);
    if (endpoint.firstTokenMs.length > 32) endpoint.firstTokenMs.shift();
    if (endpoint.streaming > endpoint.known) {
      endpoint.known = endpoint.streaming;
      endpoint.source = 'learning';
      endpoint.probePauseMs = this.timing.reprobeMs;
      this.changed();
      this.grantWaiters();
    } else if (request.probe && least !== undefined && waited > 2 * least + 20) {
      // It started only once another request had finished, and late: the server queued it.
      endpoint.source = 'learned';
      endpoint.probeAt = this.now() + endpoint.probePauseMs;
      endpoint.probePauseMs = Math.min(this.timing.reprobeMaxMs, endpoint.probePauseMs * 2);
      this.schedule(endpoint.probeAt);
      this.changed();
    }
  }

  /** Sets an endpoint aside after a failure that is its own; says whether another can take the retry. */
  private settle(endpoint: Endpoint, error: unknown): boolean {
    if (error === undefined) {
      if (endpoint.down) {
        endpoint.down = undefined;
        this.changed();
      }
      return false;
    }
    if (this.endpoints.length < 2 || !isEndpointFailure(error)) return false;
    const modelMissing = error instanceof ModelError && error.kind === 'model_not_found';
    endpoint.down = {
      reason: modelMissing ? `does not have the model "${endpoint.spec.model.model}"` : firstLine(error),
      retryAt: this.now() + (modelMissing ? this.timing.setAsideMs * 10 : this.timing.setAsideMs),
    };
    this.schedule(endpoint.down.retryAt);
    return this.endpoints.some((e) => e !== endpoint && !this.isDown(e));
  }

  private grantWaiters(): void {
    while (this.waiters.length) {
      const next = this.waiters[0];
      const endpoint = this.pick(next.affinity);
      if (!endpoint) return;
      this.waiters.shift();
      next.grant(endpoint);
    }
  }

  /** Wakes the pool when a probe pause or a set-aside ends. */
  private schedule(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    const next = Math.min(
      at,
      ...this.endpoints.flatMap((e) => [
        ...(e.down && e.down.retryAt > this.now() ? [e.down.retryAt] : []),
        ...(e.source === 'learned' && e.probeAt > this.now() ? [e.probeAt] : []),
      ]),
    );
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.changed();
        this.grantWaiters();
      },
      Math.max(0, next - this.now()),
    );
    this.timer.unref?.();
  }

  private changed(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch {
        // A watcher's fault must not break scheduling.
      }
    }
  }
}

/** Failures that say something about the endpoint rather than the request. */
function isEndpointFailure(error: unknown): boolean {
  if (!(error instanceof ModelError)) return false;
  return error.kind === 'connection' || error.kind === 'server' || error.kind === 'model_not_found';
}

function firstLine(error: unknown): string {
  return errorMessage(error).split('\n')[0];
}

function cancelled(): ModelError {
  return new ModelError('cancelled', 'Cancelled while waiting for a free model slot.');
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
