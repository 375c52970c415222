// Request → plan for `plan`, `run` and `repl`. An unreachable planner is found with one
// quick probe instead of the model call's retries, so the fallback plan comes at once and
// its reason says what to start or set.
import { plannerSettingsFromConfig } from '../config';
import type { ChatModel } from '../core/model/chat';
import { NodeWorkspace } from '../core/workspace/node-workspace';
import type { PlanResult } from '../core/plan/plan';
import { FALLBACK_SUFFIX, planTask, type PlanContext } from '../core/plan/planner';
import { checkReachable, createChatModel, ProviderConfigError } from '../providers';
import type { CliContext } from './setup';

const PROBE_TIMEOUT_MS = 3000;

export interface PlanningOptions {
  signal?: AbortSignal;
  /** The conversation so far (repl), shown to the planner. */
  history?: string;
  onDelta?: (text: string) => void;
  /** MCP tools the workers can be given, for the planner to name. */
  tools?: PlanContext['tools'];
}

export async function makePlan(ctx: CliContext, request: string, options: PlanningOptions = {}): Promise<PlanResult> {
  const { model, unusable } = await plannerModel(ctx, options.signal);
  const context: PlanContext = {
    workspaceFiles: await workspaceFiles(ctx.root, options.signal),
    workspaceDescription: options.history,
    tools: options.tools,
  };
  const result = await planTask(request, context, {
    model,
    ...plannerSettingsFromConfig(ctx.resolved.values),
    signal: options.signal,
    onDelta: options.onDelta,
  });
  if (unusable && result.source === 'fallback')
    return { ...result, reason: `The planner model cannot be used: ${unusable} ${FALLBACK_SUFFIX}` };
  return result;
}

async function plannerModel(ctx: CliContext, signal?: AbortSignal): Promise<{ model?: ChatModel; unusable?: string }> {
  const spec = ctx.specs.orchestrator;
  try {
    const model = createChatModel(spec);
    // A missing key is left to the planner: its message names the variable to set.
    const failed = await checkReachable(
      { role: 'orchestrator', spec },
      { signal, timeoutMs: PROBE_TIMEOUT_MS, requireKey: false },
    );
    return failed ? { unusable: `${failed.message}${failed.fix ? ` ${failed.fix}` : ''}` } : { model };
  } catch (error) {
    if (error instanceof ProviderConfigError) return { unusable: error.message };
    throw error;
  }
}

/** The planner sees the workspace's files (bounded, .gitignore respected by NodeWorkspace). */
async function workspaceFiles(root: string, signal?: AbortSignal): Promise<string[]> {
  try {
    const listing = await new NodeWorkspace(root).list('.', true, signal);
    return listing.entries.filter((e) => e.type === 'file').map((e) => e.path);
  } catch {
    // A listing problem only costs the planner some context.
    return [];
  }
}
