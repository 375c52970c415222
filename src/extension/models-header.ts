// What the sidebar header shows per role: provider, model, the models to switch to and a
// health dot. Model lists are fetched only when a Rozet view is open (never at
// activation), bounded in time, and a failure just leaves the list short.
import type { Role } from '../config';
import type { HealthReport } from '../providers';
import type { ModelsConfig, RoleConfig } from '../webview/protocol';
import type { RozetService } from './service';
import { errorMessage } from '../core/text/error-message';

const LIST_TIMEOUT_MS = 5000;

/**
 * `previous` keeps the lists and health already known when this refresh fetches none
 * (a settings change, a run ending), as long as the role's provider is unchanged.
 */
export async function modelsHeader(
  service: RozetService,
  options: { lists: boolean; health?: HealthReport; previous?: ModelsConfig | null },
): Promise<ModelsConfig> {
  const host = await service.config();
  const values = host.resolved.values;
  const role = async (r: Role): Promise<RoleConfig> => {
    const model = values[`rozet.${r}.model`];
    const before = options.previous?.[r].provider === values[`rozet.${r}.provider`] ? options.previous[r] : undefined;
    let models = [...new Set([model, ...(before?.models ?? [])])];
    let health: RoleConfig['health'] = before?.health ?? 'unknown';
    let healthDetail = before?.healthDetail;
    if (options.lists) {
      try {
        const listed = await service.listModels(r, AbortSignal.timeout(LIST_TIMEOUT_MS));
        models = [...new Set([model, ...listed.map((m) => m.id)])];
        health = 'ok';
      } catch (error) {
        health = 'error';
        healthDetail = errorMessage(error);
      }
    }
    const checked = options.health?.roles.find((h) => h.role === r);
    if (checked) {
      const failed = checked.checks.find((c) => c.status === 'fail');
      health = failed ? 'error' : 'ok';
      healthDetail = failed ? `${failed.message}${failed.fix ? ` — ${failed.fix}` : ''}` : 'All checks passed.';
    }
    return { provider: values[`rozet.${r}.provider`], model, models, health, healthDetail };
  };
  const [orchestrator, worker] = await Promise.all([role('orchestrator'), role('worker')]);
  return { orchestrator, worker };
}
