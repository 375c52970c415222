// A task of the plan under review: title (or the inline rename field), model,
// dependencies and files, with Rename and Remove.
import { TASK_STATUS } from '../../core/run/task-status';
import type { PlanDraft } from '../state/model';
import { h } from '../render/dom';
import { taskIds } from './task-ids';

export function renderPlanTask(plan: PlanDraft, key: string, renaming: boolean): HTMLElement {
  const task = plan.result.plan.tasks.find((t) => t.id === key);
  if (!task) throw new Error(`task ${key} is missing`);
  const title = plan.renamed[key] ?? task.title;
  const removed = new Set(plan.removed);
  const deps = task.dependsOn.filter((d) => !removed.has(d));
  const ids = taskIds(key);
  // The row's focus stop holds its title (or the rename field); the rest describes it.
  const item = renaming
    ? h('input', {
        class: 'rz-rename',
        type: 'text',
        value: title,
        'aria-label': `New title for ${title}`,
        'data-task-id': key,
      })
    : h(
        'span',
        {
          class: 'rz-task-item',
          'data-focus': 'task',
          'aria-describedby': `${ids.meta}${task.description ? ` ${ids.description}` : ''}`,
          tabindex: -1,
        },
        h(
          'span',
          { class: 'rz-status', 'data-status': 'pending', role: 'img', 'aria-label': 'Planned' },
          TASK_STATUS.pending.icon,
        ),
        h('span', { class: 'rz-title', id: ids.title }, title),
      );
  return h(
    'div',
    { class: 'rz-task rz-plan-task' },
    h(
      'div',
      { class: 'rz-task-head' },
      item,
      h(
        'span',
        { class: 'rz-meta', id: ids.meta },
        [task.model, deps.length ? `after ${deps.join(', ')}` : '', task.files.length ? task.files.join(', ') : '']
          .filter(Boolean)
          .join(' · '),
      ),
      h(
        'span',
        { class: 'rz-row-actions' },
        h(
          'button',
          {
            type: 'button',
            class: 'rz-link',
            'data-action': 'rename-task',
            'data-id': key,
            'aria-label': `Rename ${title}`,
          },
          'Rename',
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'rz-link',
            'data-action': 'remove-task',
            'data-id': key,
            'aria-label': `Remove ${title}`,
          },
          'Remove',
        ),
      ),
    ),
    task.description ? h('div', { class: 'rz-desc', id: ids.description }, task.description) : null,
  );
}
