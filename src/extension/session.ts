// The conversation on screen: its transcript, the plan under review and the current run's
// events, posted to the webviews as they change and saved to history so a reload brings
// them back. Both the request flow and the run session write to it.
import { randomUUID } from 'node:crypto';
import { coalesceDeltas } from '../core/run/coalesce-events';
import type { RunEvent } from '../core/run/events';
import type { Plan, PlanResult } from '../core/plan/plan';
import { planProblem } from '../core/plan/plan-parse';
import type { Redactor } from '../core/text/redact';
import type { HistoryItem, TranscriptMessage } from '../webview/protocol';
import type { ChatViews } from './chat-view';
import type { HistoryStore, SessionRecord } from './history';

/** Streamed text kept per task in memory and in the snapshot a webview gets. */
export const MAX_TEXT_PER_TASK = 50_000;

export class CurrentSession {
  private session: SessionRecord;

  constructor(
    private readonly history: HistoryStore,
    private readonly views: ChatViews,
    private readonly redactor: Redactor,
  ) {
    // After a reload the conversation picks up where it was (an unfinished run comes back interrupted).
    this.session = history.load()[0] ?? newSession();
  }

  get record(): Readonly<SessionRecord> {
    return this.session;
  }

  /** A request after a finished run starts a new conversation; the first request names it. */
  beginRequest(text: string): void {
    if (this.session.runState && this.session.runState !== 'running') this.session = newSession();
    if (this.session.messages.length === 0) this.session.title = text.trim().slice(0, 80);
  }

  say(role: TranscriptMessage['role'], text: string, extra: Pick<TranscriptMessage, 'attachments'> = {}): void {
    const message: TranscriptMessage = { id: randomUUID(), role, text, at: Date.now(), ...extra };
    this.session.messages.push(message);
    this.views.post({ type: 'chat.append', message: this.redactor.redactValue(message) });
    void this.history.save(this.session);
  }

  /** A new plan for review replaces the previous plan and run. */
  showPlan(result: PlanResult): void {
    this.session.plan = { planId: randomUUID(), result };
    this.session.runEvents = [];
    this.session.runState = undefined;
    this.views.post({ type: 'plan.shown', ...this.redactor.redactValue(this.session.plan) });
  }

  /** An edit to the plan under review from one view: checked, kept, and sent to every view. */
  editPlan(planId: string, plan: Plan): void {
    const shown = this.session.plan;
    if (shown?.planId !== planId) throw new Error('That plan is no longer current; the edit was not kept.');
    const problem = planProblem(plan);
    if (problem) throw new Error(`The edited plan was not kept: ${problem}.`);
    shown.edited = plan;
    this.views.post({ type: 'plan.edited', planId, plan: this.redactor.redactValue(plan) });
    void this.history.save(this.session);
  }

  /**
   * The run's plan.started event carries the plan from now on; a plan still "shown"
   * would come back after a reload with a Run button that runs it twice.
   */
  planStarted(): void {
    this.session.plan = null;
  }

  setRunState(state: NonNullable<SessionRecord['runState']>): void {
    this.session.runState = state;
  }

  save(): void {
    void this.history.save(this.session);
  }

  /** Keeps an already redacted event of the current run. */
  recordRunEvent(event: RunEvent): void {
    this.session.runEvents.push(event);
    // Streams are thousands of tiny deltas; merge them now and then to keep memory flat.
    if (this.session.runEvents.length % 2000 === 0)
      this.session.runEvents = coalesceDeltas(this.session.runEvents, MAX_TEXT_PER_TASK);
    // Task transitions are saved as they happen, so a window that closes mid-run leaves
    // a record that says which tasks had finished (streamed text is saved at the end).
    if (event.type !== 'task.delta' && event.type !== 'task.toolCall') void this.history.save(this.session);
  }

  /** Shows a conversation from history in place of this one. */
  open(id: string): void {
    const record = this.history.get(id);
    if (!record) throw new Error('That history item no longer exists.');
    this.session = record;
  }

  async delete(id: string): Promise<void> {
    await this.history.delete(id);
    this.postHistory();
  }

  historyItems(): HistoryItem[] {
    return this.history.items();
  }

  postHistory(): void {
    this.views.post({ type: 'history', items: this.history.items() });
  }
}

function newSession(): SessionRecord {
  return { id: randomUUID(), title: 'New chat', at: Date.now(), messages: [], plan: null, runEvents: [] };
}
