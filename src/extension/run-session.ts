// Runs in this window: a plan becomes a core Coordinator over the VS Code workspace, its
// events are redacted, kept in the session, sent to the webviews, the log and every
// subscriber (with a replay for late ones), and its end is reported. Each run's changes
// stay known for diffs and undo until the window closes.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { runLimitsFromConfig, sandboxSettingsFromConfig, toolPolicyFromConfig } from '../config/run-settings';
import { Coordinator } from '../core/run/coordinator';
import type { RunEvent, RunEventListener, RunSummary } from '../core/run/events';
import { createCommandShell } from '../core/sandbox/command-shell';
import type { Plan, PlanSource } from '../core/plan/plan';
import type { Redactor } from '../core/text/redact';
import { taskModelResolver } from '../providers';
import { HostApprover } from './approvals';
import type { ChatViews } from './chat-view';
import type { Log } from './log';
import { RunChanges } from './run-changes';
import { logRunEvent } from './run-log';
import type { RozetService } from './service';
import type { CurrentSession } from './session';
import { trustGuardedShell, trustGuardedWorkspace } from './trust';
import { vscodeTools } from './lm-tools';
import { vscodeSearch } from './vscode-search';
import { VsCodeWorkspace } from './vscode-workspace';
import type { ResumePlan } from '../core/run-state/resume';
import type { RunRecord } from '../core/run-state/run-record';
import { RunSaver } from '../core/run-state/run-saver';
import type { RunStateStore } from '../core/run-state/run-store';
import { planUndo, taskChanges } from '../core/run-state/undo';
import { decideResume, loadOrOfferDeletion } from './run-resume';
import { currentText } from './documents';
import { applyUndo, type UndoPreviews, type UndoReport } from './task-undo';

export interface RunHandle {
  readonly runId: string;
  onEvent(listener: RunEventListener): vscode.Disposable;
  cancel(): void;
  readonly done: Promise<RunSummary>;
}

interface RunEntry {
  coordinator: Coordinator;
  changes: RunChanges;
  saver?: RunSaver;
  workspace: VsCodeWorkspace;
}

/** How a run starts: a new plan, or a saved run resumed (same id, succeeded tasks kept). */
interface Launch {
  plan: Plan;
  source?: PlanSource;
  resumed?: { record: RunRecord; kept: ResumePlan['kept'] };
}

export class RunSessions implements vscode.Disposable {
  private readonly runs = new Map<string, RunEntry>();
  private activeRunId: string | undefined;
  private readonly runListeners = new Set<RunEventListener>();
  readonly approver: HostApprover;
  private readonly onRunning = new vscode.EventEmitter<boolean>();
  readonly onDidChangeRunning = this.onRunning.event;

  constructor(
    private readonly service: RozetService,
    private readonly views: ChatViews,
    private readonly session: CurrentSession,
    private readonly log: Log,
    private readonly redactor: Redactor,
    private readonly store: () => RunStateStore | undefined,
    private readonly previews: UndoPreviews,
  ) {
    this.approver = new HostApprover(views, () => this.activeRunId);
  }

  get running(): boolean {
    return this.activeRunId !== undefined;
  }

  findRun(runId: string): RunChanges | undefined {
    return this.runs.get(runId)?.changes;
  }

  /** Runs a plan; resolves with its summary (failures are outcomes, not exceptions). */
  async run(plan: Plan, source?: PlanSource): Promise<RunSummary> {
    return (await this.start(plan, source)).done;
  }

  async start(plan: Plan, source?: PlanSource): Promise<RunHandle> {
    return this.launch({ plan, source });
  }

