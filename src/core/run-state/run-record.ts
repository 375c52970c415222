// A run as it is saved between sessions (docs/ARCHITECTURE.md, "Saved runs"): the plan,
// each task's status, result and usage, and for each task the files it wrote with their
// text before its first write and after its last — enough to resume the run and to undo
// one task. Saved as a journal of entries (run-journal.ts) folded into this record.
import { z } from 'zod';
import type { TokenUsage } from '../model/chat';
import type { Plan, PlanSource } from '../plan/plan';
import type { RunOutcome, TaskStatus } from '../run/events';

/** Bumped on any change a saved run of the old shape cannot be read as. */
export const RUN_STATE_VERSION = 1;

/** One file one task wrote. */
export interface FileChange {
  path: string;
  /** Text before the task's first write; null when the task created the file. */
  before: string | null;
  /** True when the text before could not be kept whole (binary, too large): not undoable. */
  beforeUnknown?: boolean;
  /** Text after the task's last write; null when it could not be read back. */
  after: string | null;
  /** Order of the first and the last write among all writes of the run. */
  firstSeq: number;
  lastSeq: number;
}

export interface SavedTask {
  status: TaskStatus;
  result?: string;
  error?: string;
  usage: TokenUsage;
  model?: string;
  attempts: number;
  startedAt?: number;
  endedAt?: number;
  changes: FileChange[];
  /** The task's writes were undone (all of them). */
  undone?: boolean;
}

export type SavedRunState = 'running' | RunOutcome;

export interface RunRecord {
  version: number;
  runId: string;
  /** The workspace it ran in: its root (folders' roots, one per line, in a multi-root window). */
  workspace: string;
  /** What the user asked, for lists. */
  title: string;
  createdAt: number;
  updatedAt: number;
  plan: Plan;
  source?: PlanSource;
  state: SavedRunState;
  /** The process that saved it last: a 'running' run whose process is gone was interrupted. */
  pid?: number;
  tasks: Record<string, SavedTask>;
  /** Writes so far, for FileChange's order. */
  writes: number;
}

const usage = z.object({ promptTokens: z.number(), completionTokens: z.number(), cost: z.number().optional() });
const status = z.enum(['pending', 'queued', 'running', 'succeeded', 'failed', 'skipped', 'cancelled', 'overBudget']);
const change = z.object({
  path: z.string(),
  before: z.string().nullable(),
  beforeUnknown: z.boolean().optional(),
  after: z.string().nullable(),
  firstSeq: z.number(),
  lastSeq: z.number(),
});
const task = z.object({
  status,
  result: z.string().optional(),
  error: z.string().optional(),
  usage,
  model: z.string().optional(),
  attempts: z.number(),
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  changes: z.array(change),
  undone: z.boolean().optional(),
});
const planTask = z.object({
  id: z.string().min(1),
  title: z.string(),
  description: z.string(),
  dependsOn: z.array(z.string()),
  files: z.array(z.string()),
  model: z.string().optional(),
});

export const RunRecordShape: z.ZodType<RunRecord> = z.object({
  version: z.number(),
  runId: z.string().min(1),
  workspace: z.string(),
  title: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  plan: z.object({ tasks: z.array(planTask).min(1) }),
  source: z.enum(['llm', 'fallback']).optional(),
  state: z.enum(['running', 'succeeded', 'failed', 'cancelled', 'overBudget']),
  pid: z.number().optional(),
  tasks: z.record(z.string(), task),
  writes: z.number(),
});

export const SavedTaskPatchShape = task.partial();

export function newRunRecord(init: {
  runId: string;
  workspace: string;
  title: string;
  plan: Plan;
  source?: PlanSource;
  at?: number;
}): RunRecord {
  const at = init.at ?? Date.now();
  return {
    version: RUN_STATE_VERSION,
    runId: init.runId,
    workspace: init.workspace,
    title: init.title,
    createdAt: at,
    updatedAt: at,
    plan: init.plan,
    source: init.source,
    state: 'running',
    pid: process.pid,
    tasks: Object.fromEntries(
      init.plan.tasks.map((t) => [
        t.id,
        { status: 'pending', usage: { promptTokens: 0, completionTokens: 0 }, attempts: 0, changes: [] },
      ]),
    ),
    writes: 0,
  };
}
