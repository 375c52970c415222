// The task panel: the plan under review (rename/remove, Run) or the live run as a
// virtualised tree — status, model, elapsed time, and on expansion the worker's
// streaming output, each tool call (collapsed) and the changed files.
import { describeRetry, type TaskStatus } from '../core/run/events';
import type { Changes, PlanDraft, RunView, Store, TaskView, ToolCallView } from './store';
import { editedPlan } from './store';
import { formatBytes, formatDuration, h, setChildren } from './dom';
import { VirtualList } from './virtual-list';
import { guardItem, renderError } from './ui';

const STATUS: Record<TaskStatus, { icon: string; label: string }> = {
  pending: { icon: '○', label: 'Pending' },
  queued: { icon: '◌', label: 'Queued' },
  running: { icon: '◐', label: 'Running' },
  succeeded: { icon: '✓', label: 'Succeeded' },
  failed: { icon: '✕', label: 'Failed' },
  skipped: { icon: '↷', label: 'Skipped' },
  cancelled: { icon: '⊘', label: 'Cancelled' },
};

/** Text shown per tool argument/result block; the rest is summarised, not dropped silently. */
const MAX_BLOCK = 500_000;

type Mode = { kind: 'empty' } | { kind: 'plan'; plan: PlanDraft } | { kind: 'run'; run: RunView };

export class TasksView {
  readonly panel: HTMLElement;
  private readonly bar: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly list: VirtualList;
  private readonly empty: HTMLElement;
  private modeKey = '';
  private keys: string[] = [];
  private focusIndex = 0;
  private renaming: string | null = null;
  private timer: number | undefined;

