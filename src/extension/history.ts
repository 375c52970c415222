// Chat and run history in workspace storage, so a reload brings it back. A run that was
// still going when the window closed comes back marked interrupted, not lost. Records
// are bounded (count and size) and pass through the redactor before they are stored.
import type * as vscode from 'vscode';
import { coalesceDeltas } from '../core/coalesce-events';
import type { RunEvent } from '../core/events';
import type { Redactor } from '../core/redact';
import type { ChatMessage, HistoryItem, ShownPlan } from '../webview/protocol';

const KEY = 'rozet.history.v1';
const MAX_ITEMS = 50;
const MAX_TEXT_PER_TASK = 20_000;

export interface SessionRecord {
  id: string;
  title: string;
  at: number;
  messages: ChatMessage[];
  plan: ShownPlan | null;
  runEvents: RunEvent[];
  /** Set once a run started; 'running' on disk means the window closed mid-run. */
  runState?: 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';
}

export class HistoryStore {
  constructor(
    private readonly memento: vscode.Memento,
    private readonly redactor: Redactor,
  ) {}

  /** All sessions, newest first; runs left 'running' by a closed window become 'interrupted'. */
  load(): SessionRecord[] {
    const stored = this.memento.get<SessionRecord[]>(KEY, []);
    return stored.map((s) => (s.runState === 'running' ? { ...s, runState: 'interrupted' } : s));
  }

  items(): HistoryItem[] {
    return this.load().map((s) => ({
      id: s.id,
      kind: s.runEvents.length ? 'run' : 'chat',
      title: s.title,
      at: s.at,
      outcome: s.runState === 'succeeded' || s.runState === 'failed' || s.runState === 'cancelled' ? s.runState : s.runState === 'interrupted' ? 'cancelled' : undefined,
    }));
  }

  get(id: string): SessionRecord | undefined {
    return this.load().find((s) => s.id === id);
  }

  async save(session: SessionRecord): Promise<void> {
    const record = this.redactor.redactValue({ ...session, runEvents: coalesceDeltas(session.runEvents, MAX_TEXT_PER_TASK) });
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
