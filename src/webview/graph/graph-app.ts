// The plan graph panel: a bar (what is shown, Run / Add task / Undo edits before the run),
// the graph, and the selected task's details — its fields while the plan is under review
// (so tasks and dependencies are edited here as in the sidebar tree, through the same
// store and plan edits), its status, usage and result during and after a run.
import { describeUsage, totalTokens } from '../../core/run/budget';
import { TASK_STATUS } from '../../core/run/task-status';
import { edited } from '../state/plan-edits';
import type { Store } from '../state/store';
import { h, setChildren } from '../render/dom';
import type { Post } from '../render/ui';
import { actOnPlan } from '../views/plan-actions';
import { renderRemoveQuestion, renderTaskEditor } from '../views/task-editor';
import { GraphView, nodeLine, type GraphNode } from './graph-view';

export class GraphApp {
  private readonly bar = h('div', { class: 'rz-graph-bar', role: 'toolbar', 'aria-label': 'Plan graph actions' });
  private readonly notices = h('div', { class: 'rz-notices' });
  private readonly details = h('aside', {
    class: 'rz-graph-details',
    'aria-label': 'Selected task',
    'aria-live': 'polite',
  });
  private readonly graph: GraphView;
  private selected: string | undefined;
  private frame = 0;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
    private readonly post: Post,
  ) {
    this.graph = new GraphView(
      (id) => this.select(id),
      (id) => {
        if (!this.store.model.plan) return;
        this.selected = id;
        this.store.removePlanTask(id);
        this.flush();
      },
    );
    const empty = h(
      'p',
      { class: 'rz-empty' },
      'No plan yet. Describe a change in the Rozet sidebar and choose Plan tasks.',
    );
    setChildren(
      root,
      this.bar,
      this.notices,
      h('div', { class: 'rz-graph-main' }, this.graph.element, this.details),
      empty,
    );
    root.addEventListener('click', (event) => {
      const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
      if (target && !target.hasAttribute('disabled')) this.act(target);
    });
    window.setInterval(() => this.graph.tick(), 1000);
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  flush(force = false): void {
    if (!force && !this.store.hasChanges) return;
    this.store.takeChanges();
    const { plan, run } = this.store.model;
    const nodes: GraphNode[] = plan
      ? plan.plan.tasks.map((t) => ({
          id: t.id,
          title: t.title,
          dependsOn: t.dependsOn,
          status: 'pending',
          model: t.model,
        }))
      : run
        ? run.order.flatMap((id) => {
            const t = run.tasks.get(id);
            return t
              ? [
                  {
                    id,
                    title: t.title,
                    dependsOn: t.dependsOn,
                    status: t.status,
                    model: t.model,
                    startedAt: t.startedAt,
                    endedAt: t.endedAt,
                  },
                ]
              : [];
          })
        : [];
    if (this.selected && !nodes.some((n) => n.id === this.selected)) this.selected = undefined;
    this.renderBar();
    this.renderNotices();
    this.graph.render(nodes, this.selected);
    this.renderDetails(nodes);
    document.body.classList.toggle('rz-graph-empty', nodes.length === 0);
  }

  private select(id: string): void {
    this.selected = id;
    if (this.store.model.plan) this.store.setEditing(id);
    this.flush(true);
    this.details.querySelector<HTMLElement>('input, button, vscode-button')?.focus();
  }

  private act(target: HTMLElement): void {
    const plan = this.store.model.plan;
    switch (target.dataset.action) {
      case 'run-plan':
        if (plan) this.post({ type: 'plan.run', planId: plan.planId, plan: plan.plan });
        return;
      case 'reset-plan':
        this.store.resetPlanEdits();
        break;
      case 'remove-task':
        this.store.removePlanTask(target.dataset.id ?? '');
        break;
      case 'dismiss-notice':
        this.store.dismissNotice(Number(target.dataset.id));
        break;
      case 'add-task': {
        const id = this.store.addPlanTask();
        if (id) this.selected = id;
        break;
      }
      default:
        actOnPlan(target, { store: this.store, post: this.post, flush: () => this.flush(true) });
        if (target.dataset.action === 'cancel-edit') this.selected = undefined;
    }
    this.flush(true);
  }

  private renderBar(): void {
    const { plan, run } = this.store.model;
    const button = (action: string, label: string, extra: Record<string, string | boolean> = {}) =>
      h('vscode-button', { 'data-action': action, ...extra }, label);
    if (plan) {
      setChildren(
        this.bar,
        h('strong', {}, `Plan · ${plan.plan.tasks.length} tasks${edited(plan) ? ' (edited)' : ''}`),
        h('span', { class: 'rz-muted' }, ' · select a task to edit it; "Runs after" adds or removes its dependencies'),
        h(
          'span',
          { class: 'rz-actions' },
          button('run-plan', 'Run', { disabled: this.store.model.run !== null && !this.store.model.run.summary }),
          button('add-task', 'Add task', { secondary: true }),
          edited(plan) ? button('reset-plan', 'Undo edits', { secondary: true }) : null,
        ),
      );
    } else if (run) {
      const tasks = [...run.tasks.values()];
      const done = tasks.filter((t) => t.status === 'succeeded').length;
      setChildren(
        this.bar,
        h('strong', { role: 'status' }, run.summary ? `Run ${run.summary.outcome}` : 'Running'),
        h('span', { class: 'rz-muted' }, ` · ${done}/${tasks.length} done`),
      );
    } else setChildren(this.bar, h('strong', {}, 'Plan graph'));
  }

  private renderNotices(): void {
    setChildren(
      this.notices,
      ...this.store.model.notices
        .filter((n) => n.message)
        .map((n) =>
          h(
            'div',
            { class: 'rz-notice', 'data-level': n.level, role: n.level === 'error' ? 'alert' : 'status' },
            h('span', {}, n.message),
            h(
              'button',
              {
                type: 'button',
                class: 'rz-link',
                'data-action': 'dismiss-notice',
                'data-id': n.id,
                'aria-label': 'Dismiss',
              },
              '×',
            ),
          ),
        ),
    );
  }

  private renderDetails(nodes: GraphNode[]): void {
    const id = this.selected;
    const node = nodes.find((n) => n.id === id);
    const { plan, run } = this.store.model;
    if (!id || !node) {
      setChildren(
        this.details,
        h('p', { class: 'rz-muted' }, nodes.length ? 'Select a task (click, or Tab then Enter).' : ''),
      );
      return;
    }
    if (plan) {
      setChildren(
        this.details,
        plan.confirmRemove === id ? renderRemoveQuestion(plan.plan, id) : null,
        renderTaskEditor(plan.plan, id),
        h('vscode-button', { 'data-action': 'remove-task', 'data-id': id, secondary: true }, 'Remove task'),
      );
      return;
    }
    const task = run?.tasks.get(id);
    if (!task) return;
    setChildren(
      this.details,
      h('h2', {}, `${task.id} ${task.title}`),
      h('p', {}, `${TASK_STATUS[task.status].label} · ${nodeLine(node)}`),
      task.usage && totalTokens(task.usage) ? h('p', { class: 'rz-muted' }, describeUsage(task.usage)) : null,
      task.dependsOn.length ? h('p', { class: 'rz-muted' }, `After ${task.dependsOn.join(', ')}`) : null,
      task.error ? h('p', { class: 'rz-error' }, task.error) : null,
      task.result ? h('p', {}, task.result) : null,
    );
  }
}
