// Request → plan for `plan`, `run` and `repl`: the shared planning rule (an unusable
// planner gives a fallback plan with the reason) with the wait shown, and the plan shown
// the same way everywhere.
import { plannerSettingsFromConfig } from '../config';
import { describeRetry } from '../core/run/events';
import type { PlanResult } from '../core/plan/plan';
import type { PlanContext } from '../core/plan/planner';
import { NodeWorkspace } from '../core/workspace/node-workspace';
import { planRequest, PROVIDERS } from '../providers';
import { planLines } from './format';
import type { Output } from './io';
import { startProgress } from './progress';
import { targetOf, type CliContext } from './setup';

export interface PlanningOptions {
  signal?: AbortSignal;
  /** The conversation so far (repl), shown to the planner. */
  history?: string;
  /** --json: no "Planning with…" line (the wait is still shown on stderr). */
  json?: boolean;
  /** MCP tools the workers can be given, for the planner to name. */
  tools?: PlanContext['tools'];
}

export async function makePlan(
  ctx: CliContext,
  request: string,
  output: Output,
  options: PlanningOptions = {},
): Promise<PlanResult> {
  const { spec, keySource, keyHeldBack } = targetOf(ctx, 'orchestrator');
  if (!options.json) output.err(`Planning with ${PROVIDERS[spec.provider].displayName} "${spec.model}"…`);
  const progress = startProgress(output, 'planning');
  progress.update('waiting for the first token');
  let received = 0;
  try {
    return await planRequest(
      request,
      {
        workspaceFiles: await workspaceFiles(ctx.root, options.signal),
        workspaceDescription: options.history,
        tools: options.tools,
      },
      {
        spec,
        keySource,
        keyHeldBack,
        ...plannerSettingsFromConfig(ctx.resolved.values),
        signal: options.signal,
        onDelta: (text) => {
          received += text.length;
          progress.update(`receiving the plan (${received} characters)`);
        },
        onRetry: (error, attempt, delayMs) => {
          received = 0;
          progress.note(`rozet: planner: ${describeRetry({ attempt, delayMs, reason: error.message })}`);
          progress.update('waiting for the first token');
        },
      },
    );
  } finally {
    progress.stop();
  }
}

/** The plan as the user reviews it: notes and the fallback reason on stderr, the tree on stdout. */
export function showPlan(planned: PlanResult, output: Output, options: { json: boolean }): void {
  if (planned.reason)
    output.err(`rozet: ${planned.source === 'fallback' ? 'planned without the model' : 'note'}: ${planned.reason}`);
  planned.notes.forEach((note) => output.err(`rozet: note: ${note}`));
  if (!options.json) planLines(planned).forEach((line) => output.out(line));
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
