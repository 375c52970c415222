// The conversation behind the sidebar: what a (re)connecting webview is shown, every
// message a webview sends, and the request flow — a request becomes a plan to review,
// and a plan becomes a run (the run session's job). Planning itself is the core's.
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { isAbortError } from '../core/model/chat';
import { coalesceDeltas } from '../core/run/coalesce-events';
import type { PlanResult } from '../core/plan/plan';
import { PlanRequestError, type PlanContext } from '../core/plan/planner';
import type { Redactor } from '../core/text/redact';
import {
  PROTOCOL_VERSION,
  type Attachment,
  type HostMessage,
  type ModelsConfig,
  type WebviewMessage,
} from '../webview/protocol';
import type { ChatViews } from './chat-view';
import type { Log } from './log';
import { planContext } from './plan-context';
import type { RunSessions } from './run-session';
import { fixFor, type RozetService } from './service';
import { MAX_TEXT_PER_TASK, type CurrentSession } from './session';
import { errorMessage } from '../core/text/error-message';
import { describeUndo } from './task-undo';

export class Conversation implements vscode.Disposable {
  private attachments: Attachment[] = [];
  private currentModels: ModelsConfig | null = null;
  private planning: AbortController | undefined;

  constructor(
    private readonly service: RozetService,
    private readonly views: ChatViews,
    private readonly session: CurrentSession,
    private readonly runs: RunSessions,
    private readonly log: Log,
    private readonly redactor: Redactor,
    /** Lists the models of both roles again for the header (the runtime owns the header). */
    private readonly refreshModels: () => void,
  ) {}

  snapshot(): HostMessage {
    const session = this.session.record;
    return {
      type: 'init',
      version: PROTOCOL_VERSION,
      snapshot: this.redactor.redactValue({
        messages: session.messages,
        plan: session.plan,
        runEvents: coalesceDeltas(session.runEvents, MAX_TEXT_PER_TASK),
        approvals: this.runs.approver.open,
        attachments: this.attachments,
        models: this.currentModels,
        history: this.session.historyItems(),
      }),
    };
  }

  /** The models header: provider, model, choices and health per role (see models-header.ts). */
  get models(): ModelsConfig | null {
    return this.currentModels;
  }

  setModels(models: ModelsConfig): void {
    this.currentModels = models;
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
        case 'plan.request':
          await this.request(message.text, { attachments: message.attachments });
          return;
        case 'plan.run': {
          const shown = this.session.record.plan;
          if (shown?.planId !== message.planId) throw new Error('That plan is no longer current; ask again.');
          await this.runs.run(message.plan, shown.result.source);
          return;
        }
        case 'run.cancel':
          this.cancel();
          return;
        case 'task.retry':
          await this.runs.retry(message.runId, message.taskId);
          return;
        case 'approval.respond':
          this.runs.approver.respond(message.id, message.decision);
          return;
        case 'diff.open':
          await this.runs.openDiff(message.path, message.runId);
          return;
        case 'run.undo': {
          const { restored, skipped } = await this.runs.undo(message.runId);
          this.notice(
            'info',
            `Undid ${restored} file change(s) of the run${skipped.length ? `; kept your edits in ${skipped.join(', ')}` : ''}.`,
          );
          return;
        }
        case 'plan.edit':
          this.session.editPlan(message.planId, message.plan);
          return;
        case 'run.resume':
          await this.runs.resume(message.runId);
          return;
        case 'task.continue':
          await this.runs.continueTask(message.runId, message.taskId, message.tokens);
          return;
        case 'run.continue':
          await this.runs.continueRun(message.runId, message.tokens);
          return;
        case 'task.undo': {
          const report = await this.runs.undoTask(message.runId, message.taskId);
          this.notice(report.kept.length ? 'warning' : 'info', describeUndo(report, `task ${message.taskId}`));
          return;
        }
        case 'graph.open':
          this.views.openGraph();
          return;
        case 'model.switch':
          await vscode.commands.executeCommand('rozet.switchModel', message.role, message.model);
          return;
        case 'history.open':
          this.session.open(message.id);
          this.views.post(this.snapshot());
          return;
        case 'history.delete':
          await this.session.delete(message.id);
          return;
        case 'attachment.remove':
          this.attachments = this.attachments.filter((a) => a.id !== message.id);
          return;
        case 'health.check':
          await vscode.commands.executeCommand('rozet.healthCheck');
          return;
        case 'models.refresh':
          this.refreshModels();
          return;
        case 'ready':
          return;
      }
    } catch (error) {
      this.notice('error', errorMessage(error));
    }
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
    this.session.beginRequest(text);
    this.session.say('user', text, { attachments });
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
        this.session.say('system', 'Planning was cancelled.');
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
    this.session.showPlan(result);
    this.session.say('assistant', describePlan(result));
    this.log.info(
      `Planned ${result.plan.tasks.length} task(s) (${result.source})${result.reason ? `: ${result.reason}` : ''}`,
    );
    const config = await this.service.config();
    if (options.autoRun ?? config.resolved.values['rozet.autoRun']) {
      this.runs.run(result.plan, result.source).catch((error: unknown) => this.notice('error', errorMessage(error)));
    }
    return result;
  }

  /** Stops whatever is going on: planning, or the run and the questions it asked. */
  cancel(): void {
    this.planning?.abort();
    this.runs.cancel();
  }

  dispose(): void {
    this.planning?.abort();
  }

  private notice(level: 'error' | 'warning' | 'info', message: string): void {
    const text = this.log.shown(message);
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
    const text = this.log.shown(errorMessage(error));
    this.log.warn(`Planner model failed: ${text}`);
    const buttons = fix ? [fix.label] : [];
    void vscode.window.showErrorMessage(`Rozet: ${text}`, ...buttons).then((pick) => {
      if (fix && pick === fix.label) void vscode.commands.executeCommand(fix.command, ...(fix.args ?? []));
    });
  }
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
