// What Rozet knows about each provider before talking to it: who it is (from
// core/model/provider-facts.ts, which the config layer reads too), how its API differs,
// and what its models can do. Kept as data so requests, the health check and the model
// pickers all read the same facts.
import type { ModelCapabilities, ProviderName } from '../core/model/chat';
import { PROVIDER_FACTS, type ProviderFacts } from '../core/model/provider-facts';

export { keyHint } from '../core/model/provider-facts';

export interface ProviderInfo extends ProviderFacts {
  /** Accepts `response_format: {type: "json_object"}` (LM Studio, for one, rejects it). */
  jsonMode: boolean;
  /** OpenAI's newer models reject `max_tokens`; most compatible servers only know it. */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens';
  /** Where the user tops up credits, for the 402 message. */
  creditsUrl?: string;
  /** Usually a server of the user's own (one GPU, one machine): its parallel slots are found, not assumed. */
  local: boolean;
  /** Served by the host itself (VS Code's language models), not over HTTP: no base URL, no key, not in the CLI. */
  hostOnly?: boolean;
  defaults: ModelCapabilities;
}

export interface ListedModel {
  id: string;
  /** Whether the model takes native tools, where the server says so (undefined: unknown). */
  tools?: boolean;
}

// Cloud APIs serve many requests at once; 8 keeps a run well inside common rate limits.
const CLOUD_SLOTS = 8;

export const PROVIDERS: Readonly<Record<ProviderName, ProviderInfo>> = {
  openai: {
    ...PROVIDER_FACTS.openai,
    jsonMode: true,
    maxTokensParam: 'max_completion_tokens',
    creditsUrl: 'https://platform.openai.com/settings/organization/billing',
    local: false,
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 128_000 },
  },
  openrouter: {
    ...PROVIDER_FACTS.openrouter,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://openrouter.ai/settings/credits',
    local: false,
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 128_000 },
  },
  gemini: {
    ...PROVIDER_FACTS.gemini,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://aistudio.google.com/',
    local: false,
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 1_000_000 },
  },
  anthropic: {
    ...PROVIDER_FACTS.anthropic,
    jsonMode: false,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://console.anthropic.com/settings/billing',
    local: false,
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 200_000 },
  },
  ollama: {
    ...PROVIDER_FACTS.ollama,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    local: true,
    // What Ollama serves at once (OLLAMA_NUM_PARALLEL) is found while running; 1 until then.
    defaults: { nativeTools: true, streaming: true, parallelSlots: 1, contextTokens: 16_384 },
  },
  openaiCompatible: {
    ...PROVIDER_FACTS.openaiCompatible,
    jsonMode: false,
    maxTokensParam: 'max_tokens',
    local: true,
    // LM Studio, llama.cpp and vLLM: what they serve at once is asked or found while running.
    defaults: { nativeTools: true, streaming: true, parallelSlots: 1, contextTokens: 8192 },
  },
  vscode: {
    ...PROVIDER_FACTS.vscode,
    jsonMode: false,
    local: false,
    maxTokensParam: 'max_tokens',
    hostOnly: true,
    // Copilot's and other extensions' models are cloud services; the context comes from each model.
    defaults: { nativeTools: true, streaming: true, parallelSlots: 4, contextTokens: 64_000 },
  },
};

// Context windows of well-known model families, matched on the id without any
// "vendor/" prefix (OpenRouter ids carry one). Unknown models keep the provider default.
const CONTEXT_BY_MODEL: Array<[RegExp, number]> = [
  [/^gpt-4\.1/, 1_000_000],
  [/^gpt-5/, 400_000],
  [/^(gpt-4o|o\d)/, 128_000],
  [/^claude/, 200_000],
  [/^gemini/, 1_000_000],
];

// Ollama models known not to take `tools` (Ollama answers 400 "does not support
// tools"). Only a hint for planning: listModels() asks /api/show for the truth.
const OLLAMA_NO_TOOLS = /^(gemma[23]?[:\-]|gemma$|llava|codellama|phi3?[:\-]|deepseek-coder[:\-])/;

export interface CapabilityOptions {
  /** Ollama's num_ctx actually sent, which is the context the model gets. */
  numCtx?: number;
}

export function capabilitiesFor(
  provider: ProviderName,
  model: string,
  options: CapabilityOptions = {},
): ModelCapabilities {
  const caps: ModelCapabilities = { ...PROVIDERS[provider].defaults };
  const bare = model.toLowerCase().replace(/^[^/]*\//, '');
  if (provider === 'ollama') {
    if (options.numCtx) caps.contextTokens = options.numCtx;
    if (OLLAMA_NO_TOOLS.test(bare)) caps.nativeTools = false;
  } else {
    const known = CONTEXT_BY_MODEL.find(([pattern]) => pattern.test(bare));
    if (known) caps.contextTokens = known[1];
  }
  return caps;
}

/** OpenAI's reasoning models (o-series, gpt-5) reject any temperature but the default. */
export function acceptsTemperature(provider: ProviderName, model: string): boolean {
  return !(provider === 'openai' && /^(o\d|gpt-5)/.test(model.toLowerCase()));
}
