// The conversation the sidebar shows and the runs it starts: requests become plans,
// plans become runs, run events flow to the webviews, the output channel and history.
// Orchestration itself is the core's Coordinator; this class only wires it to VS Code.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { runLimitsFromConfig, toolPolicyFromConfig } from '../config/run-settings';
import { isAbortError } from '../core/model/chat';
import { coalesceDeltas } from '../core/run/coalesce-events';
import { Coordinator } from '../core/run/coordinator';
import { describeRetry, type RunEvent, type RunEventListener, type RunSummary } from '../core/run/events';
import { NodeShell } from '../core/workspace/node-shell';
import type { Plan, PlanResult, PlanSource } from '../core/plan/plan';
import { PlanRequestError, type PlanContext } from '../core/plan/planner';
import type { Redactor } from '../core/text/redact';
import { taskModelResolver } from '../providers';
import {
  PROTOCOL_VERSION,
  type Attachment,
  type ChatMessage,
  type HostMessage,
  type ModelsConfig,
  type WebviewMessage,
} from '../webview/protocol';
import { HostApprover } from './approvals';
import type { ChatViews } from './chat-view';
import type { HistoryStore, SessionRecord } from './history';
import type { Log } from './log';
import { RunChanges } from './run-changes';
import { fixFor, type RozetService } from './service';
import { trustGuardedShell, trustGuardedWorkspace } from './trust';
import { vscodeTools } from './lm-tools';
import { vscodeSearch } from './vscode-search';
import { VsCodeWorkspace } from './vscode-workspace';

const MAX_CONTEXT_FILES = 300;
const MAX_TEXT_PER_TASK = 50_000;

export interface RunHandle {
  readonly runId: string;
  onEvent(listener: RunEventListener): vscode.Disposable;
  cancel(): void;
  readonly done: Promise<RunSummary>;
}

interface RunEntry {
  coordinator: Coordinator;
  changes: RunChanges;
}

export class Controller implements vscode.Disposable {
  private session: SessionRecord;
  private attachments: Attachment[] = [];
  private models: ModelsConfig | null = null;
  private readonly runs = new Map<string, RunEntry>();
  private activeRunId: string | undefined;
  private planning: AbortController | undefined;
  private readonly runListeners = new Set<RunEventListener>();
  readonly approver: HostApprover;
  private readonly onRunning = new vscode.EventEmitter<boolean>();
  readonly onDidChangeRunning = this.onRunning.event;

  constructor(
    private readonly service: RozetService,
    private readonly views: ChatViews,
    private readonly history: HistoryStore,
    private readonly log: Log,
    private readonly redactor: Redactor,
  ) {
    this.approver = new HostApprover(views, () => this.activeRunId);
    // After a reload the conversation picks up where it was (an unfinished run comes back interrupted).
    this.session = history.load()[0] ?? newSession();
  }

  get running(): boolean {
    return this.activeRunId !== undefined;
  }

  findRun(runId: string): RunChanges | undefined {
    return this.runs.get(runId)?.changes;
  }

  snapshot(): HostMessage {
    return {
      type: 'init',
      version: PROTOCOL_VERSION,
      snapshot: this.redactor.redactValue({
        messages: this.session.messages,
        plan: this.session.plan,
        runEvents: coalesceDeltas(this.session.runEvents, MAX_TEXT_PER_TASK),
        approvals: this.approver.open,
        attachments: this.attachments,
        models: this.models,
        history: this.history.items(),
      }),
    };
  }

  get currentModels(): ModelsConfig | null {
    return this.models;
  }

  setModels(models: ModelsConfig): void {
    this.models = models;
    this.views.post({ type: 'models', models });
  }

  addAttachment(attachment: Omit<Attachment, 'id'>): void {
    const withId = { ...attachment, id: randomUUID() };
    this.attachments.push(withId);
    this.views.post({ type: 'attachment.added', attachment: this.redactor.redactValue(withId) });
  }

