// The pooled worker models of one window (or one CLI process): one ModelPool per model
// and set of endpoints, kept across runs so what was learned about a server's slots is
// not learned again for every run.
import { createHash } from 'node:crypto';
import { ModelPool, type EndpointSpec, type PoolTiming } from '../core/model/capacity';
import { PooledChatModel } from '../core/model/pooled-model';
import { PROVIDERS } from './catalogue';
import { createChatModel, resolveBaseUrl, type ModelSpec } from './factory';
import { slotDiscovery } from './slot-discovery';

export class ModelPools {
  private readonly pools = new Map<string, PooledChatModel>();

  constructor(private readonly timing: PoolTiming = {}) {}

  /** The pooled model for a spec: its base URL and every extra endpoint, with their limits. */
  get(spec: ModelSpec): PooledChatModel {
    const endpoints = [
      { baseUrl: spec.baseUrl, apiKey: spec.apiKey },
      ...(spec.endpoints ?? []).map((e) => ({ baseUrl: e.baseUrl, apiKey: e.apiKey })),
    ];
    const key = poolKey(spec, endpoints);
    let pooled = this.pools.get(key);
    if (!pooled) {
      const specs = endpoints.map((endpoint): EndpointSpec => {
        const model = createChatModel({ ...spec, baseUrl: endpoint.baseUrl, apiKey: endpoint.apiKey });
        // A model served by the host itself (VS Code's) has no URL: its name stands in.
        const url = resolveBaseUrl(spec.provider, endpoint.baseUrl) || PROVIDERS[spec.provider].displayName;
        return { url, model, ...limitFor(spec, url) };
      });
      pooled = new PooledChatModel(new ModelPool(specs, this.timing), specs[0].model);
      this.pools.set(key, pooled);
    }
    return pooled;
  }

  /** Every pool's endpoints, for health and configuration views. */
  status() {
    return [...this.pools.values()].flatMap((p) => p.gate.status());
  }
}

function limitFor(spec: ModelSpec, url: string): Pick<EndpointSpec, 'limit' | 'limitSource' | 'discover'> {
  const requested = spec.parallelRequests ?? 'auto';
  if (requested !== 'auto') return { limit: requested, limitSource: 'configured' };
  const info = PROVIDERS[spec.provider];
  // Cloud APIs take many requests and say so with 429s; their cap and back-off stay.
  if (!info.local) return { limit: info.defaults.parallelSlots, limitSource: 'provider' };
  return { limit: 'auto', discover: slotDiscovery(spec.provider, url, spec.fetch) };
}

function poolKey(spec: ModelSpec, endpoints: Array<{ baseUrl?: string; apiKey?: string }>): string {
  const parts = [
    spec.provider,
    spec.model,
    String(spec.parallelRequests ?? 'auto'),
    JSON.stringify(spec.ollama ?? {}),
    String(spec.streaming ?? true),
    ...endpoints.map((e) => `${e.baseUrl ?? ''} ${e.apiKey ? hash(e.apiKey) : ''}`),
  ];
  return parts.join('\n');
}

function hash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
