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
      onEvent: (event) => this.onRunEvent(event),
    });
    this.runs.set(runId, { coordinator, changes });
    this.session.planStarted();
    return this.track(runId, () => coordinator.run());
  }

  cancel(): void {
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
    this.cancel();
    this.onRunning.dispose();
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
