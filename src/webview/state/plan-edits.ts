// The user's edits to a plan under review — tasks removed, titles renamed — kept beside
// the plan the host sent, so "Undo edits" restores it and Run sends the edited one.
import type { Plan } from '../../core/plan/plan';
import type { PlanDraft } from './model';

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

export function removeTask(draft: PlanDraft, taskId: string): void {
  draft.removed = [...new Set([...draft.removed, taskId])];
}

/** False when there is nothing to rename to (a blank title keeps the old one). */
export function renameTask(draft: PlanDraft, taskId: string, title: string): boolean {
  const trimmed = title.trim();
  if (trimmed === '') return false;
  const original = draft.result.plan.tasks.find((t) => t.id === taskId)?.title;
  if (trimmed === original) delete draft.renamed[taskId];
  else draft.renamed[taskId] = trimmed;
  return true;
}

export function resetEdits(draft: PlanDraft): void {
  draft.removed = [];
  draft.renamed = {};
}

export function edited(draft: PlanDraft): boolean {
  return draft.removed.length > 0 || Object.keys(draft.renamed).length > 0;
}
