// The webview's model and the reducers that fold host messages into it. No DOM here:
// the store records *what* changed so the renderers can patch only that, instead of
// re-rendering the panel per token.
import { z } from 'zod';
import type { EndpointStatus } from '../core/model/capacity';
import type { RetryEvent, RunEvent, RunSummary, TaskStatus, ToolCallRecord } from '../core/run/events';
import type { Plan, PlanResult } from '../core/plan/plan';
import {
  PROTOCOL_VERSION,
  SnapshotShape,
  type ApprovalRequest,
  type Attachment,
  type ChatMessage,
  type HistoryItem,
  type HostMessage,
  type ModelsConfig,
  type ShownPlan,
  type Snapshot,
} from './protocol';

/** Worker output kept per task; older text is dropped so a chatty model cannot exhaust memory. */
export const MAX_TASK_OUTPUT = 200_000;
const TRIM_NOTE = '[earlier output trimmed]\n';

export interface ToolCallView {
  callId: string;
  name: string;
  args: unknown;
  record?: ToolCallRecord;
}

export interface TaskView {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  model?: string;
  attempt: number;
  startedAt?: number;
  endedAt?: number;
  output: string;
  /** Bumped when output is replaced rather than appended, so renderers redraw it whole. */
  outputEpoch: number;
  toolCalls: ToolCallView[];
  /** Model calls that failed and were retried, in order: shown so a wait is not a mystery. */
  retries: Array<Pick<RetryEvent, 'attempt' | 'delayMs' | 'reason'>>;
  filesChanged: string[];
  result?: string;
  error?: string;
}

export interface RunView {
  runId: string;
  source?: PlanResult['source'];
  startedAt: number;
  order: string[];
  tasks: Map<string, TaskView>;
  summary?: RunSummary;
  /** Requests in flight and slots per model endpoint (capacity events). */
  capacity?: EndpointStatus[];
}

export interface PlanDraft extends ShownPlan {
  removed: string[];
  renamed: Record<string, string>;
}

export type Tab = 'chat' | 'tasks' | 'history';

export interface UiState {
  tab: Tab;
  draft: string;
  expanded: string[];
}

export interface Notice {
  id: number;
  level: 'error' | 'warning' | 'info';
  message: string;
}

export interface PendingApproval extends ApprovalRequest {
  /** Set once the user answered; buttons stay disabled until the host resolves it. */
  answered?: boolean;
}

export interface Model {
  messages: ChatMessage[];
  messageIndex: Map<string, number>;
  plan: PlanDraft | null;
  run: RunView | null;
  approvals: PendingApproval[];
  attachments: Attachment[];
  models: ModelsConfig | null;
  history: HistoryItem[];
  notices: Notice[];
  ui: UiState;
}

/** What changed since the renderers last looked. */
export interface Changes {
  all: boolean;
  messages: boolean;
  patchedMessages: Set<string>;
  run: boolean;
  patchedTasks: Set<string>;
  plan: boolean;
  approvals: boolean;
  attachments: boolean;
  models: boolean;
  history: boolean;
  notices: boolean;
}

function noChanges(): Changes {
  return {
    all: false,
    messages: false,
    patchedMessages: new Set(),
    run: false,
    patchedTasks: new Set(),
    plan: false,
    approvals: false,
    attachments: false,
    models: false,
    history: false,
    notices: false,
  };
}

function emptyModel(ui: UiState): Model {
  return {
    messages: [],
    messageIndex: new Map(),
    plan: null,
    run: null,
    approvals: [],
    attachments: [],
    models: null,
    history: [],
    notices: [],
    ui,
  };
}

const UiShape = z.object({
  tab: z.enum(['chat', 'tasks', 'history']),
  draft: z.string(),
  expanded: z.array(z.string()),
});
const PlanEditsShape = z.object({ removed: z.array(z.string()), renamed: z.record(z.string(), z.string()) });

/** What survives the webview being hidden (VS Code destroys it) via setState/getState. */
const PersistedShape = z.object({
  version: z.literal(PROTOCOL_VERSION),
  snapshot: SnapshotShape,
  planEdits: PlanEditsShape.nullable(),
  ui: UiShape,
});
export type Persisted = z.infer<typeof PersistedShape>;

export class Store {
  model: Model = emptyModel({ tab: 'chat', draft: '', expanded: [] });
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
        this.load(message.snapshot, null);
        break;
      case 'chat.append':
        this.appendMessage(message.message);
        break;
      case 'chat.delta':
        for (const delta of message.deltas) {
          const index = this.model.messageIndex.get(delta.id);
          if (index === undefined) {
            console.warn(`[rozet] delta for unknown message ${delta.id} ignored`);
            continue;
          }
          const target = this.model.messages[index];
          target.text += delta.text;
          if (delta.done) target.streaming = false;
          this.changes.patchedMessages.add(delta.id);
        }
        break;
      case 'plan.shown':
        this.model.plan = { planId: message.planId, result: message.result, removed: [], renamed: {} };
        this.model.ui.tab = 'tasks';
        this.changes.plan = true;
        this.changes.all = true;
        break;
      case 'run.events':
        for (const event of message.events) this.applyRunEvent(event);
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

