// Base URLs: validation, provider defaults and the key-binding rule: a stored API key is
// sent only to the base URL it was stored for.
import type { ProviderName } from '../core/model/chat';
import { PROVIDER_FACTS } from '../core/model/provider-facts';

/**
 * The URL requests actually go to: the setting, or the provider's own when it is empty.
 * undefined for openaiCompatible without a base URL: there is no server to guess.
 */
export function effectiveBaseUrl(provider: ProviderName, baseUrl: string): string | undefined {
  return baseUrl.trim() || PROVIDER_FACTS[provider].defaultBaseUrl || undefined;
}

/** Why a base URL setting is unusable, or undefined when it is fine ('' = provider default). */
export function baseUrlIssue(value: string): string | undefined {
  if (value === '') return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a URL (expected e.g. http://127.0.0.1:11434 or https://openrouter.ai/api/v1)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must use http:// or https://, not ${url.protocol}//`;
  // Credentials in a URL end up in logs and settings files; keys belong in SecretStorage.
  if (url.username || url.password) return 'must not contain a user name or password (set the API key on its own)';
  return undefined;
}

/**
 * Scheme, host, port and path of a base URL, lower-cased where URLs are case-insensitive,
 * default ports and trailing slashes dropped, query and fragment ignored; undefined if the
 * URL is unusable.
 */
export function normaliseBaseUrl(value: string): string | undefined {
  const trimmed = value.trim();
  if (baseUrlIssue(trimmed) !== undefined || trimmed === '') return undefined;
  const url = new URL(trimmed);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Whether a key stored for `storedFor` may be sent to `baseUrl`. Both must be effective
 * URLs (see effectiveBaseUrl). Exact match after normalisation: a different host, scheme,
 * port or path — even a sub-path — is refused, so a workspace that points the base URL at
 * another server never receives the stored key. Unparseable input is refused (fails closed).
 */
export function keyAllowedFor(storedFor: string, baseUrl: string): boolean {
  const a = normaliseBaseUrl(storedFor);
  const b = normaliseBaseUrl(baseUrl);
  return a !== undefined && a === b;
}

/** Shows a URL without credentials, for messages and the configuration table. */
export function redactUrl(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@');
}
