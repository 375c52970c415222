// Asking a server how many requests it serves at once, where it can tell. Of the servers
// people run models on, only llama.cpp's server says it: GET /props (at the server's
// root, not under /v1) answers `total_slots`, its --parallel. Ollama does not expose
// OLLAMA_NUM_PARALLEL, LM Studio and vLLM do not expose their limits either: for them the
// pool learns the number from how the server behaves (see core/model/capacity.ts).
import { endpointLabel } from '../core/model/endpoint-status';
import type { ProviderName } from '../core/model/chat';
import { PROVIDERS } from './catalogue';
import { resolveBaseUrl, type ModelSpec } from './factory';

export type SlotDiscovery = (signal: AbortSignal) => Promise<number | undefined>;

export function slotDiscovery(
  provider: ProviderName,
  baseUrl: string,
  fetchImpl: typeof fetch = fetch,
): SlotDiscovery | undefined {
  if (provider !== 'openaiCompatible') return undefined;
  const root = baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
  return async (signal) => {
    const response = await fetchImpl(`${root}/props`, { signal, headers: { accept: 'application/json' } });
    if (!response.ok) return undefined;
    const body = (await response.json().catch(() => undefined)) as { total_slots?: unknown } | undefined;
    const slots = body?.total_slots;
    return typeof slots === 'number' && Number.isInteger(slots) && slots >= 1 && slots <= 1024 ? slots : undefined;
  };
}

export interface SlotReport {
  url: string;
  /** Requests the endpoint takes at once, where known before running. */
  slots?: number;
  source: 'configured' | 'provider' | 'reported' | 'found while running';
}

/**
 * What `rozet health` and the Health Check say about the worker's endpoints before any run:
 * the configured number, the provider's cap, what a llama.cpp server reports, or that
 * "auto" will find it while running (the server does not say).
 */
export async function workerSlots(spec: ModelSpec, signal?: AbortSignal): Promise<SlotReport[]> {
  const urls = [spec.baseUrl, ...(spec.endpoints ?? []).map((e) => e.baseUrl)];
  const info = PROVIDERS[spec.provider];
  return Promise.all(
    urls.map(async (configured): Promise<SlotReport> => {
      let url: string;
      try {
        url = resolveBaseUrl(spec.provider, configured) || info.displayName;
      } catch {
        return { url: configured ?? '', source: 'found while running' };
      }
      const requested = spec.parallelRequests ?? 'auto';
      if (requested !== 'auto') return { url, slots: requested, source: 'configured' };
      if (!info.local) return { url, slots: info.defaults.parallelSlots, source: 'provider' };
      const discover = slotDiscovery(spec.provider, url, spec.fetch);
      const timeout = AbortSignal.timeout(2000);
      const reported = await discover?.(signal ? AbortSignal.any([signal, timeout]) : timeout).catch(() => undefined);
      return reported ? { url, slots: reported, source: 'reported' } : { url, source: 'found while running' };
    }),
  );
}

export function describeSlotReport(report: SlotReport): string {
  const where = endpointLabel(report.url);
  switch (report.source) {
    case 'configured':
      return `${where}: ${report.slots} at once (configured)`;
    case 'provider':
      return `${where}: ${report.slots} at once (the provider's limit)`;
    case 'reported':
      return `${where}: ${report.slots} at once (reported by the server)`;
    case 'found while running':
      return `${where}: "auto" finds it while running (the server does not say how many it takes)`;
  }
}
