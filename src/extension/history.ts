// Chat and run history in workspace storage, so a reload brings it back. A run that was
// still going when the window closed comes back marked interrupted, not lost. Records
// are bounded (count and size) and pass through the redactor before they are stored.
import type * as vscode from 'vscode';
import { coalesceDeltas } from '../core/run/coalesce-events';
import { randomUUID } from 'node:crypto';
import type { RunEvent, TaskOutcome, TaskStatus } from '../core/run/events';
import type { Redactor } from '../core/text/redact';
import type { HistoryItem, ShownPlan, TranscriptMessage } from '../webview/protocol';

const KEY = 'rozet.history.v1';
const MAX_ITEMS = 50;
const MAX_TEXT_PER_TASK = 20_000;

export interface SessionRecord {
  id: string;
  title: string;
  at: number;
  messages: TranscriptMessage[];
  plan: ShownPlan | null;
  runEvents: RunEvent[];
  /** Set once a run started; 'running' from another window means it was cut off. */
  runState?: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'overBudget' | 'interrupted';
  /** The HistoryStore (i.e. window session) that last saved it. */
  owner?: string;
}

export class HistoryStore {
  /** Tells this window's running session from one a closed window left 'running'. */
  private readonly instance = randomUUID();

  constructor(
    private readonly memento: vscode.Memento,
    private readonly redactor: Redactor,
  ) {}

  /** All sessions, newest first; runs a closed or reloaded window left running come back interrupted. */
  load(): SessionRecord[] {
    return this.memento
      .get<SessionRecord[]>(KEY, [])
      .map((s) => (s.runState === 'running' && s.owner !== this.instance ? interrupted(s) : s));
  }

  items(): HistoryItem[] {
    return this.load().map((s) => ({
      id: s.id,
      kind: s.runEvents.length ? 'run' : 'chat',
      title: s.title,
      at: s.at,
      outcome: s.runState === 'running' ? undefined : s.runState,
    }));
  }

  get(id: string): SessionRecord | undefined {
    return this.load().find((s) => s.id === id);
  }

  async save(session: SessionRecord): Promise<void> {
    const record = this.redactor.redactValue({
      ...session,
      owner: this.instance,
      runEvents: coalesceDeltas(session.runEvents, MAX_TEXT_PER_TASK),
    });
    const rest = this.memento.get<SessionRecord[]>(KEY, []).filter((s) => s.id !== session.id);
    await this.memento.update(KEY, [record, ...rest].slice(0, MAX_ITEMS));
  }

  async delete(id: string): Promise<void> {
    await this.memento.update(
      KEY,
      this.memento.get<SessionRecord[]>(KEY, []).filter((s) => s.id !== id),
    );
  }
}

/**
 * A run whose window went away mid-run: every task that had not finished is closed as
 * cancelled and the run gets its plan.finished, so the tree shows where it stopped
 * instead of spinning forever, and the chat says what happened.
 */
function interrupted(session: SessionRecord): SessionRecord {
  const started = session.runEvents.find((e) => e.type === 'plan.started');
  const runId = started?.runId ?? session.id;
  const at = session.runEvents[session.runEvents.length - 1]?.at ?? session.at;
  const status = new Map<string, TaskStatus>();
  for (const event of session.runEvents) {
    if (event.type === 'task.succeeded') status.set(event.taskId, 'succeeded');
    else if (event.type === 'task.failed') status.set(event.taskId, 'failed');
    else if (event.type === 'task.skipped') status.set(event.taskId, 'skipped');
    else if (event.type === 'task.cancelled') status.set(event.taskId, 'cancelled');
  }
  const tasks = started?.type === 'plan.started' ? started.plan.tasks : [];
  const closing: RunEvent[] = tasks
    .filter((t) => !status.has(t.id))
    .map((t) => ({ type: 'task.cancelled', runId, at, taskId: t.id }));
  const outcomes: TaskOutcome[] = tasks.map((t) => ({
    id: t.id,
    title: t.title,
    status: status.get(t.id) ?? 'cancelled',
    filesChanged: [],
    commandsRun: [],
    toolCalls: [],
    usage: { promptTokens: 0, completionTokens: 0 },
    attempts: 1,
  }));
  const finished: RunEvent = {
    type: 'plan.finished',
    runId,
    at,
    summary: {
      outcome: 'cancelled',
      tasks: outcomes,
      filesChanged: [],
      commandsRun: [],
      usage: { promptTokens: 0, completionTokens: 0 },
      wallMs: Math.max(0, at - (started?.at ?? at)),
    },
  };
  const done = outcomes.filter((o) => o.status === 'succeeded').length;
  const note: TranscriptMessage = {
    id: `${session.id}-interrupted`,
    role: 'system',
    text: `This run was interrupted: the window closed or reloaded while it ran. ${done} of ${outcomes.length} task(s) had finished; the others were stopped. Files already written stay as they are. **Resume** goes on where it stopped: finished tasks are kept, the others run again.`,
    at,
  };
  return {
    ...session,
    runState: 'interrupted',
    runEvents: [...session.runEvents, ...closing, finished],
    messages: [...session.messages, note],
  };
}
