// Resolved settings → the run engine's knobs (RunLimits, ToolPolicy, planner options),
// in one place so the CLI and the extension cannot map them differently.
import type { RunLimits } from '../core/run/coordinator';
import type { SandboxSettings } from '../core/sandbox/confinement';
import type { ToolPolicy } from '../core/tools/tools';
import type { RozetConfig } from './schema';

export function runLimitsFromConfig(values: RozetConfig): Partial<RunLimits> {
  return {
    maxParallelWorkers: values['rozet.maxParallelWorkers'],
    maxSteps: values['rozet.worker.maxSteps'],
    idleTimeoutMs: values['rozet.worker.idleTimeoutSeconds'] * 1000,
    firstTokenTimeoutMs: values['rozet.worker.firstTokenTimeoutSeconds'] * 1000,
    bashTimeoutMs: values['rozet.bash.timeoutSeconds'] * 1000,
    memoryMaxTokens: values['rozet.memory.maxTokens'],
    temperature: values['rozet.temperature'],
    budgets: {
      tokensPerTask: values['rozet.budget.tokensPerTask'],
      tokensPerRun: values['rozet.budget.tokensPerRun'],
    },
    pricing: values['rozet.pricing'],
  };
}

export function toolPolicyFromConfig(values: RozetConfig): ToolPolicy {
  return {
    bashApproval: values['rozet.bash.approval'],
    allowlist: values['rozet.bash.allowlist'],
    writeApproval: values['rozet.write.approval'],
  };
}

export function sandboxSettingsFromConfig(values: RozetConfig): SandboxSettings {
  return { sandbox: values['rozet.bash.sandbox'], network: values['rozet.bash.network'] };
}

/** What planTask needs from the settings besides the model. */
export function plannerSettingsFromConfig(values: RozetConfig): {
  maxTasks: number;
  temperature: number;
  idleTimeoutMs: number;
} {
  return {
    maxTasks: values['rozet.planner.maxTasks'],
    temperature: values['rozet.temperature'],
    idleTimeoutMs: values['rozet.orchestrator.idleTimeoutSeconds'] * 1000,
  };
}
