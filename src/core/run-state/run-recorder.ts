// Keeps a saved run up to date while it runs: each run event that changes what a resume
// or an undo needs (a task's status, result, usage; the run's outcome) and each write a
// task makes becomes a journal entry. Streamed text, tool calls and waiting reasons are
// not saved: a resumed task starts its work again, it does not replay it.
import type { RunEvent } from '../run/events';
import type { WriteRecord } from '../workspace/recording-workspace';
import type { RunJournal } from './run-journal';
import type { SavedTask } from './run-record';

export class RunRecorder {
  constructor(readonly journal: RunJournal) {}

  get record() {
    return this.journal.record;
  }

  event(e: RunEvent): void {
    const task = (id: string, patch: Partial<SavedTask>) => this.journal.append({ t: 'task', id, at: e.at, patch });
    switch (e.type) {
      case 'plan.started':
        this.journal.append({ t: 'state', state: 'running', pid: process.pid, at: e.at });
        return;
      case 'task.started':
        return task(e.taskId, { status: 'running', model: e.model, attempts: e.attempt, startedAt: e.at });
      case 'task.usage':
        return task(e.taskId, { usage: e.usage });
      case 'task.succeeded':
        if (e.kept) return;
        return task(e.taskId, { status: 'succeeded', result: e.result, error: undefined, endedAt: e.at });
      case 'task.failed':
        return task(e.taskId, { status: 'failed', error: e.error, endedAt: e.at });
      case 'task.skipped':
        return task(e.taskId, { status: 'skipped', error: e.reason, endedAt: e.at });
      case 'task.cancelled':
        return task(e.taskId, { status: 'cancelled', endedAt: e.at });
      case 'task.overBudget':
        return task(e.taskId, { status: 'overBudget', endedAt: e.at });
      case 'plan.finished':
        // The summary is the last word on each task (those left pending at a budget included).
        for (const outcome of e.summary.tasks) {
          const saved = this.record.tasks[outcome.id];
          if (saved && saved.status !== outcome.status) task(outcome.id, { status: outcome.status });
        }
        this.journal.append({ t: 'state', state: e.summary.outcome, at: e.at });
        return;
      default:
        return;
    }
  }

  write(w: WriteRecord): void {
    this.journal.append({
      t: 'write',
      id: w.taskId,
      path: w.path,
      before: w.before ?? null,
      ...(w.before === undefined ? { beforeUnknown: true } : {}),
      after: w.after ?? null,
      at: Date.now(),
    });
  }
}
