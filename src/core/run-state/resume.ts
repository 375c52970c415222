// What resuming a saved run means: its succeeded tasks are kept (their results feed their
// dependents), every other task runs again. A kept task whose files changed on disk since
// it wrote them is named, so the user can keep going or run it again (with the kept tasks
// that depend on it, whose results rest on it).
import type { Plan } from '../plan/plan';
import type { KeptTask } from '../run/task-book';
import type { RunRecord } from './run-record';

export interface DriftedFile {
  path: string;
  why: 'changed' | 'deleted';
}

export interface ResumePlan {
  plan: Plan;
  kept: Map<string, KeptTask>;
  /** Tasks that will run, in plan order. */
  rerun: string[];
  /** Kept tasks whose files changed on disk since they wrote them. */
  drifted: Array<{ taskId: string; title: string; files: DriftedFile[] }>;
}

/** `read`: a workspace file's text now, undefined when it does not exist. */
export async function planResume(
  record: RunRecord,
  read: (path: string) => Promise<string | undefined>,
): Promise<ResumePlan> {
  const kept = new Map<string, KeptTask>();
  const drifted: ResumePlan['drifted'] = [];
  for (const task of record.plan.tasks) {
    const saved = record.tasks[task.id];
    if (saved?.status !== 'succeeded') continue;
    kept.set(task.id, {
      result: saved.result,
      usage: saved.usage,
      filesChanged: saved.changes.map((c) => c.path),
      model: saved.model,
      attempts: saved.attempts,
      startedAt: saved.startedAt,
      endedAt: saved.endedAt,
    });
    const files: DriftedFile[] = [];
    for (const change of saved.changes) {
      if (change.after === null) continue;
      const now = await read(change.path);
      if (now === undefined) files.push({ path: change.path, why: 'deleted' });
      else if (now !== change.after && !laterWriteOf(record, task.id, change.path, now))
        files.push({ path: change.path, why: 'changed' });
    }
    if (files.length) drifted.push({ taskId: task.id, title: task.title, files });
  }
  return { plan: record.plan, kept, rerun: rerunOrder(record.plan, kept), drifted };
}

/** Runs these kept tasks again, and the kept tasks that depend on them, directly or not. */
export function rerunAlso(resume: ResumePlan, taskIds: readonly string[]): ResumePlan {
  const again = new Set(taskIds);
  for (let grew = true; grew;) {
    grew = false;
    for (const task of resume.plan.tasks)
      if (!again.has(task.id) && resume.kept.has(task.id) && task.dependsOn.some((d) => again.has(d))) {
        again.add(task.id);
        grew = true;
      }
  }
  const kept = new Map([...resume.kept].filter(([id]) => !again.has(id)));
  return {
    ...resume,
    kept,
    rerun: rerunOrder(resume.plan, kept),
    drifted: resume.drifted.filter((d) => !again.has(d.taskId)),
  };
}

function rerunOrder(plan: Plan, kept: ReadonlyMap<string, KeptTask>): string[] {
  return plan.tasks.filter((t) => !kept.has(t.id)).map((t) => t.id);
}

/** Another task of the run wrote this file after this one, leaving exactly what is there: not a change since. */
function laterWriteOf(record: RunRecord, taskId: string, path: string, now: string): boolean {
  const mine = record.tasks[taskId]?.changes.find((c) => c.path === path);
  return Object.entries(record.tasks).some(
    ([id, t]) =>
      id !== taskId && t.changes.some((c) => c.path === path && c.lastSeq > (mine?.lastSeq ?? 0) && c.after === now),
  );
}
