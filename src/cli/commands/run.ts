// One request, planned and run: `rozet run` and each line of `rozet repl`. The worker
// model is probed first, so an unreachable server or a missing key stops everything before
// a plan is paid for, with what to start or set.
import { runLimitsFromConfig, sandboxSettingsFromConfig, toolPolicyFromConfig } from '../../config';
import { isAbortError } from '../../core/model/chat';
import { Coordinator } from '../../core/run/coordinator';
import type { RunSummary } from '../../core/run/events';
import { createCommandShell } from '../../core/sandbox/command-shell';
import { NodeWorkspace } from '../../core/workspace/node-workspace';
import { folderSearch } from '../../core/search/workspace-search';
import { startMcp, type CliMcp } from '../mcp/start-mcp';
import type { PlanResult } from '../../core/plan/plan';
import { checkReachable, createChatModel, PROVIDERS, ProviderConfigError, taskModelResolver } from '../../providers';
import { CliApprover } from '../approver';
import { planLines } from '../format';
import { EXIT, type Output } from '../io';
import { makePlan } from '../planning';
import { createPrinter } from '../printers';
import type { Prompter } from '../prompt';
import type { CliContext } from '../setup';

const PROBE_TIMEOUT_MS = 5000;

export interface RunRequestOptions {
  json: boolean;
  yes: boolean;
  signal: AbortSignal;
  /** For approvals; absent without a terminal. */
  prompter?: Prompter;
  history?: string;
}

export interface RunRequestResult {
  code: number;
  summary?: RunSummary;
}

export async function runRequest(
  ctx: CliContext,
  request: string,
  output: Output,
  options: RunRequestOptions,
): Promise<RunRequestResult> {
  const worker = ctx.specs.worker;
  try {
    createChatModel(worker);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    output.err(`rozet: ${error.message}`);
    return { code: EXIT.usage };
  }
  const blocked = await checkReachable(
    { role: 'worker', spec: worker },
    { signal: options.signal, timeoutMs: PROBE_TIMEOUT_MS },
  );
  if (options.signal.aborted) return { code: EXIT.cancelled };
  if (blocked) {
    output.err(
      `rozet: cannot run: the worker model (${PROVIDERS[worker.provider].displayName} "${worker.model}") is not usable. ${blocked.message}`,
    );
    if (blocked.fix) output.err(`  fix: ${blocked.fix}`);
    output.err('Nothing was run. `rozet health` checks every setting.');
    return { code: EXIT.noModel };
  }

  // MCP servers live as long as the request: started here, stopped however it ends.
  const mcp = await startMcp(ctx, output);
  try {
    return await planAndRun(ctx, request, output, options, mcp);
  } finally {
    await mcp?.close();
  }
}

async function planAndRun(
  ctx: CliContext,
  request: string,
  output: Output,
  options: RunRequestOptions,
  mcp: CliMcp | undefined,
): Promise<RunRequestResult> {
  const worker = ctx.specs.worker;
  let planned: PlanResult;
  try {
    if (!options.json)
      output.err(
        `Planning with ${PROVIDERS[ctx.specs.orchestrator.provider].displayName} "${ctx.specs.orchestrator.model}"…`,
      );
    planned = await makePlan(ctx, request, {
      signal: options.signal,
      history: options.history,
      tools: mcp?.host.tools,
    });
  } catch (error) {
    if (isAbortError(error) || options.signal.aborted) return { code: EXIT.cancelled };
    throw error;
  }
  if (planned.reason) output.err(`rozet: warning: ${planned.reason}`);
  planned.notes.forEach((note) => output.err(`rozet: note: ${note}`));
  if (!options.json) planLines(planned).forEach((line) => output.out(line));

  const printer = createPrinter(output, options.json);
  const mode = options.yes ? 'yes' : options.prompter && output.interactive ? 'ask' : 'refuse';
  const workspace = new NodeWorkspace(ctx.root);
  const coordinator = new Coordinator({
    plan: planned.plan,
    planSource: planned.source,
    resolveModel: taskModelResolver(worker, ctx.pools),
    workspace,
    extraTools: { search: folderSearch(workspace.root), external: mcp },
    shell: await createCommandShell(ctx.root, sandboxSettingsFromConfig(ctx.resolved.values)),
    approver: new CliApprover(mode, options.prompter, (ask) => printer.around(ask)),
    policy: toolPolicyFromConfig(ctx.resolved.values),
    limits: runLimitsFromConfig(ctx.resolved.values),
    onEvent: (event) => printer.event(event),
  });
  try {
    const summary = await coordinator.run(options.signal);
    return {
      code: summary.outcome === 'succeeded' ? EXIT.ok : summary.outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed,
      summary,
    };
  } finally {
    printer.close();
  }
}
