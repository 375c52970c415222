// Edits to a plan under review — add or remove a task, change its title, description,
// files or model, add or remove a dependency — as pure functions from plan to plan, shared
// by the sidebar tree and the graph panel. An edit that would break the plan is refused
// with why: a dependency that closes a cycle names the cycle (findCycle, the same check
// the planner's output gets); removing a task others depend on says who, and only goes
// ahead when told to drop those edges.
import { findCycle } from '../../core/plan/plan-parse';
import type { Plan, Task } from '../../core/plan/plan';
import type { PlanDraft } from './model';

export type PlanEdit = { ok: true; plan: Plan } | { ok: false; error: string };

export type TaskFields = Partial<Pick<Task, 'title' | 'description' | 'files' | 'model' | 'dependsOn'>>;

/** The plan as the user has edited it (what Run sends). */
export function editedPlan(draft: PlanDraft): Plan {
  return draft.plan;
}

export function edited(draft: PlanDraft): boolean {
  return JSON.stringify(draft.plan) !== JSON.stringify(draft.result.plan);
}

/** Tasks that depend on this one directly. */
export function dependentsOf(plan: Plan, taskId: string): string[] {
  return plan.tasks.filter((t) => t.dependsOn.includes(taskId)).map((t) => t.id);
}

export function removeTask(plan: Plan, taskId: string, dropEdges: boolean): PlanEdit {
  const dependents = dependentsOf(plan, taskId);
  if (dependents.length && !dropEdges)
    return { ok: false, error: `${dependents.join(', ')} depend${dependents.length === 1 ? 's' : ''} on ${taskId}` };
  const tasks = plan.tasks
    .filter((t) => t.id !== taskId)
    .map((t) => (t.dependsOn.includes(taskId) ? { ...t, dependsOn: t.dependsOn.filter((d) => d !== taskId) } : t));
  if (tasks.length === 0) return { ok: false, error: 'a plan needs at least one task' };
  return { ok: true, plan: { tasks } };
}

export function updateTask(plan: Plan, taskId: string, fields: TaskFields): PlanEdit {
  const current = plan.tasks.find((t) => t.id === taskId);
  if (!current) return { ok: false, error: `there is no task ${taskId}` };
  const next: Task = { ...current };
  if (fields.title !== undefined) {
    const title = fields.title.trim();
    if (!title) return { ok: false, error: 'a task needs a title' };
    next.title = title;
  }
  if (fields.description !== undefined) next.description = fields.description.trim();
  if (fields.files !== undefined) next.files = [...new Set(fields.files.map((f) => f.trim()).filter(Boolean))];
  if (fields.model !== undefined) {
    const model = fields.model.trim();
    if (model) next.model = model;
    else delete next.model;
  }
  if (fields.dependsOn !== undefined) {
    const deps = [...new Set(fields.dependsOn)];
    const unknown = deps.find((d) => !plan.tasks.some((t) => t.id === d));
    if (unknown) return { ok: false, error: `there is no task ${unknown} to depend on` };
    if (deps.includes(taskId)) return { ok: false, error: `${taskId} cannot depend on itself` };
    next.dependsOn = deps;
  }
  const tasks = plan.tasks.map((t) => (t.id === taskId ? next : t));
  const cycle = findCycle(tasks);
  if (cycle) return { ok: false, error: `that would make a cycle: ${fromTask(cycle, taskId).join(' → ')}` };
  return { ok: true, plan: { tasks } };
}

export function addDependency(plan: Plan, taskId: string, dependsOn: string): PlanEdit {
  const task = plan.tasks.find((t) => t.id === taskId);
  if (!task) return { ok: false, error: `there is no task ${taskId}` };
  if (task.dependsOn.includes(dependsOn)) return { ok: true, plan };
  return updateTask(plan, taskId, { dependsOn: [...task.dependsOn, dependsOn] });
}

export function removeDependency(plan: Plan, taskId: string, dependsOn: string): PlanEdit {
  const task = plan.tasks.find((t) => t.id === taskId);
  if (!task) return { ok: false, error: `there is no task ${taskId}` };
  return updateTask(plan, taskId, { dependsOn: task.dependsOn.filter((d) => d !== dependsOn) });
}

/** A new task with a fresh id, after the others; the caller opens it for editing. */
export function addTask(plan: Plan, title = 'New task'): { plan: Plan; id: string } {
  const ids = new Set(plan.tasks.map((t) => t.id));
  let n = plan.tasks.length + 1;
  while (ids.has(`t${n}`)) n++;
  const id = `t${n}`;
  return { plan: { tasks: [...plan.tasks, { id, title, description: '', dependsOn: [], files: [] }] }, id };
}

/** The cycle told from the task being edited: "t3 → t2 → t3" when t3 was given t2. */
function fromTask(cycle: string[], taskId: string): string[] {
  const ring = cycle.slice(0, -1);
  const at = ring.indexOf(taskId);
  if (at <= 0) return cycle;
  const rotated = [...ring.slice(at), ...ring.slice(0, at)];
  return [...rotated, taskId];
}
