// What Rozet knows about each provider before talking to it: where it lives, which
// environment variable holds its key, and what its models can do. Kept as data so the
// config layer, the health check and the model pickers all read the same facts.
import type { ModelCapabilities, ProviderName } from '../core/model/chat';

export interface ProviderInfo {
  displayName: string;
  /** Empty for openaiCompatible: there is no default server to guess. */
  defaultBaseUrl: string;
  /** Environment variable with the key; undefined where no key is needed. */
  keyEnv?: string;
  /** Requests without a key are pointless (the server answers 401). */
  keyRequired: boolean;
  /** Accepts `response_format: {type: "json_object"}` (LM Studio, for one, rejects it). */
  jsonMode: boolean;
  /** OpenAI's newer models reject `max_tokens`; most compatible servers only know it. */
  maxTokensParam: 'max_tokens' | 'max_completion_tokens';
  /** Where the user tops up credits, for the 402 message. */
  creditsUrl?: string;
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
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
    jsonMode: true,
    maxTokensParam: 'max_completion_tokens',
    creditsUrl: 'https://platform.openai.com/settings/organization/billing',
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 128_000 },
  },
  openrouter: {
    displayName: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    keyRequired: true,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://openrouter.ai/settings/credits',
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 128_000 },
  },
  gemini: {
    displayName: 'Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyEnv: 'GEMINI_API_KEY',
    keyRequired: true,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://aistudio.google.com/',
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 1_000_000 },
  },
  anthropic: {
    displayName: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    keyEnv: 'ANTHROPIC_API_KEY',
    keyRequired: true,
    jsonMode: false,
    maxTokensParam: 'max_tokens',
    creditsUrl: 'https://console.anthropic.com/settings/billing',
    defaults: { nativeTools: true, streaming: true, parallelSlots: CLOUD_SLOTS, contextTokens: 200_000 },
  },
  ollama: {
    displayName: 'Ollama',
    defaultBaseUrl: 'http://127.0.0.1:11434',
    keyRequired: false,
    jsonMode: true,
    maxTokensParam: 'max_tokens',
    // A default Ollama serves one request per model at a time (OLLAMA_NUM_PARALLEL).
    defaults: { nativeTools: true, streaming: true, parallelSlots: 1, contextTokens: 16_384 },
  },
  openaiCompatible: {
    displayName: 'OpenAI-compatible server',
    defaultBaseUrl: '',
    keyRequired: false,
    jsonMode: false,
    maxTokensParam: 'max_tokens',
    // LM Studio, llama.cpp and vLLM are usually one local GPU.
    defaults: { nativeTools: true, streaming: true, parallelSlots: 1, contextTokens: 8192 },
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
  /** What the server was set up to serve at once (e.g. OLLAMA_NUM_PARALLEL). */
  parallelSlots?: number;
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
  if (options.parallelSlots && options.parallelSlots > 0) caps.parallelSlots = Math.floor(options.parallelSlots);
  return caps;
}

/** OpenAI's reasoning models (o-series, gpt-5) reject any temperature but the default. */
export function acceptsTemperature(provider: ProviderName, model: string): boolean {
  return !(provider === 'openai' && /^(o\d|gpt-5)/.test(model.toLowerCase()));
}
