// API keys live in SecretStorage, one per provider, bound to the base URL they were
// stored for: a workspace that points the provider somewhere else does not
// get the key sent there without the user's say-so.
import type * as vscode from 'vscode';
import type { ProviderName } from '../core/model/chat';
import { errorMessage } from '../core/text/error-message';

interface StoredKey {
  key: string;
  baseUrl: string;
}

const secretName = (provider: ProviderName) => `rozet.apiKey.${provider}`;

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(provider: ProviderName): Promise<StoredKey | undefined> {
    const raw = await this.secrets.get(secretName(provider));
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<StoredKey>;
      if (typeof parsed.key === 'string' && typeof parsed.baseUrl === 'string')
        return { key: parsed.key, baseUrl: parsed.baseUrl };
    } catch {
      // A bare string from an older build: bind it to nothing so it is asked about once.
    }
    return { key: raw, baseUrl: '' };
  }

  /**
   * Stores the key; fails with a message that says what to do when the platform has no
   * usable keyring (Linux without libsecret, some code-server setups).
   */
  async set(provider: ProviderName, key: string, baseUrl: string): Promise<void> {
    try {
      await this.secrets.store(secretName(provider), JSON.stringify({ key: key.trim(), baseUrl } satisfies StoredKey));
    } catch (error) {
      throw new Error(
        `VS Code could not store the key in its secret storage (${errorMessage(error)}). ` +
          `On Linux this usually means no keyring (gnome-keyring/libsecret) is running. Start one, or set the key in the environment instead (e.g. OPENROUTER_API_KEY) before starting VS Code.`,
      );
    }
  }

  async delete(provider: ProviderName): Promise<void> {
    await this.secrets.delete(secretName(provider));
  }
}
