// What the plan-editing, resume, undo and budget buttons do — in the sidebar and in the
// graph panel alike (actions.ts hands over what it does not know). The store applies a
// plan edit and tells the host (Store.onPlanEdit), which passes it to every view.
import type { Store } from '../state/store';
import type { Post } from '../render/ui';
import { readTaskEditor } from './task-editor';

export interface PlanActionTarget {
  store: Store;
  post: Post;
  flush(): void;
}

/** Handles the action; false when it is not one of these. */
export function actOnPlan(target: HTMLElement, ui: PlanActionTarget): boolean {
  const id = target.dataset.id ?? '';
  const { store } = ui;
  const run = store.model.run;
  const tokens = Number(target.dataset.tokens);
  switch (target.dataset.action) {
    case 'edit-task':
      store.setEditing(store.model.plan?.editing === id ? undefined : id);
      break;
    case 'cancel-edit':
      store.setEditing(undefined);
      break;
    case 'save-task': {
      const editor = target.closest('.rz-task-editor');
      if (editor && store.editPlanTask(id, readTaskEditor(editor))) store.setEditing(undefined);
      break;
    }
    case 'add-task':
      store.addPlanTask();
      break;
    case 'confirm-remove':
      store.removePlanTask(id, true);
      break;
    case 'cancel-remove':
      store.cancelRemove();
      break;
    case 'open-graph':
      ui.post({ type: 'graph.open' });
      return true;
    case 'resume-run':
      if (run) ui.post({ type: 'run.resume', runId: run.runId });
      return true;
    case 'undo-task':
      if (run) ui.post({ type: 'task.undo', runId: run.runId, taskId: id });
      return true;
    case 'continue-task':
      if (run && tokens > 0) ui.post({ type: 'task.continue', runId: run.runId, taskId: id, tokens });
      return true;
    case 'continue-run':
      if (run && tokens > 0) ui.post({ type: 'run.continue', runId: run.runId, tokens });
      return true;
    default:
      return false;
  }
  ui.flush();
  return true;
}
