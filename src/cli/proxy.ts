// Node's fetch ignores HTTP(S)_PROXY, so behind a corporate proxy the CLI would fail to
// reach any cloud model. When a proxy variable is set, every request of the process
// (the openai and ollama SDKs both use the global fetch) goes through undici's
// EnvHttpProxyAgent, which also honours NO_PROXY. The extension needs none of this:
// VS Code applies its own proxy settings to the extension host.
import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';
import { redactUrl } from '../config';

const VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'];

/** Routes requests through the environment's proxy; returns it (without credentials) for messages, or undefined. */
export function useEnvironmentProxy(env: Record<string, string | undefined>): string | undefined {
  const proxy = VARIABLES.map((name) => env[name]?.trim()).find(Boolean);
  if (!proxy) return undefined;
  try {
    new URL(proxy);
  } catch {
    throw new Error(
      `The proxy ${redactUrl(proxy)} (from HTTPS_PROXY/HTTP_PROXY) is not a URL; fix or unset it, e.g. HTTPS_PROXY=http://proxy.example:3128.`,
    );
  }
  setGlobalDispatcher(new EnvHttpProxyAgent());
  return redactUrl(proxy);
}