  private async launch({ plan, source, resumed }: Launch): Promise<RunHandle> {
    if (this.activeRunId)
      throw new Error('A run is already in progress. Cancel it (Rozet: Cancel Run) or wait for it to finish.');
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0)
      throw new Error('No folder is open. Open a folder (File → Open Folder…) so Rozet has a workspace to work in.');
    const host = await this.service.config();
    const values = host.resolved.values;
    const workerSpec = await this.service.specFor(host, 'worker');
    const runId = resumed?.record.runId ?? randomUUID();
    const changes = this.runs.get(runId)?.changes ?? new RunChanges(runId);
    const files = new VsCodeWorkspace({
      folders,
      saveAfterEdit: () => values['rozet.saveAfterEdit'],
      onWrite: (uri, before, after) => changes.record(uri, before, after),
    });
    const workspace = trustGuardedWorkspace(files);
    const store = this.store();
    const saver = store
      ? new RunSaver(
          store,
          resumed ? { record: resumed.record } : { title: this.session.record.title, source },
          (problem) => this.log.warn(problem),
        )
      : undefined;
    const shell = trustGuardedShell(await createCommandShell(folders[0].uri.fsPath, sandboxSettingsFromConfig(values)));
    const coordinator = new Coordinator({
      plan,
      runId,
      planSource: source,
      resolveModel: taskModelResolver(workerSpec, this.service.pools),
      extraTools: { search: vscodeSearch(folders), external: vscodeTools(values, this.redactor) },
      workspace,
      shell,
      approver: this.approver,
      policy: toolPolicyFromConfig(values),
      limits: runLimitsFromConfig(values),
      onEvent: (event) => {
        this.onRunEvent(event);
        saver?.event(event);
      },
      onWrite: saver?.write,
      resume: resumed?.kept,
    });
    this.runs.set(runId, { coordinator, changes, saver, workspace: files });
    this.session.planStarted();
    return this.track(runId, () => coordinator.run());
  }

  cancel(): void {
    if (!this.activeRunId) return;
    this.runs.get(this.activeRunId)?.coordinator.cancel();
    this.approver.denyAll('The run was cancelled.');
  }

  async retry(runId: string, taskId: string): Promise<RunSummary | undefined> {
    const entry = this.runs.get(runId);
    // A run of an earlier window has no coordinator here: it goes on from its saved state.
    if (!entry) return (await this.resume(runId))?.done;
    if (this.activeRunId) throw new Error('Wait for the current run to finish (or cancel it) before retrying a task.');
    return this.track(runId, () => entry.coordinator.retryTask(taskId)).done;
  }

  /** Goes on with a saved run (this window's or an earlier one's); undefined when the user stopped it. */
  async resume(runId: string): Promise<RunHandle | undefined> {
    if (this.activeRunId) throw new Error('Wait for the current run to finish (or cancel it) before resuming one.');
    const store = this.requireStore();
    await this.runs.get(runId)?.saver?.close();
    const record = await loadOrOfferDeletion(store, runId);
    if (!record) return undefined;
    const resume = await decideResume(record, await this.readerFor());
    if (!resume) return undefined;
    return this.launch({ plan: resume.plan, source: record.source, resumed: { record, kept: resume.kept } });
  }

  /** An over-budget task goes on from where it stopped (a run of an earlier window: resumes). */
  async continueTask(runId: string, taskId: string, tokens: number): Promise<RunSummary | undefined> {
    const entry = this.runs.get(runId);
    if (!entry) return (await this.resume(runId))?.done;
    if (this.activeRunId) throw new Error('Wait for the current run to finish (or cancel it) before continuing.');
    return this.track(runId, () => entry.coordinator.continueTask(taskId, tokens)).done;
  }

  /** A run stopped at its budget starts tasks again. */
  async continueRun(runId: string, tokens: number): Promise<RunSummary | undefined> {
    const entry = this.runs.get(runId);
    if (!entry) return (await this.resume(runId))?.done;
    if (this.activeRunId) throw new Error('Wait for the current run to finish (or cancel it) before continuing.');
    return this.track(runId, () => entry.coordinator.continueRun(tokens)).done;
  }

  /** Reverts what one task wrote, keeping later edits (asks where it cannot). */
  async undoTask(runId: string, taskId: string): Promise<UndoReport> {
    if (this.activeRunId === runId) throw new Error('Wait for the run to finish (or cancel it) before undoing a task.');
    const store = this.requireStore();
    const entry = this.runs.get(runId);
    await entry?.saver?.close();
    const record = entry?.saver?.record ?? (await loadOrOfferDeletion(store, runId));
    if (!record) return { undone: [], kept: [] };
    const saver = entry?.saver ?? new RunSaver(store, { record }, (problem) => this.log.warn(problem));
    const reader = await this.readerFor();
    const steps = await planUndo(taskChanges(record, taskId), reader.read);
    const report = await applyUndo(steps, reader.uriOf, this.previews, `task ${taskId}`);
    saver.undone(taskId, report.undone);
    await saver.close();
    return report;
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

  async undo(runId = this.lastRunId()): Promise<{ restored: number; skipped: string[] }> {
    const changes = runId ? this.runs.get(runId)?.changes : undefined;
    if (!changes) throw new Error('There is no run of this window to undo.');
    return changes.undo();
  }

  onEvent(listener: RunEventListener): vscode.Disposable {
    this.runListeners.add(listener);
    return new vscode.Disposable(() => this.runListeners.delete(listener));
  }

  dispose(): void {
    // The window is closing or reloading: what the running run saved so far goes to disk now.
    if (this.activeRunId) this.runs.get(this.activeRunId)?.saver?.flushSync();
    this.cancel();
    this.onRunning.dispose();
  }

  private requireStore(): RunStateStore {
    const store = this.store();
    if (!store) throw new Error('No folder is open, so there are no saved runs. Open the folder the run was in.');
    return store;
  }

  /** Reads workspace files the way workers name them, whole, as the user sees them. */
  private async readerFor(): Promise<{
    read: (path: string) => Promise<string | undefined>;
    uriOf: (path: string) => Promise<vscode.Uri>;
  }> {
    const files = new VsCodeWorkspace({ folders: vscode.workspace.workspaceFolders ?? [], saveAfterEdit: () => true });
    return { read: async (path) => currentText(await files.uriOf(path)), uriOf: (path) => files.uriOf(path) };
  }

  private track(runId: string, go: () => Promise<RunSummary>): RunHandle {
    this.activeRunId = runId;
    this.onRunning.fire(true);
    this.session.setRunState('running');
    this.session.save();
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
    const saver = this.activeRunId ? this.runs.get(this.activeRunId)?.saver : undefined;
    void saver?.close();
    this.activeRunId = undefined;
    this.onRunning.fire(false);
    this.session.setRunState(summary.outcome);
    const failed = summary.tasks.filter((t) => t.status === 'failed');
    const lines = [
      `Run ${summary.outcome} in ${(summary.wallMs / 1000).toFixed(1)} s: ${summary.tasks.filter((t) => t.status === 'succeeded').length}/${summary.tasks.length} task(s) succeeded.`,
      ...failed.map((t) => `- ${t.title}: ${t.error ?? 'failed'}`),
      summary.filesChanged.length ? `Changed: ${summary.filesChanged.join(', ')}` : 'No files changed.',
    ];
    this.session.say('assistant', lines.join('\n'));
    this.session.postHistory();
    if (failed.length) {
      void vscode.window
        .showWarningMessage(
          this.log.shown(`Rozet: ${failed.length} task(s) failed: ${failed[0].error ?? ''}`).slice(0, 400),
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
    this.session.recordRunEvent(safe);
    this.views.postEvent(safe);
    for (const listener of this.runListeners) listener(safe);
    logRunEvent(this.log, safe);
  }

  private taskTitle(taskId: string): string {
    const run = this.activeRunId ? this.runs.get(this.activeRunId) : undefined;
    return run?.coordinator.tasks.find((t) => t.id === taskId)?.title ?? taskId;
  }

  private lastRunId(): string | undefined {
    return [...this.runs.keys()].pop();
  }
}
