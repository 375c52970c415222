// The one place a fix becomes words, for the host the words are read in: the CLI names
// flags and environment variables (`--worker-model ID`, `OPENAI_COMPATIBLE_API_KEY`),
// VS Code names its commands ("Rozet: Set API Key") and settings.
import type { Fix, Host } from '../core/model/fix';
import { apiKeyEnvNames } from './api-keys';
import { flagFor } from './cli-flags';
import { envName } from './env-names';
import { isSettingKey, settingShape } from './schema';

/** The fix as a phrase without a capital or a full stop ("set OPENAI_API_KEY …"), to build sentences with. */
export function fixPhrase(fix: Fix, host: Host): string {
  switch (fix.kind) {
    case 'apiKey': {
      const [variable, ...others] = apiKeyEnvNames(fix.provider);
      const also = others.length ? ` (or ${others.join(', ')})` : '';
      if (host === 'vscode') return `run "Rozet: Set API Key"${variable ? ` (or set ${variable})` : ''}`;
      return variable ? `set ${variable}${also} in the environment or the workspace .env` : 'set the API key';
    }
    case 'model': {
      const key = `rozet.${fix.role ?? 'worker'}.model` as const;
      return host === 'vscode'
        ? 'pick another model with "Rozet: Switch Model"'
        : `pick another model with ${cliSetting(key)}`;
    }
    case 'setting':
      return host === 'vscode' ? `set ${fix.key} in the settings` : `set ${fix.key} (${cliSetting(fix.key)})`;
    case 'healthCheck':
      return host === 'vscode' ? 'run "Rozet: Health Check" for details' : 'run `rozet health` for details';
  }
}

/** The fix as a sentence. */
export function fixSentence(fix: Fix, host: Host): string {
  const phrase = fixPhrase(fix, host);
  return `${phrase[0].toUpperCase()}${phrase.slice(1)}.`;
}

/**
 * A setting as a reader of this host finds it: "rozet.memory.maxTokens" in VS Code,
 * "rozet.memory.maxTokens (--set memory.maxTokens=N or ROZET_MEMORY_MAX_TOKENS)" in the CLI.
 */
export function settingRef(key: `rozet.${string}`, host: Host): string {
  return host === 'vscode' ? key : `${key} (${cliSetting(key)})`;
}

/** "--worker-model ID or ROZET_WORKER_MODEL". */
function cliSetting(key: `rozet.${string}`): string {
  if (!isSettingKey(key)) return `--set ${key.slice('rozet.'.length)}=VALUE`;
  const flag = flagFor(key);
  const value = placeholder(key);
  return `${flag ? `${flag} ${value}` : `--set ${key.slice('rozet.'.length)}=${value}`} or ${envName(key)}`;
}

function placeholder(key: `rozet.${string}` & Parameters<typeof settingShape>[0]): string {
  if (key.endsWith('.baseUrl')) return 'URL';
  if (key.endsWith('.model')) return 'ID';
  const shape = settingShape(key);
  return shape.type === 'number' || shape.type === 'integer' ? 'N' : 'VALUE';
}
