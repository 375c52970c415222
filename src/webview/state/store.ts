// The chat store: holds the view model, folds host messages and user actions into it and
// records what changed for the renderers. Run events go to the run reducer, plan edits
// to plan-edits.ts, saving and restoring to persistence.ts.
import type { HostMessage, Snapshot, TranscriptMessage } from '../protocol';
import { emptyModel, noChanges, type Changes, type Model, type Notice, type Tab } from './model';
import { parsePersisted, toPersisted, type Persisted } from './persistence';
import type { Plan } from '../../core/plan/plan';
import { addTask, removeTask, updateTask, type PlanEdit, type TaskFields } from './plan-edits';
import { applyRunEvent } from './run-reducer';

export class Store {
  model: Model = emptyModel({ tab: 'chat', draft: '', expanded: [] });
  /** Told of every edit the user makes to the plan under review (the host keeps every view in step). */
  onPlanEdit: ((planId: string, plan: Plan) => void) | undefined;
  private changes: Changes = noChanges();
  private nextNoticeId = 1;

  takeChanges(): Changes {
    const changes = this.changes;
    this.changes = noChanges();
    return changes;
  }

  get hasChanges(): boolean {
    const c = this.changes;
    return (
      c.all ||
      c.messages ||
      c.patchedMessages.size > 0 ||
      c.run ||
      c.patchedTasks.size > 0 ||
      c.plan ||
      c.approvals ||
      c.attachments ||
      c.models ||
      c.history ||
      c.notices
    );
  }

