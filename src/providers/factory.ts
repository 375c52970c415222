// Turns a resolved model setting (provider, model, base URL, key) into a ChatModel.
// Bad configuration fails here, before any request, with a message naming the setting.
import picomatch from 'picomatch';
import { PROVIDER_NAMES, type ChatModel, type ProviderName } from '../core/model/chat';
import type { Host } from '../core/model/fix';
import { fixSentence } from '../config/fix-hints';
import { capabilitiesFor, PROVIDERS, type ListedModel } from './catalogue';
import { OllamaChatModel } from './ollama';
import { OpenAICompatibleChatModel } from './openai-compatible';

export interface ModelSpec {
  provider: ProviderName;
  model: string;
  baseUrl?: string;
  apiKey?: string;
  ollama?: { numCtx: number; keepAlive: string };
  /** rozet.worker.parallelRequests: requests one endpoint serves at once for this model, or 'auto'. */
  parallelRequests?: number | 'auto';
  /** rozet.worker.endpoints: more base URLs serving the same model, each with the key it may get. */
  endpoints?: Array<{ baseUrl: string; apiKey?: string }>;
  /** Sent to OpenRouter as X-Title, which its dashboard shows. */
  appName?: string;
  /** false: ask for whole answers (for servers or proxies that break SSE). Default true. */
  streaming?: boolean;
  /** For tests and proxies; requests still go over real HTTP. */
  fetch?: typeof fetch;
  /** Who reads the error messages (default: VS Code), which decides how fixes are worded. */
  host?: Host;
  /** The role the model serves, for fixes that name its setting (default: the worker's). */
  role?: 'orchestrator' | 'worker';
  /** The models the host serves itself (provider `vscode`); absent outside VS Code. */
  hostModels?: HostModels;
}

export interface HostModels {
  create(model: string): ListingChatModel;
}

/** Configuration that cannot work; `setting` names what to change. */
export class ProviderConfigError extends Error {
  override readonly name = 'ProviderConfigError';
  constructor(
    message: string,
    readonly setting: 'provider' | 'model' | 'baseUrl',
  ) {
    super(message);
  }
}

export const DEFAULT_OLLAMA = { numCtx: 16_384, keepAlive: '30m' } as const;

const OPENROUTER_REFERER = 'https://github.com/rozet-dev/rozet';

export type ListingChatModel = ChatModel & { listModels(signal?: AbortSignal): Promise<ListedModel[]> };

export function createChatModel(spec: ModelSpec): ListingChatModel {
  const provider = checkProvider(spec.provider);
  const model = spec.model?.trim();
  const wording = { host: spec.host, role: spec.role };
  if (!model)
    throw new ProviderConfigError(
      `No model is set for ${PROVIDERS[provider].displayName}. ${fixSentence({ kind: 'model', role: spec.role }, spec.host ?? 'vscode')}`,
      'model',
    );
  if (PROVIDERS[provider].hostOnly) {
    if (!spec.hostModels)
      throw new ProviderConfigError(
        `The "${provider}" provider is the language models of VS Code (GitHub Copilot and other extensions): it is only available in the Rozet extension, not in the rozet CLI. Pick another provider for the CLI, e.g. ROZET_WORKER_PROVIDER=ollama or ROZET_ORCHESTRATOR_PROVIDER=openrouter.`,
        'provider',
      );
    return spec.hostModels.create(model);
  }
  const baseUrl = resolveBaseUrl(provider, spec.baseUrl);
  const apiKey = spec.apiKey?.trim() || undefined;
  if (provider === 'ollama') {
    const { numCtx, keepAlive } = spec.ollama ?? DEFAULT_OLLAMA;
    const capabilities = capabilitiesFor(provider, model, { numCtx });
    if (spec.streaming === false) capabilities.streaming = false;
    return new OllamaChatModel({ model, baseUrl, numCtx, keepAlive, capabilities, fetch: spec.fetch, apiKey, wording });
  }
  const capabilities = capabilitiesFor(provider, model);
  if (spec.streaming === false) capabilities.streaming = false;
  const headers =
    provider === 'openrouter' ? { 'HTTP-Referer': OPENROUTER_REFERER, 'X-Title': spec.appName ?? 'Rozet' } : undefined;
  return new OpenAICompatibleChatModel({
    provider,
    model,
    baseUrl,
    apiKey,
    headers,
    capabilities,
    fetch: spec.fetch,
    wording,
  });
}

/** The provider's model list: /models for OpenAI-compatible servers, /api/tags for Ollama. */
export function listModels(
  spec: Omit<ModelSpec, 'model'> & { model?: string },
  signal?: AbortSignal,
): Promise<ListedModel[]> {
  // Listing needs no model; a placeholder satisfies the constructor's check.
  return createChatModel({ ...spec, model: spec.model?.trim() || 'list' }).listModels(signal);
}

/** Hides models matching rozet.models.exclude. A pattern without "/" also matches the part after a vendor prefix ("*embed*" hides "openai/text-embedding-3"). */
export function filterModels<T extends string | { id: string }>(
  models: readonly T[],
  excludeGlobs: readonly string[],
): T[] {
  const patterns = excludeGlobs.map((g) => g.trim()).filter(Boolean);
  if (patterns.length === 0) return [...models];
  // picomatch's own `basename` option breaks patterns that do contain "/", hence by hand.
  const full = picomatch(patterns, { nocase: true, dot: true });
  const bare = patterns.filter((p) => !p.includes('/'));
  const tail = bare.length ? picomatch(bare, { nocase: true, dot: true }) : () => false;
  return models.filter((m) => {
    const id = typeof m === 'string' ? m : m.id;
    return !full(id) && !tail(id.slice(id.lastIndexOf('/') + 1));
  });
}

export function resolveBaseUrl(provider: ProviderName, configured: string | undefined): string {
  const info = PROVIDERS[provider];
  if (info.hostOnly) return '';
  const raw = configured?.trim() || info.defaultBaseUrl;
  if (!raw) {
    throw new ProviderConfigError(
      `${info.displayName} needs a base URL: set rozet.orchestrator.baseUrl or rozet.worker.baseUrl (e.g. http://localhost:1234/v1 for LM Studio, http://localhost:8080/v1 for llama.cpp).`,
      'baseUrl',
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProviderConfigError(
      `"${raw}" is not a valid base URL for ${info.displayName}. Use a full URL such as ${info.defaultBaseUrl || 'http://localhost:1234/v1'}.`,
      'baseUrl',
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProviderConfigError(
      `The base URL "${raw}" for ${info.displayName} must start with http:// or https://.`,
      'baseUrl',
    );
  }
  if (url.username || url.password) {
    throw new ProviderConfigError(
      `The base URL for ${info.displayName} contains credentials; remove them and set the API key on its own.`,
      'baseUrl',
    );
  }
  let text = url.toString().replace(/\/+$/, '');
  // People paste Ollama's OpenAI-compatible URL; the native API lives at the root.
  if (provider === 'ollama') text = text.replace(/\/(v1|api)$/, '');
  return text;
}

function checkProvider(provider: string): ProviderName {
  if ((PROVIDER_NAMES as readonly string[]).includes(provider)) return provider as ProviderName;
  throw new ProviderConfigError(
    `Unknown provider "${provider}". Use one of: ${PROVIDER_NAMES.join(', ')}.`,
    'provider',
  );
}
