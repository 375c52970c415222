// The fields of one task of the plan under review, for the sidebar tree and the graph
// panel alike: title, description, files, model and what it depends on (a checkbox per
// other task, so dependencies are added and removed from the keyboard). Save reads them
// back (readTaskEditor); the store refuses what would break the plan and says why.
import type { Plan, Task } from '../../core/plan/plan';
import { dependentsOf, type TaskFields } from '../state/plan-edits';
import { h } from '../render/dom';

export function renderTaskEditor(plan: Plan, taskId: string): HTMLElement {
  const task = plan.tasks.find((t) => t.id === taskId);
  if (!task) throw new Error(`task ${taskId} is missing`);
  const field = (label: string, control: HTMLElement) =>
    h('label', { class: 'rz-field' }, h('span', { class: 'rz-label' }, label), control);
  return h(
    'div',
    { class: 'rz-task-editor', role: 'group', 'aria-label': `Edit ${task.id}`, 'data-task-id': task.id },
    field('Title', h('input', { type: 'text', name: 'title', value: task.title })),
    field('Description', h('textarea', { name: 'description', rows: 3 }, task.description)),
    field(
      'Files (comma-separated)',
      h('input', {
        type: 'text',
        name: 'files',
        value: task.files.join(', '),
        placeholder: 'src/a.ts, test/a.test.ts',
      }),
    ),
    field('Model (empty: the worker model)', h('input', { type: 'text', name: 'model', value: task.model ?? '' })),
    dependencyChoices(plan, task),
    h(
      'div',
      { class: 'rz-actions' },
      h('vscode-button', { 'data-action': 'save-task', 'data-id': task.id }, 'Save'),
      h('vscode-button', { 'data-action': 'cancel-edit', 'data-id': task.id, secondary: true }, 'Cancel'),
    ),
  );
}

function dependencyChoices(plan: Plan, task: Task): HTMLElement {
  const others = plan.tasks.filter((t) => t.id !== task.id);
  return h(
    'fieldset',
    { class: 'rz-deps' },
    h('legend', {}, others.length ? 'Runs after' : 'Runs after (no other task)'),
    ...others.map((other) =>
      h(
        'label',
        { class: 'rz-dep' },
        h('input', {
          type: 'checkbox',
          name: 'dependsOn',
          value: other.id,
          checked: task.dependsOn.includes(other.id),
        }),
        ` ${other.id} ${other.title}`,
      ),
    ),
  );
}

/** The fields as the user left them in an editor element. */
export function readTaskEditor(editor: Element): TaskFields {
  const value = (name: string) =>
    editor.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${name}"]`)?.value ?? '';
  return {
    title: value('title'),
    description: value('description'),
    files: value('files').split(','),
    model: value('model'),
    dependsOn: [...editor.querySelectorAll<HTMLInputElement>('input[name="dependsOn"]')]
      .filter((c) => c.checked)
      .map((c) => c.value),
  };
}

/** Full title, files, dependencies and model: a task row's tooltip. */
export function taskTooltip(task: Pick<Task, 'id' | 'title' | 'files' | 'dependsOn' | 'model'>): string {
  return [
    `${task.id}: ${task.title}`,
    `Files: ${task.files.length ? task.files.join(', ') : 'none declared'}`,
    `Runs after: ${task.dependsOn.length ? task.dependsOn.join(', ') : 'nothing'}`,
    `Model: ${task.model ?? 'the worker model'}`,
  ].join('\n');
}

/** Asks whether to remove `taskId` and drop the edges of the tasks that depend on it; null when none do. */
export function renderRemoveQuestion(plan: Plan, taskId: string): HTMLElement | null {
  const dependents = dependentsOf(plan, taskId);
  if (!dependents.length) return null;
  const one = dependents.length === 1;
  return h(
    'div',
    { class: 'rz-confirm', role: 'alert' },
    `${dependents.join(', ')} depend${one ? 's' : ''} on ${taskId}. Remove ${taskId} and drop ${one ? 'that edge' : 'those edges'}?`,
    h(
      'span',
      { class: 'rz-actions' },
      h('vscode-button', { 'data-action': 'confirm-remove', 'data-id': taskId }, 'Remove and drop edges'),
      h('vscode-button', { 'data-action': 'cancel-remove', 'data-id': taskId, secondary: true }, 'Keep'),
    ),
  );
}