  async handle(message: WebviewMessage): Promise<void> {
    try {
      switch (message.type) {
        case 'chat.send':
        case 'plan.request':
          await this.request(message.text, { attachments: message.attachments });
          return;
        case 'plan.run':
          if (this.session.plan?.planId !== message.planId)
            throw new Error('That plan is no longer current; ask again.');
          await this.run(message.plan, this.session.plan.result.source);
          return;
        case 'run.cancel':
          this.cancel();
          return;
        case 'task.retry':
          await this.retry(message.runId, message.taskId);
          return;
        case 'approval.respond':
          this.approver.respond(message.id, message.decision);
          return;
        case 'diff.open':
          await this.openDiff(message.path, message.runId);
          return;
        case 'run.undo':
          await this.undo(message.runId);
          return;
        case 'model.switch':
          await vscode.commands.executeCommand('rozet.switchModel', message.role, message.model);
          return;
        case 'history.open':
          this.openHistory(message.id);
          return;
        case 'history.delete':
          await this.history.delete(message.id);
          this.views.post({ type: 'history', items: this.history.items() });
          return;
        case 'attachment.remove':
          this.attachments = this.attachments.filter((a) => a.id !== message.id);
          return;
        case 'health.check':
          await vscode.commands.executeCommand('rozet.healthCheck');
          return;
        case 'ready':
          return;
      }
    } catch (error) {
      this.notice('error', error instanceof Error ? error.message : String(error));
    }
  }

  reportInvalid(error: string): void {
    this.log.warn(`Ignored a message from the Rozet view: ${error}`);
  }

