// One request, planned, reviewed and run: `rozet run` and each request of `rozet repl`.
// The worker model is checked first (reachable, key accepted), so an unreachable server or
// a missing or rejected key stops everything before a plan is paid for, with what to start
// or set. Nothing runs that was not approved: see review.ts.
import { runLimitsFromConfig, sandboxSettingsFromConfig, toolPolicyFromConfig } from '../../config';
import { isAbortError } from '../../core/model/chat';
import { Coordinator } from '../../core/run/coordinator';
import type { RunSummary } from '../../core/run/events';
import type { KeptTask } from '../../core/run/task-book';
import type { RunSaver } from '../../core/run-state/run-saver';
import type { PlanResult, PlanSource } from '../../core/plan/plan';
import { createCommandShell } from '../../core/sandbox/command-shell';
import { folderSearch } from '../../core/search/workspace-search';
import { NodeWorkspace } from '../../core/workspace/node-workspace';
import { createChatModel, preflight, PROVIDERS, ProviderConfigError, taskModelResolver } from '../../providers';
import { CliApprover } from '../approver';
import { startMcp, type CliMcp } from '../mcp/start-mcp';
import { CliError, EXIT, type Output } from '../io';
import { readPlanFile } from '../plan-file';
import { makePlan, showPlan } from '../planning';
import { createPrinter } from '../printers';
import { startProgress } from '../progress';
import type { Prompter } from '../prompt';
import { review } from '../review';
import { cliRunSaver, savedRunStore } from '../saved-runs';
import { targetOf, type CliContext } from '../setup';

const PROBE_TIMEOUT_MS = 5000;

export interface RunRequestOptions {
  json: boolean;
  /** --yes: the plan review is answered in advance. */
  yes: boolean;
  approveCommands: boolean;
  signal: AbortSignal;
  /** For the review and approvals; absent without a terminal. */
  prompter?: Prompter;
  env: Record<string, string | undefined>;
  history?: string;
  /** --plan FILE instead of planning. */
  planFile?: string;
}

export interface RunRequestResult {
  code: number;
  /** The plan that ran (after any edit). */
  planned: PlanResult;
  summary: RunSummary;
}

/** Plans (or reads) and reviews, then runs. Stops with a CliError when nothing may or can run. */
export async function runRequest(
  ctx: CliContext,
  request: string,
  output: Output,
  options: RunRequestOptions,
): Promise<RunRequestResult> {
  await checkWorker(ctx, output, options.signal);
  // MCP servers live as long as the request: started here, stopped however it ends.
  const mcp = await startMcp(ctx, output);
  try {
    const planned = options.planFile
      ? await readPlanFile(options.planFile, ctx.resolved.values['rozet.planner.maxTasks'])
      : await cancellable(options.signal, () =>
          makePlan(ctx, request, output, {
            signal: options.signal,
            history: options.history,
            json: options.json,
            tools: mcp?.host.tools,
          }),
        );
    return await reviewAndRun(ctx, planned, request || `plan from ${options.planFile}`, output, options, mcp ?? null);
  } finally {
    await mcp?.close();
  }
}

/** The worker model can be used: configured, reachable, key present and accepted (else exit 2 or 3). */
export async function checkWorker(ctx: CliContext, output: Output, signal: AbortSignal): Promise<void> {
  const worker = ctx.specs.worker;
  try {
    createChatModel(worker);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    throw new CliError(EXIT.usage, 'config', error.message);
  }
  const progress = startProgress(output, 'checking the worker model');
  let blocked;
  try {
    blocked = await cancellable(signal, () =>
      preflight(targetOf(ctx, 'worker'), { signal, timeoutMs: PROBE_TIMEOUT_MS }),
    );
  } finally {
    progress.stop();
  }
  if (!blocked) return;
  throw new CliError(
    EXIT.noModel,
    'no_model',
    `cannot run: the worker model (${PROVIDERS[worker.provider].displayName} "${worker.model}") is not usable. ${blocked.message}`,
    {
      after: [
        ...(blocked.fix ? [`  fix: ${blocked.fix}`] : []),
        'Nothing was run. `rozet health` checks every setting.',
      ],
    },
  );
}

