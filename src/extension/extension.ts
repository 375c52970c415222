// Entry point. activate() only registers Rozet's commands and view and returns the API;
// the runtime behind them (SDKs, settings, secrets, the conversation and its runs) is loaded on first
// use, so activation does no I/O and evaluates almost no code. Every registration goes
// into context.subscriptions and is disposed with the extension.
import * as vscode from 'vscode';
import type { ResolvedConfig, Role } from '../config';
import type { RunSummary } from '../core/run/events';
import type { Plan, PlanResult } from '../core/plan/plan';
import type { PlanContext } from '../core/plan/planner';
import type { HealthReport, ListedModel } from '../providers';
import { COMMAND_IDS } from './command-ids';
import type { RunHandle } from './run-session';
import type { Runtime } from './runtime';

export const API_VERSION = 1;

/** What other extensions, scripts and tests get from `extensions.getExtension('rozet.rozet').exports`. */
export interface RozetApi {
  readonly version: typeof API_VERSION;
  /** Plans a request without running it (no UI). */
  plan(request: string, context?: PlanContext): Promise<PlanResult>;
  /** Runs a plan (or plans a request first); the sidebar shows it like any run. */
  run(planOrRequest: Plan | string, options?: { context?: PlanContext }): Promise<RunHandle>;
  /** Goes on with a saved run of this workspace (succeeded tasks kept); undefined when the user declined. */
  resume(runId: string): Promise<RunHandle | undefined>;
  /** Reverts what one task of a run wrote, keeping later edits elsewhere; asks where it cannot. */
  undoTask(runId: string, taskId: string): Promise<{ undone: string[]; kept: Array<{ path: string; reason: string }> }>;
  /** An over-budget task goes on with `tokens` more; resolves with the run's summary. */
  continueTask(runId: string, taskId: string, tokens: number): Promise<RunSummary | undefined>;
  listModels(role: Role): Promise<ListedModel[]>;
  /** Every effective setting with its source, and any problems found. */
  getConfiguration(): Promise<ResolvedConfig>;
  healthCheck(): Promise<HealthReport>;
}

export function activate(context: vscode.ExtensionContext): RozetApi {
  let runtime: Promise<Runtime> | undefined;
  // A plain require of the separately bundled dist/runtime.js (see esbuild.mjs): an
  // import() would go through ESM resolution, which the extension host does not serve.
  const load = () =>
    (runtime ??= Promise.resolve().then(() =>
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('./runtime') as typeof import('./runtime')).createRuntime(context),
    ));

  for (const id of COMMAND_IDS) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => (await load()).commands[id](...args)),
    );
  }
  context.subscriptions.push(
    vscode.window.registerWebviewViewProvider('rozet.chat', {
      resolveWebviewView: async (view) => (await load()).resolveView(view),
    }),
  );

  return {
    version: API_VERSION,
    plan: async (request, planContext) => (await load()).api.plan(request, planContext),
    run: async (planOrRequest, options) => (await load()).api.run(planOrRequest, options),
    resume: async (runId) => (await load()).api.resume(runId),
    undoTask: async (runId, taskId) => (await load()).api.undoTask(runId, taskId),
    continueTask: async (runId, taskId, tokens) => (await load()).api.continueTask(runId, taskId, tokens),
    listModels: async (role) => (await load()).api.listModels(role),
    getConfiguration: async () => (await load()).api.getConfiguration(),
    healthCheck: async () => (await load()).api.healthCheck(),
  };
}

export function deactivate(): void {}

export type { RunHandle, RunSummary };
