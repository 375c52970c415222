// A task of the live run: a head (status, title, model, elapsed time, Retry) and, when
// expanded, a body with the worker's streaming output, retries, tool calls and changed
// files. Patching appends what is new rather than rebuilding, so a stream stays cheap.
import { describeRetry } from '../../core/run/events';
import { TASK_STATUS } from '../../core/run/task-status';
import type { RunView, TaskView } from '../state/model';
import { formatDuration, h, setChildren } from '../render/dom';
import { patchChildren } from '../render/in-place';
import { describeUsage, totalTokens } from '../../core/run/budget';
import { taskTooltip } from './task-editor';
import { taskIds } from './task-ids';
import { clip, renderToolCall } from './tool-call';

export function renderRunTask(run: RunView, key: string, expanded: boolean): HTMLElement {
  const task = run.tasks.get(key);
  if (!task) throw new Error(`task ${key} is missing`);
  return h(
    'div',
    { class: 'rz-task', 'data-status': task.status, 'data-running': task.status === 'running' },
    renderHead(task, expanded, run),
    expanded ? renderBody(task, run) : null,
  );
}

/** Brings a rendered row up to date; undefined when it has to be rendered afresh. */
export function patchRunTask(el: HTMLElement, run: RunView, key: string, expanded: boolean): HTMLElement | undefined {
  const task = run.tasks.get(key);
  if (!task) throw new Error(`task ${key} is missing`);
  const head = el.querySelector(':scope > .rz-task-head');
  if (!head) return undefined;
  // Only the parts that changed are replaced, so a focused Retry keeps its focus.
  patchChildren(head, Array.from(renderHead(task, expanded, run).children));
  el.dataset.status = task.status;
  el.toggleAttribute('data-running', task.status === 'running');
  const body = el.querySelector<HTMLElement>(':scope > .rz-task-body');
  if (!expanded) body?.remove();
  else if (!body) el.append(renderBody(task, run));
  else patchBody(body, task, run);
  return el;
}

export function elapsed(task: TaskView): string {
  if (task.startedAt === undefined) return '';
  return formatDuration((task.endedAt ?? Date.now()) - task.startedAt);
}

function renderHead(task: TaskView, expanded: boolean, run: RunView): HTMLElement {
  const status = TASK_STATUS[task.status];
  const finished = !!run.summary;
  const canRetry = (task.status === 'failed' || task.status === 'cancelled') && finished;
  const ids = taskIds(task.id);
  const link = (action: string, label: string, name: string, extra: Record<string, string | number> = {}) =>
    h(
      'button',
      {
        type: 'button',
        class: 'rz-link',
        'data-action': action,
        'data-id': task.id,
        'aria-label': `${name} ${task.title}`,
        ...extra,
      },
      label,
    );
  return h(
    'div',
    { class: 'rz-task-head', 'data-action': 'toggle-task', 'data-id': task.id, title: taskTooltip(task) },
    // The row's disclosure button holds just what names it; the rest of the row describes it.
    h(
      'button',
      {
        type: 'button',
        class: 'rz-task-item',
        'data-focus': 'task',
        'aria-expanded': String(expanded),
        'aria-controls': expanded ? ids.body : null,
        'aria-labelledby': `${ids.title} ${ids.status}`,
        'aria-describedby': ids.meta,
        tabindex: -1,
      },
      h('span', { class: 'rz-twisty', 'aria-hidden': 'true' }, expanded ? '▾' : '▸'),
      h(
        'span',
        {
          class: 'rz-status',
          id: ids.status,
          'data-status': task.status,
          role: 'img',
          'aria-label': status.label,
          title: status.label,
        },
        status.icon,
      ),
      h('span', { class: 'rz-title', id: ids.title }, task.title),
    ),
    h(
      'span',
      { class: 'rz-meta', id: ids.meta },
      task.status === 'queued' && task.waiting ? h('span', { class: 'rz-waiting' }, `waiting: ${task.waiting}`) : null,
      task.status === 'overBudget' && task.overBudget
        ? h(
            'span',
            { class: 'rz-waiting' },
            `over budget: ${task.overBudget.used.toLocaleString('en-US')} of ${task.overBudget.budget.toLocaleString('en-US')} tokens`,
          )
        : null,
      task.kept ? h('span', { class: 'rz-muted' }, 'kept') : null,
      task.model ? h('span', { class: 'rz-model' }, task.model) : null,
      task.usage && totalTokens(task.usage) ? h('span', { class: 'rz-usage' }, describeUsage(task.usage)) : null,
      h('span', { class: 'rz-elapsed' }, elapsed(task)),
    ),
    canRetry ? link('retry-task', 'Retry', 'Retry') : null,
    task.status === 'overBudget' && task.overBudget && finished
      ? link(
          'continue-task',
          `Continue with ${task.overBudget.budget.toLocaleString('en-US')} more`,
          `Continue with ${task.overBudget.budget.toLocaleString('en-US')} more:`,
          { 'data-tokens': task.overBudget.budget },
        )
      : null,
    // The accessible name starts with the visible text, so a voice command can say it.
    finished && task.filesChanged.length > 0
      ? link('undo-task', "Undo this task's changes", "Undo this task's changes:")
      : null,
  );
}