/**
 * Shows the plan, asks (or not), runs what was approved, saved under `title` (the request). `mcp`: the request's MCP servers;
 * null when the request found none to start; undefined to start them for this run.
 */
export async function reviewAndRun(
  ctx: CliContext,
  planned: PlanResult,
  title: string,
  output: Output,
  options: RunRequestOptions,
  mcp?: CliMcp | null,
): Promise<RunRequestResult> {
  if (mcp === undefined) {
    const started = await startMcp(ctx, output);
    try {
      return await reviewAndRun(ctx, planned, title, output, options, started ?? null);
    } finally {
      await started?.close();
    }
  }
  showPlan(planned, output, options);
  const approved = await review(planned, {
    approved: options.yes || ctx.resolved.values['rozet.autoRun'],
    prompter: options.prompter,
    output,
    env: options.env,
    maxTasks: ctx.resolved.values['rozet.planner.maxTasks'],
    signal: options.signal,
  });
  const saver = cliRunSaver(savedRunStore(ctx), output, { title, source: approved.source });
  const summary = await executePlan(ctx, output, options, { planned: approved, saver, mcp });
  return { code: exitCodeOf(summary), planned: approved, summary };
}

export interface PlanExecution {
  planned: Pick<PlanResult, 'plan' | 'reason' | 'notes'> & { source?: PlanSource };
  /** Keeps the saved run up to date (saved-runs.ts); closed when the run ends. */
  saver: RunSaver;
  mcp: CliMcp | null;
  /** A saved run going on: its id and the tasks that stay succeeded. */
  runId?: string;
  resume?: ReadonlyMap<string, KeptTask>;
}

/** Runs a plan to the end with the CLI's workspace, shell, approvals and printer: `rozet run` and `rozet resume`. */
export async function executePlan(
  ctx: CliContext,
  output: Output,
  options: Pick<RunRequestOptions, 'json' | 'signal' | 'prompter' | 'approveCommands'>,
  run: PlanExecution,
): Promise<RunSummary> {
  const { planned, saver, mcp } = run;
  const printer = createPrinter(output, options.json);
  const workspace = new NodeWorkspace(ctx.root);
  const coordinator = new Coordinator({
    plan: planned.plan,
    runId: run.runId,
    resume: run.resume,
    planSource: planned.source,
    planReason: planned.reason,
    planNotes: planned.notes,
    resolveModel: taskModelResolver(ctx.specs.worker, ctx.pools),
    workspace,
    extraTools: { search: folderSearch(workspace.root), external: mcp ?? undefined },
    shell: await createCommandShell(ctx.root, sandboxSettingsFromConfig(ctx.resolved.values)),
    approver: new CliApprover(
      options.prompter ? 'ask' : 'refuse',
      options.prompter,
      (ask) => printer.around(ask),
      options.approveCommands,
    ),
    policy: toolPolicyFromConfig(ctx.resolved.values),
    limits: runLimitsFromConfig(ctx.resolved.values),
    onEvent: (event) => {
      printer.event(event);
      saver.event(event);
    },
    onWrite: saver.write,
  });
  try {
    return await coordinator.run(options.signal);
  } finally {
    printer.close();
    await saver.close();
  }
}

export function exitCodeOf(summary: RunSummary): number {
  return summary.outcome === 'succeeded' ? EXIT.ok : summary.outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed;
}

/** The error for a finished run that did not succeed (already summarised on screen). */
export function runFailure(result: RunRequestResult): CliError | undefined {
  if (result.code === EXIT.ok) return undefined;
  if (result.code === EXIT.cancelled) return new CliError(EXIT.cancelled, 'cancelled', 'Cancelled.', { quiet: true });
  const bad = result.summary.tasks.filter((t) => t.status === 'failed' || t.status === 'skipped');
  return new CliError(
    EXIT.failed,
    'tasks_failed',
    `${bad.length} of ${result.summary.tasks.length} tasks did not succeed: ${bad.map((t) => `${t.id} ${t.status}`).join(', ')}.`,
    { quiet: true },
  );
}

/** Ctrl-C during a wait ends the command with 130 instead of an error. */
export async function cancellable<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAbortError(error) || signal.aborted)
      throw new CliError(EXIT.cancelled, 'cancelled', 'Cancelled.', { quiet: true });
    throw error;
  }
}
