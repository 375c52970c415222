// Asking a server how many requests it serves at once, where it can tell. Of the servers
// people run models on, only llama.cpp's server says it: GET /props (at the server's
// root, not under /v1) answers `total_slots`, its --parallel. Ollama does not expose
// OLLAMA_NUM_PARALLEL, LM Studio and vLLM do not expose their limits either: for them the
// pool learns the number from how the server behaves (see core/model/capacity.ts).
import type { ProviderName } from '../core/model/chat';

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