  constructor(private readonly store: Store) {
    this.bar = h('div', { class: 'rz-bar', role: 'toolbar', 'aria-label': 'Run actions' });
    this.viewport = h('div', { class: 'rz-scroll rz-tree', role: 'tree', 'aria-label': 'Tasks' });
    this.empty = h('p', { class: 'rz-empty' }, 'No plan yet. Describe a change in Chat and choose Plan tasks.');
    this.list = new VirtualList({
      viewport: this.viewport,
      estimate: 30,
      stickToBottom: false,
      render: (key) => guardItem(() => this.renderItem(key)),
      patch: (el, key) => {
        try {
          return this.patchItem(el, key);
        } catch (error) {
          return renderError('This task', error);
        }
      },
      place: (el, index, count) => {
        el.setAttribute('aria-posinset', String(index + 1));
        el.setAttribute('aria-setsize', String(count));
        el.tabIndex = index === this.focusIndex ? 0 : -1;
      },
    });
    this.viewport.addEventListener('keydown', (event) => this.onKey(event));
    this.viewport.addEventListener('focusin', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
      const index = item?.dataset.vkey ? this.keys.indexOf(item.dataset.vkey) : -1;
      if (index >= 0) this.focusIndex = index;
    });
    this.panel = h(
      'div',
      { class: 'rz-panel rz-tasks', id: 'rz-panel-tasks', role: 'tabpanel', 'aria-labelledby': 'rz-tab-tasks' },
      this.bar,
      this.empty,
      this.viewport,
    );
  }

  private mode(): Mode {
    const { plan, run } = this.store.model;
    if (plan) return { kind: 'plan', plan };
    if (run) return { kind: 'run', run };
    return { kind: 'empty' };
  }

  update(changes: Changes): void {
    const mode = this.mode();
    const modeKey =
      mode.kind === 'plan' ? `plan:${mode.plan.planId}` : mode.kind === 'run' ? `run:${mode.run.runId}` : '';
    const reset = changes.all || modeKey !== this.modeKey;
    this.modeKey = modeKey;
    if (reset || changes.plan || changes.run) this.renderBar(mode);
    if (reset || changes.plan) {
      const keys =
        mode.kind === 'plan' ? editedPlan(mode.plan).tasks.map((t) => t.id) : mode.kind === 'run' ? mode.run.order : [];
      this.keys = keys;
      this.focusIndex = Math.min(this.focusIndex, Math.max(0, keys.length - 1));
      this.list.setKeys(keys, reset);
      if (!reset) this.list.remount();
    }
    for (const id of changes.patchedTasks) this.list.patch(id);
    this.list.layout();
    this.empty.hidden = mode.kind !== 'empty';
    this.viewport.hidden = mode.kind === 'empty';
    this.tick(mode);
  }

  relayout(): void {
    this.list.layout();
  }

  get mountedCount(): number {
    return this.list.mountedCount;
  }

  startRename(taskId: string): void {
    this.renaming = taskId;
    this.list.patch(taskId);
    const input = this.list.element(taskId)?.querySelector<HTMLInputElement>('input.rz-rename');
    input?.focus();
    input?.select();
  }

  /**
   * Ends an inline rename (`commit` false is Escape) and returns the task renamed, or
   * null when none was in progress — the input's own blur on removal lands here too.
   */
  finishRename(input: HTMLInputElement, commit: boolean): string | null {
    const taskId = this.renaming;
    if (taskId === null) return null;
    this.renaming = null;
    if (commit) this.store.renamePlanTask(taskId, input.value);
    this.list.patch(taskId);
    return taskId;
  }

  focusTask(taskId: string): void {
    this.list.element(taskId)?.focus();
  }

  // Elapsed time of running tasks ticks once a second, touching only visible rows.
  private tick(mode: Mode): void {
    const running =
      mode.kind === 'run' && !mode.run.summary && [...mode.run.tasks.values()].some((t) => t.status === 'running');
    if (running && this.timer === undefined) {
      this.timer = window.setInterval(() => {
        const run = this.store.model.run;
        for (const el of this.viewport.querySelectorAll<HTMLElement>('.rz-task[data-running] .rz-elapsed')) {
          const task = run?.tasks.get(el.closest<HTMLElement>('.rz-task')?.dataset.vkey ?? '');
          if (task) el.textContent = elapsed(task);
        }
      }, 1000);
    } else if (!running && this.timer !== undefined) {
      window.clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private renderBar(mode: Mode): void {
    if (mode.kind === 'empty') {
      setChildren(this.bar);
      return;
    }
    if (mode.kind === 'plan') {
      const { plan } = mode;
      const kept = editedPlan(plan).tasks.length;
      const total = plan.result.plan.tasks.length;
      const edited = plan.removed.length > 0 || Object.keys(plan.renamed).length > 0;
      const runActive = this.store.model.run !== null && !this.store.model.run.summary;
      const source =
        plan.result.source === 'fallback'
          ? `Fallback plan${plan.result.reason ? `: ${plan.result.reason}` : ''}`
          : 'Planned by the model';
      setChildren(
        this.bar,
        h(
          'div',
          { class: 'rz-bar-text' },
          h('strong', {}, `Plan · ${kept} task${kept === 1 ? '' : 's'}`),
          kept < total ? ` (${total - kept} removed)` : '',
          h('span', { class: 'rz-muted' }, ` · ${source}`),
          ...plan.result.notes.map((note) => h('div', { class: 'rz-muted rz-note' }, note)),
        ),
        h(
          'div',
          { class: 'rz-actions' },
          h(
            'vscode-button',
            {
              'data-action': 'run-plan',
              disabled: kept === 0 || runActive,
              title: runActive ? 'A run is in progress' : 'Run this plan',
            },
            'Run',
          ),
          edited ? h('vscode-button', { 'data-action': 'reset-plan', secondary: true }, 'Undo edits') : null,
        ),
      );
      return;
    }
    const { run } = mode;
    const tasks = [...run.tasks.values()];
    const count = (status: TaskStatus): number => tasks.filter((t) => t.status === status).length;
    const done = count('succeeded');
    const failed = count('failed');
    const summary = run.summary;
    const headline = summary
      ? `${summary.outcome === 'succeeded' ? 'Succeeded' : summary.outcome === 'failed' ? 'Failed' : 'Cancelled'} in ${formatDuration(summary.wallMs)}`
      : 'Running';
    setChildren(
      this.bar,
      h(
        'div',
        { class: 'rz-bar-text', role: 'status' },
        h('strong', {}, headline),
        h(
          'span',
          { class: 'rz-muted' },
          ` · ${done}/${tasks.length} done${failed ? ` · ${failed} failed` : ''}${count('running') ? ` · ${count('running')} running` : ''}`,
        ),
        summary && summary.filesChanged.length > 0
          ? h(
              'span',
              { class: 'rz-muted' },
              ` · ${summary.filesChanged.length} file${summary.filesChanged.length === 1 ? '' : 's'} changed`,
            )
          : null,
      ),
      h(
        'div',
        { class: 'rz-actions' },
        summary ? null : h('vscode-button', { 'data-action': 'cancel-run', secondary: true }, 'Cancel'),
        summary && summary.filesChanged.length > 0
          ? h(
              'vscode-button',
              { 'data-action': 'undo-run', secondary: true, title: 'Revert every edit of this run' },
              'Undo run',
            )
          : null,
      ),
    );
  }

  private renderItem(key: string): HTMLElement {
    const mode = this.mode();
    if (mode.kind === 'plan') return this.renderPlanTask(mode.plan, key);
    if (mode.kind === 'run') return this.renderRunTask(mode.run, key);
    throw new Error('no plan or run');
  }

  private patchItem(el: HTMLElement, key: string): HTMLElement {
    const mode = this.mode();
    if (mode.kind !== 'run') return this.renderItem(key);
    const task = mode.run.tasks.get(key);
    if (!task) throw new Error(`task ${key} is missing`);
    const expanded = this.store.model.ui.expanded.includes(key);
    const head = el.querySelector(':scope > .rz-task-head');
    if (!head) return this.renderItem(key);
    head.replaceWith(this.renderHead(task, expanded, mode.run));
    el.setAttribute('aria-expanded', String(expanded));
    el.dataset.status = task.status;
    el.setAttribute('aria-label', `${task.title}, ${STATUS[task.status].label}`);
    el.toggleAttribute('data-running', task.status === 'running');
    const body = el.querySelector<HTMLElement>(':scope > .rz-task-body');
    if (!expanded) body?.remove();
    else if (!body) el.append(this.renderBody(task, mode.run));
    else this.patchBody(body, task, mode.run);
    return el;
  }

  private renderPlanTask(plan: PlanDraft, key: string): HTMLElement {
    const task = plan.result.plan.tasks.find((t) => t.id === key);
    if (!task) throw new Error(`task ${key} is missing`);
    const title = plan.renamed[key] ?? task.title;
    const removed = new Set(plan.removed);
    const deps = task.dependsOn.filter((d) => !removed.has(d));
    const titleEl =
      this.renaming === key
        ? h('input', {
            class: 'rz-rename',
            type: 'text',
            value: title,
            'aria-label': `New title for ${title}`,
            'data-task-id': key,
          })
        : h('span', { class: 'rz-title' }, title);
    return h(
      'div',
      { class: 'rz-task rz-plan-task', role: 'treeitem', 'aria-level': 1, 'aria-label': title },
      h(
        'div',
        { class: 'rz-task-head' },
        h(
          'span',
          { class: 'rz-status', 'data-status': 'pending', role: 'img', 'aria-label': 'Planned' },
          STATUS.pending.icon,
        ),
        titleEl,
        h(
          'span',
          { class: 'rz-meta' },
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
      task.description ? h('div', { class: 'rz-desc' }, task.description) : null,
    );
  }

  private renderRunTask(run: RunView, key: string): HTMLElement {
    const task = run.tasks.get(key);
    if (!task) throw new Error(`task ${key} is missing`);
    const expanded = this.store.model.ui.expanded.includes(key);
    return h(
      'div',
      {
        class: 'rz-task',
        role: 'treeitem',
        'aria-level': 1,
        'aria-expanded': String(expanded),
        'aria-label': `${task.title}, ${STATUS[task.status].label}`,
        'data-status': task.status,
        'data-running': task.status === 'running',
      },
      this.renderHead(task, expanded, run),
      expanded ? this.renderBody(task, run) : null,
    );
  }

  private renderHead(task: TaskView, expanded: boolean, run: RunView): HTMLElement {
    const status = STATUS[task.status];
    const canRetry = (task.status === 'failed' || task.status === 'cancelled') && !!run.summary;
    return h(
      'div',
      { class: 'rz-task-head', 'data-action': 'toggle-task', 'data-id': task.id },
      h('span', { class: 'rz-twisty', 'aria-hidden': 'true' }, expanded ? '▾' : '▸'),
      h(
        'span',
        {
          class: 'rz-status',
          'data-status': task.status,
          role: 'img',
          'aria-label': status.label,
          title: status.label,
        },
        status.icon,
      ),
      h('span', { class: 'rz-title' }, task.title),
      h(
        'span',
        { class: 'rz-meta' },
        task.model ? h('span', { class: 'rz-model' }, task.model) : null,
        h('span', { class: 'rz-elapsed' }, elapsed(task)),
      ),
      canRetry
        ? h(
            'button',
            {
              type: 'button',
              class: 'rz-link',
              'data-action': 'retry-task',
              'data-id': task.id,
              'aria-label': `Retry ${task.title}`,
            },
            'Retry',
          )
        : null,
    );
  }

  private renderBody(task: TaskView, run: RunView): HTMLElement {
    const body = h('div', { class: 'rz-task-body', role: 'group' });
    this.patchBody(body, task, run);
    return body;
  }

  /** Appends new output and new tool calls; rebuilds only the small parts that changed. */
  private patchBody(body: HTMLElement, task: TaskView, run: RunView): void {
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
                  'data-task-id': task.id,
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

  private onKey(event: KeyboardEvent): void {
    const item = event.target as HTMLElement;
    if (item.getAttribute('role') !== 'treeitem' || this.keys.length === 0) return;
    const key = item.dataset.vkey ?? '';
    const expanded = item.getAttribute('aria-expanded') === 'true';
    let next = this.focusIndex;
    switch (event.key) {
      case 'ArrowDown':
        next++;
        break;
      case 'ArrowUp':
        next--;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = this.keys.length - 1;
        break;
      case 'ArrowRight':
      case 'ArrowLeft':
      case 'Enter':
      case ' ':
        if (
          item.hasAttribute('aria-expanded') &&
          (event.key === 'ArrowRight' ? !expanded : event.key === 'ArrowLeft' ? expanded : true)
        ) {
          this.store.toggleExpanded(key);
          this.list.patch(key);
          this.list.element(key)?.focus();
        }
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.focusIndex = Math.max(0, Math.min(this.keys.length - 1, next));
    this.list.scrollToIndex(this.focusIndex);
    this.list.element(this.keys[this.focusIndex])?.focus();
  }
}

function elapsed(task: TaskView): string {
  if (task.startedAt === undefined) return '';
  return formatDuration((task.endedAt ?? Date.now()) - task.startedAt);
}

function clip(text: string): string {
  return text.length > MAX_BLOCK
    ? `${text.slice(0, MAX_BLOCK)}\n… ${formatBytes(text.length - MAX_BLOCK)} more not shown`
    : text;
}

function formatArgs(args: unknown): string {
  if (typeof args === 'string') return args;
  try {
    return JSON.stringify(args, null, 2) ?? String(args);
  } catch {
    return String(args);
  }
}

function argsPreview(call: ToolCallView): string {
  const args = call.args;
  if (typeof args === 'object' && args !== null) {
    const a = args as Record<string, unknown>;
    const first = a.command ?? a.path;
    if (typeof first === 'string') return first.length > 80 ? `${first.slice(0, 80)}…` : first;
  }
  return '';
}

function renderToolCall(call: ToolCallView): HTMLElement {
  const record = call.record;
  const state = !record ? 'running' : record.ok ? 'ok' : 'error';
  return h(
    'div',
    { class: 'rz-tool', role: 'listitem', 'data-done': String(!!record), 'data-state': state },
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h(
          'span',
          {
            class: 'rz-tool-state',
            role: 'img',
            'aria-label': state === 'running' ? 'running' : state === 'ok' ? 'succeeded' : 'failed',
          },
          state === 'running' ? '…' : state === 'ok' ? '✓' : '✕',
        ),
        h('span', { class: 'rz-tool-name' }, call.name),
        h('span', { class: 'rz-tool-preview' }, argsPreview(call)),
        record
          ? h(
              'span',
              { class: 'rz-muted' },
              `${formatDuration(record.durationMs)} · ${formatBytes(record.resultBytes)}`,
            )
          : null,
      ),
      h('div', { class: 'rz-label' }, 'Arguments'),
      h('pre', { class: 'rz-block', tabindex: 0 }, clip(formatArgs(call.args))),
      record ? h('div', { class: 'rz-label' }, record.ok ? 'Result' : 'Error') : null,
      record ? h('pre', { class: 'rz-block', tabindex: 0 }, clip(record.summary)) : null,
    ),
  );
}
