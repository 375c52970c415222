// The task panel: the plan under review (rename/remove, Run) or the live run as a
// virtualised tree — status, model, elapsed time, and on expansion the worker's
// streaming output, each tool call (collapsed) and the changed files. This class owns
// the list, keyboard navigation and the inline rename; the rows render themselves.
import type { Changes, PlanDraft, RunView } from '../state/model';
import { editedPlan } from '../state/plan-edits';
import type { Store } from '../state/store';
import { h } from '../render/dom';
import { patchChildren, type Lost } from '../render/in-place';
import { VirtualList } from '../render/virtual-list';
import { guardItem, renderError } from '../render/ui';
import { renderPlanTask } from './plan-task';
import { elapsed, patchRunTask, renderRunTask } from './run-task';
import { renderPlanBar, renderRunBar } from './task-bar';

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
    // A list of rows, each with a disclosure button: expanded rows hold output, tool calls
    // and buttons, which no ARIA tree may contain.
    this.viewport = h('div', { class: 'rz-scroll rz-tree', role: 'list', 'aria-label': 'Tasks' });
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
        el.setAttribute('role', 'listitem');
        el.setAttribute('aria-posinset', String(index + 1));
        el.setAttribute('aria-setsize', String(count));
        const item = rowItem(el);
        if (item) item.tabIndex = index === this.focusIndex ? 0 : -1;
      },
    });
    this.viewport.addEventListener('keydown', (event) => this.onKey(event));
    this.viewport.addEventListener('focusin', (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>('[data-vkey]');
      const index = row?.dataset.vkey ? this.keys.indexOf(row.dataset.vkey) : -1;
      if (index >= 0) this.setFocusIndex(index);
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
    rowItem(this.list.element(taskId))?.focus();
  }

  /**
   * Where focus goes when the control it was on in this panel is gone: from a row, that
   * row (or the current one); from the bar, the bar's first control that is left.
   */
  focusTarget(lost: Lost): HTMLElement | null {
    const control = this.bar.querySelector<HTMLElement>('vscode-button:not([disabled]), button:not([disabled])');
    const current = rowItem(this.list.element(this.keys[this.focusIndex]));
    if (lost.row === undefined) return control ?? current;
    return rowItem(this.list.element(lost.row)) ?? current ?? control;
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
    // Drawn aside and patched in: a focused Cancel or Run stays put while the counts change.
    const next = h('div');
    if (mode.kind === 'plan')
      renderPlanBar(next, mode.plan, this.store.model.run !== null && !this.store.model.run.summary);
    else if (mode.kind === 'run') renderRunBar(next, mode.run);
    patchChildren(this.bar, Array.from(next.children));
  }

  private renderItem(key: string): HTMLElement {
    const mode = this.mode();
    if (mode.kind === 'plan') return renderPlanTask(mode.plan, key, this.renaming === key);
    if (mode.kind === 'run') return renderRunTask(mode.run, key, this.store.model.ui.expanded.includes(key));
    throw new Error('no plan or run');
  }

  private patchItem(el: HTMLElement, key: string): HTMLElement {
    const mode = this.mode();
    if (mode.kind !== 'run') return this.renderItem(key);
    return patchRunTask(el, mode.run, key, this.store.model.ui.expanded.includes(key)) ?? this.renderItem(key);
  }

  /** One row at a time is in the Tab order: the one last visited. */
  private setFocusIndex(index: number): void {
    if (index === this.focusIndex) return;
    rowItem(this.list.element(this.keys[this.focusIndex]))?.setAttribute('tabindex', '-1');
    this.focusIndex = index;
    rowItem(this.list.element(this.keys[index]))?.setAttribute('tabindex', '0');
  }

  private onKey(event: KeyboardEvent): void {
    const item = event.target as HTMLElement;
    if (!item.classList.contains('rz-task-item') || this.keys.length === 0) return;
    const key = item.closest<HTMLElement>('[data-vkey]')?.dataset.vkey ?? '';
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
        // Enter and Space are the button's own (a click); the arrows open and close as in a tree.
        if (item.hasAttribute('aria-expanded') && (event.key === 'ArrowRight') !== expanded) {
          this.store.toggleExpanded(key);
          this.list.patch(key);
          this.focusTask(key);
        }
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    this.setFocusIndex(Math.max(0, Math.min(this.keys.length - 1, next)));
    this.list.scrollToIndex(this.focusIndex);
    this.focusTask(this.keys[this.focusIndex]);
  }
}

/** The row's focus stop (rows also hold a description, actions and the expanded body). */
function rowItem(row: HTMLElement | undefined | null): HTMLElement | null {
  return row?.querySelector<HTMLElement>('.rz-task-item') ?? null;
}
