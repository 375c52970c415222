// What each `data-action` in the view does. One delegated listener in the shell routes
// every click here (the CSP forbids inline handlers, and per-row listeners would not
// survive virtualisation).
import type { Tab } from '../state/model';
import { editedPlan } from '../state/plan-edits';
import type { Store } from '../state/store';
import type { Post } from '../render/ui';
import type { ApprovalsView } from './approvals';
import type { ChatView } from './chat';
import type { NoticesView } from './notices';
import type { TasksView } from './tasks';
import { actOnPlan } from './plan-actions';

/** The parts of the view an action may touch; `flush` renders what the action changed. */
export interface ActionTarget {
  store: Store;
  post: Post;
  chat: ChatView;
  tasks: TasksView;
  approvals: ApprovalsView;
  notices: NoticesView;
  flush(): void;
  /** Focuses the selected tab: where focus goes when the control it was on is gone and nothing comes next. */
  focusHome(): void;
  /** Says something through the live status region (what a sighted user sees change on the button). */
  say(text: string): void;
}

function after(ui: ActionTarget, action: () => void): void {
  action();
  ui.flush();
}

export function act(target: HTMLElement, ui: ActionTarget): void {
  const id = target.dataset.id ?? '';
  const { model } = ui.store;
  switch (target.dataset.action) {
    case 'send':
    case 'plan':
      return after(ui, () => ui.chat.submit());
    case 'remove-attachment':
      ui.post({ type: 'attachment.remove', id });
      return after(ui, () => ui.store.removeAttachment(id));
    case 'tab':
      return after(ui, () => ui.store.setTab(target.dataset.tab as Tab));
    case 'toggle-task':
      ui.store.toggleExpanded(id);
      return ui.flush();
    case 'run-plan':
      if (model.plan) ui.post({ type: 'plan.run', planId: model.plan.planId, plan: editedPlan(model.plan) });
      return;
    case 'reset-plan':
      return after(ui, () => ui.store.resetPlanEdits());
    case 'remove-task':
      return after(ui, () => ui.store.removePlanTask(id));
    case 'rename-task':
      return ui.tasks.startRename(id);
    case 'cancel-run':
      ui.post({ type: 'run.cancel' });
      return;
    case 'retry-task':
      if (model.run) ui.post({ type: 'task.retry', runId: model.run.runId, taskId: id });
      return;
    case 'undo-run':
      if (model.run) ui.post({ type: 'run.undo', runId: model.run.runId });
      return;
    case 'open-diff':
      ui.post({
        type: 'diff.open',
        path: target.dataset.path ?? '',
        runId: target.dataset.runId,
      });
      return;
    case 'approve':
    case 'deny':
    case 'always-allow': {
      const approval = model.approvals.find((a) => a.id === id);
      if (!approval || approval.answered) return;
      const decision =
        target.dataset.action === 'approve' ? 'approve' : target.dataset.action === 'deny' ? 'deny' : 'alwaysAllow';
      ui.post({
        type: 'approval.respond',
        id,
        decision,
      });
      after(ui, () => ui.store.markAnswered(id));
      // The answered approval's buttons are disabled now: go on to the next question.
      const next = ui.approvals.nextAfter(id);
      if (next) next.focus();
      else ui.focusHome();
      return;
    }
    case 'history-open':
      ui.post({ type: 'history.open', id });
      return;
    case 'history-delete':
      // No confirm() in webviews: a second click within a few seconds confirms.
      if (target.dataset.armed === 'true') {
        ui.post({ type: 'history.delete', id });
        return;
      }
      target.dataset.armed = 'true';
      target.textContent = 'Delete?';
      ui.say('Press Delete again within 3 seconds to delete it.');
      window.setTimeout(() => {
        target.dataset.armed = 'false';
        target.textContent = 'Delete';
      }, 3000);
      return;
    case 'health-check':
      ui.post({ type: 'health.check' });
      return;
    case 'dismiss-notice': {
      const next = ui.notices.neighbour(Number(id));
      after(ui, () => ui.store.dismissNotice(Number(id)));
      if (next?.isConnected) next.focus();
      else ui.focusHome();
      return;
    }
    default:
      actOnPlan(target, ui);
      return;
    case 'copy-code': {
      const code = target.closest('.rz-code')?.querySelector('pre')?.textContent ?? '';
      navigator.clipboard.writeText(code).then(
        () => {
          target.textContent = 'Copied';
          ui.say('Code copied.');
          window.setTimeout(() => {
            target.textContent = 'Copy';
          }, 1500);
        },
        () => {
          target.textContent = 'Copy failed';
        },
      );
      return;
    }
  }
}
