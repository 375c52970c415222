// The entries a saved run's journal holds, one JSON object per line, and how they fold
// into a RunRecord. The first entry is always a whole record ('run'); compaction writes a
// new file holding just that.
import { z } from 'zod';
import { RUN_STATE_VERSION, RunRecordShape, SavedTaskPatchShape, type RunRecord, type SavedTask } from './run-record';

export type JournalEntry =
  | { t: 'run'; record: RunRecord }
  | { t: 'task'; id: string; patch: Partial<SavedTask>; at: number }
  | {
      t: 'write';
      id: string;
      path: string;
      before: string | null;
      beforeUnknown?: boolean;
      after: string | null;
      at: number;
    }
  | { t: 'undo'; id: string; paths: string[]; at: number }
  | { t: 'state'; state: RunRecord['state']; pid?: number; at: number };

const EntryShape = z.discriminatedUnion('t', [
  z.object({ t: z.literal('run'), record: z.unknown() }),
  z.object({ t: z.literal('task'), id: z.string(), patch: SavedTaskPatchShape, at: z.number() }),
  z.object({
    t: z.literal('write'),
    id: z.string(),
    path: z.string(),
    before: z.string().nullable(),
    beforeUnknown: z.boolean().optional(),
    after: z.string().nullable(),
    at: z.number(),
  }),
  z.object({ t: z.literal('undo'), id: z.string(), paths: z.array(z.string()), at: z.number() }),
  z.object({
    t: z.literal('state'),
    state: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'overBudget']),
    pid: z.number().optional(),
    at: z.number(),
  }),
]);

/** Why a saved run cannot be used, in words for the user. */
export class RunStateError extends Error {
  override readonly name = 'RunStateError';
  constructor(
    readonly kind: 'corrupt' | 'version' | 'moved' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

/** Folds a journal's text into its record; throws RunStateError when it cannot be read. */
export function foldJournal(text: string): RunRecord {
  const lines = text.split('\n');
  // A crash in the middle of an append leaves at most the last line cut short: without it
  // the run is as it was one event earlier.
  if (lines.length > 1 && lines[lines.length - 1] !== '') lines.pop();
  let record: RunRecord | undefined;
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let entry: JournalEntry;
    try {
      entry = EntryShape.parse(JSON.parse(line)) as JournalEntry;
    } catch {
      throw new RunStateError('corrupt', `line ${index + 1} is not a saved-run entry`);
    }
    if (entry.t === 'run') {
      record = readRecord(entry.record);
      return;
    }
    if (!record) throw new RunStateError('corrupt', 'it does not start with the run it is about');
    applyEntry(record, entry);
  });
  if (!record) throw new RunStateError('corrupt', 'it is empty');
  return record;
}

function readRecord(value: unknown): RunRecord {
  const version = (value as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version !== RUN_STATE_VERSION)
    throw new RunStateError(
      'version',
      `it was saved by another version of Rozet (saved-run format ${version}; this one reads ${RUN_STATE_VERSION})`,
    );
  const parsed = RunRecordShape.safeParse(value);
  if (!parsed.success) throw new RunStateError('corrupt', 'its run record is malformed');
  return parsed.data;
}

export function applyEntry(record: RunRecord, entry: JournalEntry): void {
  if (entry.t === 'run') return;
  record.updatedAt = entry.at;
  if (entry.t === 'state') {
    record.state = entry.state;
    if (entry.pid !== undefined) record.pid = entry.pid;
    return;
  }
  const task = record.tasks[entry.id];
  if (!task) return;
  if (entry.t === 'task') {
    Object.assign(task, entry.patch);
    return;
  }
  if (entry.t === 'undo') {
    const undone = new Set(entry.paths);
    task.changes = task.changes.filter((c) => !undone.has(c.path));
    if (task.changes.length === 0) task.undone = true;
    return;
  }
  const seq = ++record.writes;
  const existing = task.changes.find((c) => c.path === entry.path);
  if (existing) {
    existing.after = entry.after;
    existing.lastSeq = seq;
    return;
  }
  task.undone = undefined;
  task.changes.push({
    path: entry.path,
    before: entry.before,
    ...(entry.beforeUnknown ? { beforeUnknown: true } : {}),
    after: entry.after,
    firstSeq: seq,
    lastSeq: seq,
  });
}