function renderBody(task: TaskView, run: RunView): HTMLElement {
  const ids = taskIds(task.id);
  const body = h('div', { class: 'rz-task-body', id: ids.body, role: 'group', 'aria-labelledby': ids.title });
  patchBody(body, task, run);
  return body;
}

/** Appends new output and new tool calls; rebuilds only the small parts that changed. */
function patchBody(body: HTMLElement, task: TaskView, run: RunView): void {
  let info = body.querySelector<HTMLElement>(':scope > .rz-task-info');
  if (!info) {
    info = h('div', { class: 'rz-task-info' });
    body.append(info);
  }
  setChildren(
    info,
    task.description ? h('div', { class: 'rz-desc' }, task.description) : null,
    task.error ? h('div', { class: task.status === 'failed' ? 'rz-error' : 'rz-muted' }, task.error) : null,
    task.result ? h('div', { class: 'rz-result' }, clip(task.result)) : null,
  );

  let output = body.querySelector<HTMLPreElement>(':scope > pre.rz-output');
  if (task.output !== '') {
    if (!output || output.dataset.epoch !== String(task.outputEpoch)) {
      const fresh = h(
        'pre',
        {
          class: 'rz-output',
          'aria-label': 'Worker output',
          tabindex: 0,
          'data-epoch': task.outputEpoch,
          'data-length': task.output.length,
        },
        task.output,
      );
      if (output) output.replaceWith(fresh);
      else info.after(fresh);
      output = fresh;
    } else {
      const shown = Number(output.dataset.length);
      if (shown < task.output.length) {
        // Follow the stream only when the reader is at its end.
        const atEnd = output.scrollTop + output.clientHeight >= output.scrollHeight - 4;
        output.append(task.output.slice(shown));
        output.dataset.length = String(task.output.length);
        if (atEnd) output.scrollTop = output.scrollHeight;
      }
    }
  }

  // Retries sit under the output they interrupted; only lines not shown yet are added.
  let retries = body.querySelector<HTMLElement>(':scope > .rz-retries');
  if (task.retries.length > 0) {
    if (!retries) {
      retries = h('div', { class: 'rz-retries', 'aria-label': 'Retries' });
      (output ?? info).after(retries);
    }
    for (const retry of task.retries.slice(retries.children.length))
      retries.append(h('div', { class: 'rz-muted rz-retry' }, describeRetry(retry)));
  }

  let calls = body.querySelector<HTMLElement>(':scope > .rz-tools');
  if (task.toolCalls.length > 0) {
    if (!calls) {
      calls = h('div', { class: 'rz-tools', role: 'list', 'aria-label': 'Tool calls' });
      (retries ?? output ?? info).after(calls);
    }
    const list = calls;
    task.toolCalls.forEach((call, i) => {
      const existing = list.children[i] as HTMLElement | undefined;
      if (!existing) list.append(renderToolCall(call));
      else if (existing.dataset.done !== String(!!call.record)) {
        const fresh = renderToolCall(call);
        (fresh.querySelector('details') as HTMLDetailsElement).open = (
          existing.querySelector('details') as HTMLDetailsElement
        ).open;
        existing.replaceWith(fresh);
      }
    });
  }

  let files = body.querySelector<HTMLElement>(':scope > .rz-files');
  if (task.filesChanged.length > 0) {
    if (!files) {
      files = h('div', { class: 'rz-files' });
      body.append(files);
    }
    setChildren(
      files,
      h('div', { class: 'rz-label' }, 'Changed files'),
      h(
        'ul',
        {},
        ...task.filesChanged.map((path) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'rz-link rz-file',
                'data-action': 'open-diff',
                'data-path': path,
                'data-run-id': run.runId,
                title: `Open the diff of ${path}`,
              },
              path,
            ),
          ),
        ),
      ),
    );
  }
}
