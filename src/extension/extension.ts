// Entry point. activate() only constructs and registers: no network, no model lists, no
// secrets read until a command or view needs them, so activation stays cheap. Every
// registration goes into context.subscriptions and is disposed with the extension.
import * as vscode from 'vscode';
import type { ResolvedConfig, Role } from '../config';
import type { RunSummary } from '../core/events';
import type { Plan, PlanResult } from '../core/plan';
import type { PlanContext } from '../core/planner';
import { Redactor } from '../core/redact';
import type { HealthReport, ListedModel } from '../providers';
import { ApiKeyStore } from './api-keys';
import { ChatViews } from './chat-view';
import { registerCommands } from './commands';
import { Controller, type RunHandle } from './controller';
import { HistoryStore } from './history';
import { Log } from './log';
import { modelsHeader } from './models-header';
import { ORIGINAL_SCHEME, OriginalContentProvider } from './run-changes';
import { RozetService } from './service';
import { affectsRozet } from './settings';
import { ModelStatusBar } from './status-bar';

export const API_VERSION = 1;

/** What other extensions, scripts and tests get from `extensions.getExtension('rozet.rozet').exports`. */
export interface RozetApi {
  readonly version: typeof API_VERSION;
  /** Plans a request without running it (no UI). */
  plan(request: string, context?: PlanContext): Promise<PlanResult>;
  /** Runs a plan (or plans a request first); the sidebar shows it like any run. */
  run(planOrRequest: Plan | string, options?: { context?: PlanContext }): Promise<RunHandle>;
  listModels(role: Role): Promise<ListedModel[]>;
  /** Every effective setting with its source, and any problems found. */
  getConfiguration(): Promise<ResolvedConfig>;
  healthCheck(): Promise<HealthReport>;
}

export function activate(context: vscode.ExtensionContext): RozetApi {
  const redactor = new Redactor();
  const log = new Log(redactor);
  const keys = new ApiKeyStore(context.secrets);
  const service = new RozetService(keys, redactor);
  const history = new HistoryStore(context.workspaceState, redactor);
  const views: ChatViews = new ChatViews(context.extensionUri, {
    // The views exist before the controller they delegate to, and only call it later.
    snapshot: () => controller.snapshot(),
    handle: (message) => controller.handle(message),
    reportInvalid: (error) => log.warn(`Ignored a message from the Rozet view: ${error}`),
  });
  const controller = new Controller(service, views, history, log, redactor);
  const status = new ModelStatusBar();

  const refreshHeader = (options: { lists: boolean; health?: HealthReport }) =>
    modelsHeader(service, { ...options, previous: controller.currentModels }).then(
      (models) => {
        controller.setModels(models);
        status.update({ planner: models.orchestrator.model, worker: models.worker.model }, controller.running);
      },
      (error: unknown) => log.warn(`Could not refresh the model header: ${error instanceof Error ? error.message : String(error)}`),
    );

  context.subscriptions.push(
    log,
    status,
    views,
    controller,
    vscode.window.registerWebviewViewProvider('rozet.chat', {
      resolveWebviewView: (view) => {
        views.resolveWebviewView(view);
        void refreshHeader({ lists: true });
      },
    }),
    vscode.workspace.registerTextDocumentContentProvider(ORIGINAL_SCHEME, new OriginalContentProvider((runId) => controller.findRun(runId))),
    ...registerCommands({ controller, service, views, keys, log, onHealth: (health) => void refreshHeader({ lists: false, health }) }),
    controller.onDidChangeRunning((running) => {
      void vscode.commands.executeCommand('setContext', 'rozet.running', running);
      void refreshHeader({ lists: false });
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsRozet(event)) void refreshHeader({ lists: false });
    }),
  );
  // The status bar reads settings only; it is filled after activate() has returned.
  setTimeout(() => void refreshHeader({ lists: false }), 0);

  return {
    version: API_VERSION,
    plan: (request, planContext = {}) => service.plan(request, planContext),
    run: async (planOrRequest, options = {}) => {
      if (typeof planOrRequest !== 'string') return controller.start(planOrRequest);
      const planned = await service.plan(planOrRequest, options.context ?? {});
      return controller.start(planned.plan, planned.source);
    },
    listModels: (role) => service.listModels(role),
    getConfiguration: async () => (await service.config()).resolved,
    healthCheck: () => service.healthCheck(),
  };
}

export function deactivate(): void {}

export type { RunHandle, RunSummary };
