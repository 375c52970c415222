// Everything behind Rozet's commands, views and API, built on first use. extension.ts
// loads this module lazily: the SDKs, zod schemas and YAML parser it pulls in cost tens
// of milliseconds to evaluate, which activation should not pay.
import * as vscode from 'vscode';
import { Redactor } from '../core/text/redact';
import type { HealthReport } from '../providers';
import { ApiKeyStore } from './api-keys';
import { ChatViews } from './chat-view';
import { commandHandlers, type CommandHandlers } from './commands';
import { Conversation } from './conversation';
import type { RozetApi } from './extension';
import { HistoryStore } from './history';
import { Log } from './log';
import { modelsHeader } from './models-header';
import { ORIGINAL_SCHEME, OriginalContentProvider } from './run-changes';
import { RunSessions } from './run-session';
import { windowRunStore } from './saved-runs';
import { UNDO_PREVIEW_SCHEME, UndoPreviews } from './task-undo';
import { RozetService } from './service';
import { CurrentSession } from './session';
import { affectsRozet } from './settings';
import { ModelStatusBar } from './status-bar';
import { errorMessage } from '../core/text/error-message';

export interface Runtime {
  commands: CommandHandlers;
  resolveView(view: vscode.WebviewView): void;
  api: Omit<RozetApi, 'version'>;
}

export function createRuntime(context: vscode.ExtensionContext): Runtime {
  const redactor = new Redactor();
  const log = new Log(redactor);
  const keys = new ApiKeyStore(context.secrets);
  const service = new RozetService(keys, redactor);
  const history = new HistoryStore(context.workspaceState, redactor);
  const views: ChatViews = new ChatViews(context.extensionUri, {
    // The views exist before the conversation they delegate to, and only call it later.
    snapshot: () => conversation.snapshot(),
    handle: (message) => conversation.handle(message),
    reportInvalid: (error) => log.warn(`Ignored a message from the Rozet view: ${error}`),
  });
  const session = new CurrentSession(history, views, redactor);
  const previews = new UndoPreviews();
  const runs = new RunSessions(service, views, session, log, redactor, () => windowRunStore(context), previews);
  // refreshHeader is defined below; the conversation calls it only once a view asks.
  const conversation = new Conversation(
    service,
    views,
    session,
    runs,
    log,
    redactor,
    () => void refreshHeader({ lists: true }),
  );
  const status = new ModelStatusBar();

  const refreshHeader = (options: { lists: boolean; health?: HealthReport }) =>
    modelsHeader(service, { ...options, previous: conversation.models }).then(
      (models) => {
        conversation.setModels(models);
        status.update({ planner: models.orchestrator.model, worker: models.worker.model }, runs.running);
      },
      (error: unknown) => log.warn(`Could not refresh the model header: ${errorMessage(error)}`),
    );

  context.subscriptions.push(
    log,
    status,
    views,
    runs,
    conversation,
    vscode.workspace.registerTextDocumentContentProvider(UNDO_PREVIEW_SCHEME, previews),
    vscode.workspace.registerTextDocumentContentProvider(
      ORIGINAL_SCHEME,
      new OriginalContentProvider((runId) => runs.findRun(runId)),
    ),
    runs.onDidChangeRunning((running) => {
      void vscode.commands.executeCommand('setContext', 'rozet.running', running);
      void refreshHeader({ lists: false });
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsRozet(event)) void refreshHeader({ lists: false });
    }),
  );
  void refreshHeader({ lists: false });

  return {
    commands: commandHandlers({
      conversation,
      service,
      views,
      keys,
      log,
      onHealth: (health) => void refreshHeader({ lists: false, health }),
      running: () => runs.running,
    }),
    resolveView: (view) => {
      views.resolveWebviewView(view);
      void refreshHeader({ lists: true });
    },
    api: {
      plan: (request, planContext = {}) => service.plan(request, planContext),
      run: async (planOrRequest, options = {}) => {
        if (typeof planOrRequest !== 'string') return runs.start(planOrRequest);
        const planned = await service.plan(planOrRequest, options.context ?? {});
        return runs.start(planned.plan, planned.source);
      },
      resume: (runId) => runs.resume(runId),
      undoTask: (runId, taskId) => runs.undoTask(runId, taskId),
      continueTask: (runId, taskId, tokens) => runs.continueTask(runId, taskId, tokens),
      listModels: (role) => service.listModels(role),
      getConfiguration: async () => (await service.config()).resolved,
      healthCheck: () => service.healthCheck(),
    },
  };
}
