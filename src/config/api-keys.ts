// Where a provider's API key comes from: SecretStorage first ("Rozet: Set API Key"), then
// the environment, then the workspace .env. The key itself is returned only to the caller
// that sends requests; everything shown to users uses `source` alone.
import type { ProviderName } from '../core/model/chat';
import { PROVIDER_FACTS } from '../core/model/provider-facts';
import { parseDotenv } from './dotenv-source';

// Names users already have set for other tools, tried after the catalogue's own name.
const MORE_KEY_NAMES: Partial<Record<ProviderName, readonly string[]>> = {
  // Google's own SDKs read GOOGLE_API_KEY, so users often have only that one.
  gemini: ['GOOGLE_API_KEY'],
  openaiCompatible: ['OPENAI_COMPATIBLE_API_KEY'],
  // Local Ollama needs no key; hosted Ollama reads this one.
  ollama: ['OLLAMA_API_KEY'],
};

/** Environment (and .env) names holding a provider's key, in the order they are tried. */
export function apiKeyEnvNames(provider: ProviderName): string[] {
  const own = PROVIDER_FACTS[provider].keyEnv;
  return [...(own ? [own] : []), ...(MORE_KEY_NAMES[provider] ?? [])];
}

export type ApiKeySource = 'secret storage' | 'environment' | '.env';

export interface ResolvedApiKey {
  key?: string;
  source?: ApiKeySource;
  /** Which variable supplied it, for "set (environment: GOOGLE_API_KEY)". */
  variable?: string;
}

/** Where a key came from, for messages ("environment: GOOGLE_API_KEY"); undefined when none is set. */
export function keySourceLabel(key: { source?: ApiKeySource; variable?: string }): string | undefined {
  return key.source && (key.variable ? `${key.source}: ${key.variable}` : key.source);
}

export interface ApiKeyInputs {
  /** The value in SecretStorage for this provider, if any. */
  secret?: string;
  env?: Record<string, string | undefined>;
  /** Text of the workspace .env file, if there is one. */
  dotenvText?: string;
}

export function resolveApiKey(provider: ProviderName, inputs: ApiKeyInputs): ResolvedApiKey {
  // Pasted keys often carry a newline or spaces; a blank one counts as not set so the
  // next source is tried instead of sending an empty Authorization header.
  const secret = inputs.secret?.trim();
  if (secret) return { key: secret, source: 'secret storage' };
  const names = apiKeyEnvNames(provider);
  for (const name of names) {
    const value = inputs.env?.[name]?.trim();
    if (value) return { key: value, source: 'environment', variable: name };
  }
  if (inputs.dotenvText !== undefined) {
    const vars = parseDotenv(inputs.dotenvText);
    for (const name of names) {
      const value = vars[name]?.trim();
      if (value) return { key: value, source: '.env', variable: name };
    }
  }
  return {};
}