  /**
   * A request from the chat, the Plan Task command or the API: plan it, show the plan,
   * and run it at once when rozet.autoRun is on (a user-level setting only).
   */
  async request(
    text: string,
    options: { attachments?: Attachment[]; context?: PlanContext; autoRun?: boolean } = {},
  ): Promise<PlanResult | undefined> {
    if (!text.trim()) {
      this.notice(
        'warning',
        'The request is empty. Describe what you want done, e.g. "add a --verbose flag to the CLI and tests for it".',
      );
      return undefined;
    }
    const attachments = options.attachments ?? this.attachments;
    this.attachments = [];
    if (this.session.runState && this.session.runState !== 'running') this.session = newSession();
    if (this.session.messages.length === 0) this.session.title = text.trim().slice(0, 80);
    this.appendMessage({ id: randomUUID(), role: 'user', text, at: Date.now(), attachments });
    const context = { ...(await planContext(attachments)), ...options.context };

    this.planning?.abort();
    const planning = new AbortController();
    this.planning = planning;
    let result: PlanResult;
    try {
      result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Rozet: planning…', cancellable: true },
        (_progress, token) => {
          token.onCancellationRequested(() => planning.abort());
          return this.service.plan(text, context, {
            signal: planning.signal,
            onModelError: (error) => this.offerFix(error),
          });
        },
      );
    } catch (error) {
      if (isAbortError(error)) {
        this.appendMessage({ id: randomUUID(), role: 'system', text: 'Planning was cancelled.', at: Date.now() });
        return undefined;
      }
      if (error instanceof PlanRequestError) {
        this.notice('warning', error.message);
        return undefined;
      }
      throw error;
    } finally {
      if (this.planning === planning) this.planning = undefined;
    }
    this.session.plan = { planId: randomUUID(), result };
    this.session.runEvents = [];
    this.session.runState = undefined;
    this.views.post({ type: 'plan.shown', ...this.redactor.redactValue(this.session.plan) });
    this.appendMessage({ id: randomUUID(), role: 'assistant', text: describePlan(result), at: Date.now() });
    this.log.info(
      `Planned ${result.plan.tasks.length} task(s) (${result.source})${result.reason ? `: ${result.reason}` : ''}`,
    );
    const config = await this.service.config();
    if (options.autoRun ?? config.resolved.values['rozet.autoRun']) {
      this.run(result.plan, result.source).catch((error: unknown) =>
        this.notice('error', error instanceof Error ? error.message : String(error)),
      );
    }
    return result;
  }

  /** Runs a plan; resolves with its summary (failures are outcomes, not exceptions). */
  async run(plan: Plan, source?: PlanSource): Promise<RunSummary> {
    return (await this.start(plan, source)).done;
  }

  async start(plan: Plan, source?: PlanSource): Promise<RunHandle> {
    if (this.activeRunId)
      throw new Error('A run is already in progress. Cancel it (Rozet: Cancel Run) or wait for it to finish.');
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0)
      throw new Error('No folder is open. Open a folder (File → Open Folder…) so Rozet has a workspace to work in.');
    const host = await this.service.config();
    const values = host.resolved.values;
    const workerSpec = await this.service.specFor(host, 'worker');
    const runId = randomUUID();
    const changes = new RunChanges(runId);
    const workspace = trustGuardedWorkspace(
      new VsCodeWorkspace({
        folders,
        saveAfterEdit: () => values['rozet.saveAfterEdit'],
        onWrite: (uri, before, after) => changes.record(uri, before, after),
      }),
    );
    const shell = trustGuardedShell(new NodeShell(folders[0].uri.fsPath));
    const coordinator = new Coordinator({
      plan,
      runId,
      planSource: source,
      resolveModel: taskModelResolver(workerSpec),
      workspace,
      shell,
      extraTools: { search: vscodeSearch(folders), external: vscodeTools(values, this.redactor) },
      approver: this.approver,
      policy: toolPolicyFromConfig(values),
      limits: runLimitsFromConfig(values),
      onEvent: (event) => this.onRunEvent(event),
    });
    this.runs.set(runId, { coordinator, changes });
    // The run's plan.started event carries the plan from now on; a plan still "shown"
    // would come back after a reload with a Run button that runs it twice.
    this.session.plan = null;
    return this.track(runId, () => coordinator.run());
  }

  cancel(): void {
    this.planning?.abort();
    if (!this.activeRunId) return;
    this.runs.get(this.activeRunId)?.coordinator.cancel();
    this.approver.denyAll('The run was cancelled.');
  }

  async retry(runId: string, taskId: string): Promise<RunSummary> {
    const entry = this.runs.get(runId);
    if (!entry) throw new Error('That run is from an earlier window; plan it again to rerun it.');
    if (this.activeRunId) throw new Error('Wait for the current run to finish (or cancel it) before retrying a task.');
    return this.track(runId, () => entry.coordinator.retryTask(taskId)).done;
  }

  async openDiff(path: string, runId = this.activeRunId ?? this.lastRunId()): Promise<void> {
    const changes = runId ? this.runs.get(runId)?.changes : undefined;
    // The core reports paths as workers wrote them: relative, with the folder name first in a multi-root workspace.
    const uri = changes?.files.find(
      (f) => vscode.workspace.asRelativePath(f, true) === path || vscode.workspace.asRelativePath(f, false) === path,
    );
    if (!changes || !uri) throw new Error(`No change to ${path} is known for that run in this window.`);
    await changes.openDiff(uri);
  }

  async undo(runId = this.lastRunId()): Promise<void> {
    const changes = runId ? this.runs.get(runId)?.changes : undefined;
    if (!changes) throw new Error('There is no run of this window to undo.');
    const { restored, skipped } = await changes.undo();
    this.notice(
      'info',
      `Undid ${restored} file change(s) of the run${skipped.length ? `; kept your edits in ${skipped.join(', ')}` : ''}.`,
    );
  }

  onEvent(listener: RunEventListener): vscode.Disposable {
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  dispose(): void {
    this.cancel();
    this.onRunning.dispose();
  }

  private track(runId: string, go: () => Promise<RunSummary>): RunHandle {
    this.activeRunId = runId;
    this.onRunning.fire(true);
    this.session.runState = 'running';
    void this.history.save(this.session);
    const listeners = new Set<RunEventListener>();
    // Callers subscribe after `start` resolves; replaying what they missed (plan.started,
    // the first task.queued) gives every subscriber the whole stream.
    const seen: RunEvent[] = [];
    const relay: RunEventListener = (event) => {
      if (event.runId !== runId) return;
      seen.push(event);
      listeners.forEach((l) => l(event));
    };
    this.runListeners.add(relay);
    const done = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Rozet', cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => this.cancel());
        const report = this.onEvent((event) => {
          if (event.runId !== runId) return;
          if (event.type === 'task.started') progress.report({ message: `running ${this.taskTitle(event.taskId)}` });
        });
        try {
          return await go();
        } finally {
          report.dispose();
        }
      },
    );
    const finished = Promise.resolve(done).then(
      async (summary) => {
        this.finish(summary);
        return summary;
      },
      (error: unknown) => {
        this.activeRunId = undefined;
        this.onRunning.fire(false);
        throw error;
      },
    );
    finished.finally(() => this.runListeners.delete(relay)).catch(() => undefined);
    return {
      runId,
      onEvent: (listener) => {
        seen.forEach((event) => listener(event));
        listeners.add(listener);
        return new vscode.Disposable(() => listeners.delete(listener));
      },
      cancel: () => {
        if (this.activeRunId === runId) this.cancel();
      },
      done: finished,
    };
  }

  private finish(summary: RunSummary): void {
    this.activeRunId = undefined;
    this.onRunning.fire(false);
    this.session.runState = summary.outcome;
    const failed = summary.tasks.filter((t) => t.status === 'failed');
    const lines = [
      `Run ${summary.outcome} in ${(summary.wallMs / 1000).toFixed(1)} s: ${summary.tasks.filter((t) => t.status === 'succeeded').length}/${summary.tasks.length} task(s) succeeded.`,
      ...failed.map((t) => `- ${t.title}: ${t.error ?? 'failed'}`),
      summary.filesChanged.length ? `Changed: ${summary.filesChanged.join(', ')}` : 'No files changed.',
    ];
    this.appendMessage({ id: randomUUID(), role: 'assistant', text: lines.join('\n'), at: Date.now() });
    this.views.post({ type: 'history', items: this.history.items() });
    if (failed.length) {
      void vscode.window
        .showWarningMessage(
          `Rozet: ${failed.length} task(s) failed: ${failed[0].error ?? ''}`.slice(0, 400),
          'Open Rozet',
          'Health Check',
        )
        .then((pick) => {
          if (pick === 'Open Rozet') void this.views.reveal();
          if (pick === 'Health Check') void vscode.commands.executeCommand('rozet.healthCheck');
        });
    }
  }

  private onRunEvent(event: RunEvent): void {
    const safe = this.redactor.redactValue(event);
    this.session.runEvents.push(safe);
    // Streams are thousands of tiny deltas; merge them now and then to keep memory flat.
    if (this.session.runEvents.length % 2000 === 0)
      this.session.runEvents = coalesceDeltas(this.session.runEvents, MAX_TEXT_PER_TASK);
    this.views.postEvent(safe);
    for (const listener of this.runListeners) listener(safe);
    // Task transitions are saved as they happen, so a window that closes mid-run leaves
    // a record that says which tasks had finished (streamed text is saved at the end).
    if (safe.type !== 'task.delta' && safe.type !== 'task.toolCall') void this.history.save(this.session);
    switch (safe.type) {
      case 'task.started':
        this.log.info(`[${safe.taskId}] started on ${safe.model} (attempt ${safe.attempt})`);
        break;
      case 'task.toolResult':
        this.log.info(
          `[${safe.taskId}] ${safe.record.name} ${safe.record.ok ? 'ok' : 'error'} (${safe.record.durationMs} ms): ${safe.record.summary.slice(0, 300)}`,
        );
        break;
      case 'task.retrying':
        this.log.warn(`[${safe.taskId}] ${describeRetry(safe)}`);
        break;
      case 'task.failed':
        this.log.warn(`[${safe.taskId}] failed: ${safe.error}`);
        break;
      case 'task.skipped':
        this.log.info(`[${safe.taskId}] skipped: ${safe.reason}`);
        break;
      case 'plan.finished':
        this.log.info(
          `Run ${safe.runId} ${safe.summary.outcome} in ${safe.summary.wallMs} ms; files: ${safe.summary.filesChanged.join(', ') || 'none'}`,
        );
        break;
    }
  }

  private openHistory(id: string): void {
    const record = this.history.get(id);
    if (!record) throw new Error('That history item no longer exists.');
    this.session = record;
    this.views.post(this.snapshot());
  }

  private appendMessage(message: ChatMessage): void {
    this.session.messages.push(message);
    this.views.post({ type: 'chat.append', message: this.redactor.redactValue(message) });
    void this.history.save(this.session);
  }

  private notice(level: 'error' | 'warning' | 'info', message: string): void {
    const text = this.redactor.redact(message);
    this.views.post({ type: 'notice', level, message: text });
    if (level === 'error') {
      this.log.error(text);
      void vscode.window.showErrorMessage(`Rozet: ${text}`);
    } else if (level === 'warning') {
      void vscode.window.showWarningMessage(`Rozet: ${text}`);
    } else {
      void vscode.window.showInformationMessage(`Rozet: ${text}`);
    }
  }

  /** A model failure behind a fallback plan: say it and offer the fix. */
  private offerFix(error: unknown): void {
    const fix = fixFor(error);
    const text = this.redactor.redact(error instanceof Error ? error.message : String(error));
    this.log.warn(`Planner model failed: ${text}`);
    const buttons = fix ? [fix.label] : [];
    void vscode.window.showErrorMessage(`Rozet: ${text}`, ...buttons).then((pick) => {
      if (fix && pick === fix.label) void vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
    });
  }

  private taskTitle(taskId: string): string {
    const run = this.activeRunId ? this.runs.get(this.activeRunId) : undefined;
    return run?.coordinator.tasks.find((t) => t.id === taskId)?.title ?? taskId;
  }

  private lastRunId(): string | undefined {
    return [...this.runs.keys()].pop();
  }
}