  removePlanTask(taskId: string): void {
    if (!this.model.plan) return;
    this.model.plan.removed = [...new Set([...this.model.plan.removed, taskId])];
    this.changes.plan = true;
  }

  renamePlanTask(taskId: string, title: string): void {
    const plan = this.model.plan;
    const trimmed = title.trim();
    if (!plan || trimmed === '') return;
    const original = plan.result.plan.tasks.find((t) => t.id === taskId)?.title;
    if (trimmed === original) delete plan.renamed[taskId];
    else plan.renamed[taskId] = trimmed;
    this.changes.plan = true;
  }

  resetPlanEdits(): void {
    if (!this.model.plan) return;
    this.model.plan.removed = [];
    this.model.plan.renamed = {};
    this.changes.plan = true;
  }

  private appendMessage(message: ChatMessage): void {
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

  private load(snapshot: Snapshot, planEdits: Persisted['planEdits']): void {
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
    for (const event of snapshot.runEvents) this.applyRunEvent(event);
    // After the events: their plan.started would otherwise clear a plan shown since.
    model.plan = snapshot.plan ? { ...snapshot.plan, removed: [], renamed: {}, ...planEdits } : null;
    this.changes = noChanges();
    this.changes.all = true;
  }

  applyRunEvent(event: RunEvent): void {
    if (event.type === 'plan.started') {
      this.model.run = {
        runId: event.runId,
        source: event.source,
        startedAt: event.at,
        order: event.plan.tasks.map((t) => t.id),
        tasks: new Map(event.plan.tasks.map((t) => [t.id, newTask(t.id, t.title, t.description, t.model)])),
      };
      // The plan under review became this run.
      this.model.plan = null;
      this.changes.run = true;
      this.changes.plan = true;
      return;
    }
    const run = this.model.run;
    if (!run || run.runId !== event.runId) {
      console.warn(`[rozet] ${event.type} for run ${event.runId} ignored: not the current run`);
      return;
    }
    if (event.type === 'plan.finished') {
      run.summary = event.summary;
      for (const outcome of event.summary.tasks) {
        const task = run.tasks.get(outcome.id);
        if (!task) continue;
        task.filesChanged = [...new Set([...task.filesChanged, ...outcome.filesChanged])];
        this.changes.patchedTasks.add(task.id);
      }
      this.changes.run = true;
      return;
    }
    if (event.type === 'capacity') {
      run.capacity = event.endpoints;
      this.changes.run = true;
      return;
    }
    const task = run.tasks.get(event.taskId);
    if (!task) {
      console.warn(`[rozet] ${event.type} for unknown task ${event.taskId} ignored`);
      return;
    }
    this.changes.patchedTasks.add(task.id);
    switch (event.type) {
      case 'task.queued':
        task.status = 'queued';
        break;
      case 'task.started':
        if (task.attempt > 0 && task.output !== '') appendOutput(task, `\n— attempt ${event.attempt} —\n`);
        task.status = 'running';
        task.model = event.model;
        task.attempt = event.attempt;
        task.startedAt = event.at;
        task.endedAt = undefined;
        task.error = undefined;
        this.changes.run = true;
        break;
      case 'task.delta':
        appendOutput(task, event.text);
        break;
      case 'task.toolCall':
        task.toolCalls.push({ callId: event.callId, name: event.name, args: event.args });
        break;
      case 'task.toolResult': {
        const call = task.toolCalls.find((c) => c.callId === event.record.id && !c.record);
        if (call) call.record = event.record;
        else
          task.toolCalls.push({
            callId: event.record.id,
            name: event.record.name,
            args: event.record.args,
            record: event.record,
          });
        const path = writtenPath(event.record);
        if (path !== undefined && !task.filesChanged.includes(path)) task.filesChanged.push(path);
        break;
      }
      case 'task.retrying':
        task.retries.push({ attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
        break;
      case 'task.succeeded':
        finish(task, 'succeeded', event.at);
        task.result = event.result;
        this.changes.run = true;
        break;
      case 'task.failed':
        finish(task, 'failed', event.at);
        task.error = event.error;
        this.changes.run = true;
        break;
      case 'task.skipped':
        finish(task, 'skipped', event.at);
        task.error = event.reason;
        this.changes.run = true;
        break;
      case 'task.cancelled':
        finish(task, 'cancelled', event.at);
        this.changes.run = true;
        break;
    }
  }

  persisted(): Persisted {
    const m = this.model;
    return {
      version: PROTOCOL_VERSION,
      snapshot: {
        messages: m.messages,
        plan: m.plan ? { planId: m.plan.planId, result: m.plan.result } : null,
        runEvents: m.run ? runToEvents(m.run) : [],
        approvals: m.approvals.map(({ answered: _answered, ...request }) => request),
        attachments: m.attachments,
        models: m.models,
        history: m.history,
      },
      planEdits: m.plan ? { removed: m.plan.removed, renamed: m.plan.renamed } : null,
      ui: m.ui,
    };
  }

  /** Restores what `persisted()` saved; false (and nothing changed) when it is unusable. */
  restore(state: unknown): boolean {
    const parsed = PersistedShape.safeParse(state);
    if (!parsed.success) return false;
    this.model.ui = parsed.data.ui;
    this.load(parsed.data.snapshot, parsed.data.planEdits);
    return true;
  }
}

function newTask(id: string, title: string, description: string, model: string | undefined): TaskView {
  return {
    id,
    title,
    description,
    status: 'pending',
    model,
    attempt: 0,
    output: '',
    outputEpoch: 0,
    toolCalls: [],
    retries: [],
    filesChanged: [],
  };
}

function appendOutput(task: TaskView, text: string): void {
  task.output += text;
  if (task.output.length > MAX_TASK_OUTPUT) {
    const body = task.output.startsWith(TRIM_NOTE) ? task.output.slice(TRIM_NOTE.length) : task.output;
    task.output = TRIM_NOTE + body.slice(body.length - Math.floor(MAX_TASK_OUTPUT * 0.75));
    task.outputEpoch++;
  }
}

function finish(task: TaskView, status: TaskStatus, at: number): void {
  task.status = status;
  task.endedAt = at;
}

// Which tool calls count as edits: write_file and the targeted edit tools (replace_in_file
// and any like it); they all name the file in `path`.
const WRITE_TOOL = /write|replace|edit|patch/i;

function writtenPath(record: ToolCallRecord): string | undefined {
  if (!record.ok || !WRITE_TOOL.test(record.name)) return undefined;
  const args = record.args;
  if (typeof args !== 'object' || args === null) return undefined;
  const path = (args as { path?: unknown }).path;
  return typeof path === 'string' && path !== '' ? path : undefined;
}

/** The event log that rebuilds `run` when folded: how a run survives a hidden webview. */
function runToEvents(run: RunView): RunEvent[] {
  const base = { runId: run.runId, at: run.startedAt };
  const plan: Plan = {
    tasks: run.order.map((id) => {
      const t = run.tasks.get(id);
      return {
        id,
        title: t?.title ?? id,
        description: t?.description ?? '',
        dependsOn: [],
        files: [],
        ...(t?.model ? { model: t.model } : {}),
      };
    }),
  };
  const events: RunEvent[] = [{ ...base, type: 'plan.started', plan, source: run.source }];
  for (const id of run.order) {
    const t = run.tasks.get(id);
    if (!t) continue;
    const at = t.startedAt ?? run.startedAt;
    if (t.status === 'queued') events.push({ ...base, at, type: 'task.queued', taskId: id });
    if (t.attempt > 0)
      events.push({ ...base, at, type: 'task.started', taskId: id, model: t.model ?? '', attempt: t.attempt });
    if (t.output !== '') events.push({ ...base, at, type: 'task.delta', taskId: id, text: t.output });
    for (const call of t.toolCalls) {
      if (call.record) events.push({ ...base, at, type: 'task.toolResult', taskId: id, record: call.record });
      else
        events.push({
          ...base,
          at,
          type: 'task.toolCall',
          taskId: id,
          callId: call.callId,
          name: call.name,
          args: call.args,
        });
    }
    for (const retry of t.retries) events.push({ ...base, at, type: 'task.retrying', taskId: id, ...retry });
    const end = t.endedAt ?? at;
    if (t.status === 'succeeded')
      events.push({ ...base, at: end, type: 'task.succeeded', taskId: id, result: t.result ?? '' });
    if (t.status === 'failed') events.push({ ...base, at: end, type: 'task.failed', taskId: id, error: t.error ?? '' });
    if (t.status === 'skipped')
      events.push({ ...base, at: end, type: 'task.skipped', taskId: id, reason: t.error ?? '' });
    if (t.status === 'cancelled') events.push({ ...base, at: end, type: 'task.cancelled', taskId: id });
  }
  if (run.summary) events.push({ ...base, type: 'plan.finished', summary: run.summary });
  return events;
}

/** The plan as edited by the user: removed tasks gone (and dropped from dependsOn), titles renamed. */
export function editedPlan(draft: PlanDraft): Plan {
  const removed = new Set(draft.removed);
  return {
    tasks: draft.result.plan.tasks
      .filter((t) => !removed.has(t.id))
      .map((t) => ({
        ...t,
        title: draft.renamed[t.id] ?? t.title,
        dependsOn: t.dependsOn.filter((d) => !removed.has(d)),
      })),
  };
}
