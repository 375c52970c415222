// Request → plan for both hosts (`rozet plan`/`run`/`repl` and the extension). When the
// planner model cannot be used — a configuration that builds no model, a server that does
// not answer, a key missing, rejected or held back — one quick pre-flight finds out instead
// of the model call's retries, so the fallback plan comes at once and its reason says what
// to start or set, in the host's words.
import { ModelError } from '../core/model/chat';
import type { PlanResult } from '../core/plan/plan';
import { planTask, type PlanContext, type PlannerOptions } from '../core/plan/planner';
import { createChatModel, ProviderConfigError, type ModelSpec } from './factory';
import { preflight } from './health';

const PROBE_TIMEOUT_MS = 5000;

export interface PlanRequestOptions extends Omit<PlannerOptions, 'model' | 'unusable'> {
  /** The planner's model as configured. */
  spec: ModelSpec;
  /** Where its key comes from, and why it is held back if it is (for the reason). */
  keySource?: string;
  keyHeldBack?: string;
  probeTimeoutMs?: number;
}

export async function planRequest(
  request: string,
  context: PlanContext,
  options: PlanRequestOptions,
): Promise<PlanResult> {
  const { spec, keySource, keyHeldBack, probeTimeoutMs, ...planner } = options;
  let model;
  try {
    model = createChatModel(spec);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    return planTask(request, context, { ...planner, unusable: error.message });
  }
  const failed = await preflight(
    { role: 'orchestrator', spec, keySource, keyHeldBack },
    { signal: options.signal, timeoutMs: probeTimeoutMs ?? PROBE_TIMEOUT_MS },
  );
  if (!failed) return planTask(request, context, { ...planner, model });
  const unusable = `${failed.message}${failed.fix ? ` ${failed.fix}` : ''}`;
  // A host may offer the fix as a button, as it does for a model call that failed.
  options.onModelError?.(
    new ModelError(failed.name === 'key' ? 'auth' : 'connection', unusable, {
      provider: spec.provider,
      fix: failed.action,
    }),
  );
  return planTask(request, context, { ...planner, unusable });
}
