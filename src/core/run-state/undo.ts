// Undoing what one task (or a whole run) wrote, file by file, without losing what came
// after: where the file still holds exactly what the task left, its earlier text comes
// back; where later edits (another task's, the user's) touched other lines, only the
// task's own change is reverted (its diff, applied in reverse — `diff`'s applyPatch
// refuses when the context no longer matches); where they touched the same lines, the
// step is a conflict carrying the diff of what undoing would lose, and the caller asks.
// A file deleted since, or one whose earlier text was never known whole, is reported and
// left alone.
import { applyPatch, createTwoFilesPatch, structuredPatch } from 'diff';
import type { FileChange, RunRecord } from './run-record';

export type UndoStep =
  | { path: string; kind: 'restore'; text: string; merged: boolean }
  | { path: string; kind: 'delete' }
  /** Undoing means losing later edits: `text` (undefined: delete) is what the file would become. */
  | { path: string; kind: 'conflict'; text: string | undefined; lost: string }
  | { path: string; kind: 'skip'; reason: string };

/** `read`: the file's text now, undefined when it does not exist. */
export async function planUndo(
  changes: readonly FileChange[],
  read: (path: string) => Promise<string | undefined>,
): Promise<UndoStep[]> {
  const steps: UndoStep[] = [];
  for (const change of changes) steps.push(undoStep(change, await read(change.path)));
  return steps;
}

export function undoStep(change: FileChange, now: string | undefined): UndoStep {
  const { path, before, after } = change;
  if (change.beforeUnknown)
    return { path, kind: 'skip', reason: `its text before could not be kept (binary or too large); nothing restored` };
  if (now === undefined)
    return before === null
      ? { path, kind: 'skip', reason: 'it is already gone' }
      : { path, kind: 'skip', reason: 'it was deleted since; nothing restored' };
  if (now === before) return { path, kind: 'skip', reason: 'it already holds its text from before' };
  if (after !== null && now === after)
    return before === null ? { path, kind: 'delete' } : { path, kind: 'restore', text: before, merged: false };
  const lost = (target: string) =>
    createTwoFilesPatch(`${path} (now)`, `${path} (after undo)`, now, target, '', '', { context: 2 });
  if (before === null) return { path, kind: 'conflict', text: undefined, lost: lost('') };
  if (after !== null) {
    const merged = applyPatch(now, structuredPatch(path, path, after, before, '', '', { context: 2 }));
    if (merged !== false) return { path, kind: 'restore', text: merged, merged: true };
  }
  return { path, kind: 'conflict', text: before, lost: lost(before) };
}

/** One task's changes. */
export function taskChanges(record: RunRecord, taskId: string): FileChange[] {
  const task = record.tasks[taskId];
  if (!task) throw new Error(`Run ${record.runId} has no task "${taskId}".`);
  return task.changes;
}

/** The whole run's changes as one per file: the text before its first write, after its last. */
export function runChanges(record: RunRecord): FileChange[] {
  const byPath = new Map<string, FileChange>();
  for (const task of Object.values(record.tasks))
    for (const change of task.changes) {
      const seen = byPath.get(change.path);
      if (!seen) byPath.set(change.path, { ...change });
      else {
        if (change.firstSeq < seen.firstSeq)
          Object.assign(seen, {
            before: change.before,
            beforeUnknown: change.beforeUnknown,
            firstSeq: change.firstSeq,
          });
        if (change.lastSeq > seen.lastSeq) Object.assign(seen, { after: change.after, lastSeq: change.lastSeq });
      }
    }
  return [...byPath.values()].sort((a, b) => a.firstSeq - b.firstSeq);
}

export function describeStep(step: UndoStep): string {
  switch (step.kind) {
    case 'restore':
      return `${step.path}: restored${step.merged ? ' (later edits elsewhere in the file kept)' : ''}`;
    case 'delete':
      return `${step.path}: removed (the task created it)`;
    case 'conflict':
      return `${step.path}: later edits touch the same lines`;
    case 'skip':
      return `${step.path}: not undone — ${step.reason}`;
  }
}