  apply(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.load(message.snapshot);
        break;
      case 'chat.append':
        this.appendMessage(message.message);
        break;
      case 'plan.shown':
        this.model.plan = {
          planId: message.planId,
          result: message.result,
          plan: message.edited ?? message.result.plan,
        };
        this.model.ui.tab = 'tasks';
        this.changes.plan = true;
        this.changes.all = true;
        break;
      case 'plan.edited':
        if (this.model.plan?.planId !== message.planId) break;
        this.model.plan.plan = message.plan;
        this.changes.plan = true;
        break;
      case 'run.events':
        for (const event of message.events) applyRunEvent(this.model, event, this.changes);
        break;
      case 'approval.requested':
        this.model.approvals = this.model.approvals.filter((a) => a.id !== message.approval.id);
        this.model.approvals.push(message.approval);
        this.changes.approvals = true;
        break;
      case 'approval.resolved':
        this.model.approvals = this.model.approvals.filter((a) => a.id !== message.id);
        this.changes.approvals = true;
        break;
      case 'attachment.added':
        this.model.attachments = this.model.attachments.filter((a) => a.id !== message.attachment.id);
        this.model.attachments.push(message.attachment);
        this.changes.attachments = true;
        // The chip lives under the chat input: show it where the user will type next.
        this.setTab('chat');
        break;
      case 'models':
        this.model.models = message.models;
        this.changes.models = true;
        break;
      case 'history':
        this.model.history = message.items;
        this.changes.history = true;
        break;
      case 'notice':
        this.notify(message.level, message.message);
        break;
    }
  }

  notify(level: Notice['level'], message: string): void {
    // A few at most: a flood of identical errors must not push the UI off screen.
    this.model.notices = [
      ...this.model.notices.filter((n) => n.message !== message),
      { id: this.nextNoticeId++, level, message },
    ].slice(-4);
    this.changes.notices = true;
  }

  dismissNotice(id: number): void {
    this.model.notices = this.model.notices.filter((n) => n.id !== id);
    this.changes.notices = true;
  }

  setTab(tab: Tab): void {
    this.model.ui.tab = tab;
    this.changes.all = true;
  }

  toggleExpanded(taskId: string): void {
    const expanded = new Set(this.model.ui.expanded);
    if (expanded.has(taskId)) expanded.delete(taskId);
    else expanded.add(taskId);
    this.model.ui.expanded = [...expanded];
    this.changes.patchedTasks.add(taskId);
  }

  removeAttachment(id: string): void {
    this.model.attachments = this.model.attachments.filter((a) => a.id !== id);
    this.changes.attachments = true;
  }

  clearComposer(): void {
    this.model.ui.draft = '';
    this.model.attachments = [];
    this.changes.attachments = true;
  }

  markAnswered(approvalId: string): void {
    for (const approval of this.model.approvals) if (approval.id === approvalId) approval.answered = true;
    this.changes.approvals = true;
  }

  /** Removes a task; one others depend on waits for `dropEdges` (the view asks). */
  removePlanTask(taskId: string, dropEdges = false): void {
    const draft = this.model.plan;
    if (!draft) return;
    const result = removeTask(draft.plan, taskId, dropEdges);
    if (!result.ok && !dropEdges && result.error.includes('depend')) {
      draft.confirmRemove = taskId;
      this.changes.plan = true;
      return;
    }
    draft.confirmRemove = undefined;
    this.commitPlan(result);
  }

  cancelRemove(): void {
    if (!this.model.plan) return;
    this.model.plan.confirmRemove = undefined;
    this.changes.plan = true;
  }

  renamePlanTask(taskId: string, title: string): void {
    if (this.model.plan && title.trim()) this.editPlanTask(taskId, { title });
  }

  /** Applies the fields; false (and a notice saying why) when the edit is refused. */
  editPlanTask(taskId: string, fields: TaskFields): boolean {
    if (!this.model.plan) return false;
    return this.commitPlan(updateTask(this.model.plan.plan, taskId, fields));
  }

  /** Applies an edit made elsewhere (a dependency added in the graph); false when refused. */
  applyPlanEdit(edit: PlanEdit): boolean {
    return this.commitPlan(edit);
  }

  addPlanTask(): string | undefined {
    if (!this.model.plan) return undefined;
    const { plan, id } = addTask(this.model.plan.plan);
    this.commitPlan({ ok: true, plan });
    this.model.plan.editing = id;
    return id;
  }

  setEditing(taskId: string | undefined): void {
    if (!this.model.plan) return;
    this.model.plan.editing = taskId;
    this.changes.plan = true;
  }

  resetPlanEdits(): void {
    if (!this.model.plan) return;
    this.commitPlan({ ok: true, plan: this.model.plan.result.plan });
  }

  private commitPlan(edit: PlanEdit): boolean {
    const draft = this.model.plan;
    if (!draft) return false;
    if (!edit.ok) {
      this.notify('error', `Not changed: ${edit.error}.`);
      return false;
    }
    draft.plan = edit.plan;
    this.changes.plan = true;
    this.onPlanEdit?.(draft.planId, edit.plan);
    return true;
  }

  private appendMessage(message: TranscriptMessage): void {
    const existing = this.model.messageIndex.get(message.id);
    if (existing !== undefined) {
      this.model.messages[existing] = message;
      this.changes.patchedMessages.add(message.id);
      return;
    }
    this.model.messageIndex.set(message.id, this.model.messages.length);
    this.model.messages.push(message);
    this.changes.messages = true;
  }

  private load(snapshot: Snapshot): void {
    const model = emptyModel(this.model.ui);
    model.notices = this.model.notices;
    this.model = model;
    for (const message of snapshot.messages) {
      model.messageIndex.set(message.id, model.messages.length);
      model.messages.push(message);
    }
    model.approvals = snapshot.approvals;
    model.attachments = snapshot.attachments;
    model.models = snapshot.models;
    model.history = snapshot.history;
    for (const event of snapshot.runEvents) applyRunEvent(this.model, event, this.changes);
    // After the events: their plan.started would otherwise clear a plan shown since.
    model.plan = snapshot.plan ? { ...snapshot.plan, plan: snapshot.plan.edited ?? snapshot.plan.result.plan } : null;
    this.changes = noChanges();
    this.changes.all = true;
  }

  persisted(): Persisted {
    return toPersisted(this.model);
  }

  /** Restores what `persisted()` saved; false (and nothing changed) when it is unusable. */
  restore(state: unknown): boolean {
    const saved = parsePersisted(state);
    if (!saved) return false;
    this.model.ui = saved.ui;
    this.load(saved.snapshot);
    return true;
  }
}