function newSession(): SessionRecord {
  return { id: randomUUID(), title: 'New chat', at: Date.now(), messages: [], plan: null, runEvents: [] };
}

function describePlan(result: PlanResult): string {
  const lines = [
    `Planned ${result.plan.tasks.length} task(s)${result.source === 'fallback' ? ' with the fallback planner' : ''}:`,
    ...result.plan.tasks.map(
      (t) => `- **${t.title}**${t.dependsOn.length ? ` (after ${t.dependsOn.join(', ')})` : ''}`,
    ),
  ];
  if (result.reason) lines.push('', result.reason);
  if (result.notes.length) lines.push('', ...result.notes.map((n) => `_${n}_`));
  lines.push('', 'Review the plan, then press **Run**.');
  return lines.join('\n');
}

/** What the planner is told about the editor: the attached selection, the active file and a bounded file list. */
async function planContext(attachments: readonly Attachment[]): Promise<PlanContext> {
  const selection = attachments[0];
  const active = vscode.window.activeTextEditor?.document;
  const files = await vscode.workspace.findFiles('**/*', '**/{node_modules,.git,dist,out}/**', MAX_CONTEXT_FILES);
  return {
    selection: selection
      ? { path: selection.path, startLine: selection.startLine, endLine: selection.endLine, text: selection.text }
      : undefined,
    activeFile: active && !active.isUntitled ? vscode.workspace.asRelativePath(active.uri) : undefined,
    workspaceFiles: files.map((f) => vscode.workspace.asRelativePath(f)).sort(),
    workspaceDescription: vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath).join(', '),
  };
}
