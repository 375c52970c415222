// A task of the plan under review: title (or the inline rename field), model,
// dependencies and files, with Edit, Rename and Remove; its fields when open for editing;
// and, when removing it would leave others depending on nothing, the question whether to
// drop those edges.
import { TASK_STATUS } from '../../core/run/task-status';
import type { PlanDraft } from '../state/model';
import { h } from '../render/dom';
import { renderRemoveQuestion, renderTaskEditor, taskTooltip } from './task-editor';
import { taskIds } from './task-ids';

export function renderPlanTask(plan: PlanDraft, key: string, renaming: boolean): HTMLElement {
  const task = plan.plan.tasks.find((t) => t.id === key);
  if (!task) throw new Error(`task ${key} is missing`);
  const title = task.title;
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
  const button = (action: string, label: string, name: string) =>
    h(
      'button',
      { type: 'button', class: 'rz-link', 'data-action': action, 'data-id': key, 'aria-label': `${name} ${title}` },
      label,
    );
  return h(
    'div',
    { class: 'rz-task rz-plan-task' },
    h(
      'div',
      { class: 'rz-task-head', title: taskTooltip(task) },
      item,
      h(
        'span',
        { class: 'rz-meta', id: ids.meta },
        [
          task.model,
          task.dependsOn.length ? `after ${task.dependsOn.join(', ')}` : '',
          task.files.length ? task.files.join(', ') : '',
        ]
          .filter(Boolean)
          .join(' · '),
      ),
      h(
        'span',
        { class: 'rz-row-actions' },
        button('edit-task', 'Edit', 'Edit'),
        button('rename-task', 'Rename', 'Rename'),
        button('remove-task', 'Remove', 'Remove'),
      ),
    ),
    plan.confirmRemove === key ? renderRemoveQuestion(plan.plan, key) : null,
    plan.editing === key
      ? renderTaskEditor(plan.plan, key)
      : task.description
        ? h('div', { class: 'rz-desc', id: ids.description }, task.description)
        : null,
  );
}
