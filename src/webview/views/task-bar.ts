// The bar above the task tree: for a plan under review, its size, source and notes with
// Run / Undo edits; for a run, its progress or outcome with Cancel / Undo run.
import { describeEndpoint } from '../../core/model/endpoint-status';
import type { TaskStatus } from '../../core/run/events';
import type { PlanDraft, RunView } from '../state/model';
import { edited, editedPlan } from '../state/plan-edits';
import { formatDuration, h, setChildren } from '../render/dom';

export function renderPlanBar(bar: HTMLElement, plan: PlanDraft, runActive: boolean): void {
  const kept = editedPlan(plan).tasks.length;
  const total = plan.result.plan.tasks.length;
  const source =
    plan.result.source === 'fallback'
      ? `Fallback plan${plan.result.reason ? `: ${plan.result.reason}` : ''}`
      : 'Planned by the model';
  setChildren(
    bar,
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
      edited(plan) ? h('vscode-button', { 'data-action': 'reset-plan', secondary: true }, 'Undo edits') : null,
    ),
  );
}

export function renderRunBar(bar: HTMLElement, run: RunView): void {
  const tasks = [...run.tasks.values()];
  const count = (status: TaskStatus): number => tasks.filter((t) => t.status === status).length;
  const done = count('succeeded');
  const failed = count('failed');
  const summary = run.summary;
  const headline = summary
    ? `${summary.outcome === 'succeeded' ? 'Succeeded' : summary.outcome === 'failed' ? 'Failed' : 'Cancelled'} in ${formatDuration(summary.wallMs)}`
    : 'Running';
  setChildren(
    bar,
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
      // While the run goes: requests in flight and the slots found, per model endpoint.
      ...(summary ? [] : (run.capacity ?? [])).map((endpoint) =>
        h('div', { class: 'rz-muted rz-capacity', 'data-endpoint': endpoint.url }, describeEndpoint(endpoint)),
      ),
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
