// The `rozet` flags that set a setting directly. Kept with the settings so the CLI parser
// and the fix hints name the same flags.
import type { SettingKey } from './schema';

export const SETTING_FLAGS = {
  provider: 'rozet.orchestrator.provider',
  model: 'rozet.orchestrator.model',
  'base-url': 'rozet.orchestrator.baseUrl',
  'worker-provider': 'rozet.worker.provider',
  'worker-model': 'rozet.worker.model',
  'worker-base-url': 'rozet.worker.baseUrl',
  'max-parallel-workers': 'rozet.maxParallelWorkers',
} as const satisfies Record<string, SettingKey>;

export type SettingFlag = keyof typeof SETTING_FLAGS;

/** `--worker-model` for rozet.worker.model; undefined for settings without a flag of their own. */
export function flagFor(key: string): string | undefined {
  const found = Object.entries(SETTING_FLAGS).find(([, k]) => k === key);
  return found && `--${found[0]}`;
}
