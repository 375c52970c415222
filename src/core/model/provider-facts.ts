// Who each provider is, as settings, keys and messages name it: its display name, its own
// base URL and the environment variable of its key. Both the config layer (default base
// URLs, where keys come from) and the providers layer (requests, errors, health) need
// these, so they live below both. How to talk to a provider and what its models can do
// stays in src/providers/catalogue.ts.
import type { ProviderName } from './chat';

export interface ProviderFacts {
  displayName: string;
  /** Empty for openaiCompatible: there is no default server to guess. */
  defaultBaseUrl: string;
  /** Environment variable with the key; undefined where no key is needed. */
  keyEnv?: string;
  /** Requests without a key are pointless (the server answers 401). */
  keyRequired: boolean;
}

export const PROVIDER_FACTS: Readonly<Record<ProviderName, ProviderFacts>> = {
  openai: {
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    keyEnv: 'OPENAI_API_KEY',
    keyRequired: true,
  },
  openrouter: {
    displayName: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    keyEnv: 'OPENROUTER_API_KEY',
    keyRequired: true,
  },
  gemini: {
    displayName: 'Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    keyEnv: 'GEMINI_API_KEY',
    keyRequired: true,
  },
  anthropic: {
    displayName: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com/v1',
    keyEnv: 'ANTHROPIC_API_KEY',
    keyRequired: true,
  },
  ollama: { displayName: 'Ollama', defaultBaseUrl: 'http://127.0.0.1:11434', keyRequired: false },
  openaiCompatible: { displayName: 'OpenAI-compatible server', defaultBaseUrl: '', keyRequired: false },
  // Served by VS Code itself (its Language Model API): no server, no key.
  vscode: { displayName: 'VS Code language models', defaultBaseUrl: '', keyRequired: false },
};

/** How to give a provider its key, for every message about a missing or rejected one. */
export function keyHint(provider: ProviderName): string {
  const env = PROVIDER_FACTS[provider].keyEnv;
  return env
    ? `Run "Rozet: Set API Key" or set ${env}.`
    : `Run "Rozet: Set API Key" for ${PROVIDER_FACTS[provider].displayName}.`;
}
