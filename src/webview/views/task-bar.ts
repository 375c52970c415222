// The bar above the task tree: for a plan under review, its size, source and notes with
// Run / Undo edits; for a run, its progress or outcome with Cancel / Undo run.
import { describeEndpoint } from '../../core/model/endpoint-status';
import type { TaskStatus } from '../../core/run/events';
import type { PlanDraft, RunView } from '../state/model';
import { edited, editedPlan } from '../state/plan-edits';
import { addUsage, describeUsage, emptyUsage, totalTokens } from '../../core/run/budget';
import type { RunOutcome } from '../../core/run/events';

const OUTCOME: Record<RunOutcome, string> = {
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  overBudget: 'Stopped at a token budget',
};
import { formatDuration, h, setChildren } from '../render/dom';

export function renderPlanBar(bar: HTMLElement, plan: PlanDraft, runActive: boolean): void {
  const kept = editedPlan(plan).tasks.length;
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
      edited(plan) ? ' (edited)' : '',
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
      h('vscode-button', { 'data-action': 'add-task', secondary: true, title: 'Add a task to the plan' }, 'Add task'),
      graphButton(),
      edited(plan) ? h('vscode-button', { 'data-action': 'reset-plan', secondary: true }, 'Undo edits') : null,
    ),
  );
}

function graphButton(): HTMLElement {
  return h(
    'vscode-button',
    {
      'data-action': 'open-graph',
      secondary: true,
      title: 'Open the plan as a graph in an editor tab (Rozet: Open Plan Graph)',
    },
    'Graph',
  );
}

/** Tokens (and cost) of the whole run so far. */
function runUsage(run: RunView): string {
  let usage = emptyUsage();
  for (const task of run.tasks.values()) if (task.usage) usage = addUsage(usage, task.usage);
  return totalTokens(usage) ? ` · ${describeUsage(usage)}` : '';
}

export function renderRunBar(bar: HTMLElement, run: RunView): void {
  const tasks = [...run.tasks.values()];
  const count = (status: TaskStatus): number => tasks.filter((t) => t.status === status).length;
  const done = count('succeeded');
  const failed = count('failed');
  const summary = run.summary;
  const headline = summary ? `${OUTCOME[summary.outcome]} in ${formatDuration(summary.wallMs)}` : 'Running';
  const resumable = summary !== undefined && summary.outcome !== 'succeeded';
  setChildren(
    bar,
    h(
      'div',
      { class: 'rz-bar-text' },
      h('strong', {}, headline),
      h(
        'span',
        { class: 'rz-muted' },
        ` · ${done}/${tasks.length} done${failed ? ` · ${failed} failed` : ''}${count('running') ? ` · ${count('running')} running` : ''}${runUsage(run)}`,
      ),
      run.overBudget
        ? h(
            'div',
            { class: 'rz-muted rz-note' },
            `Stopped starting tasks at the run's token budget (${run.overBudget.used.toLocaleString('en-US')} of ${run.overBudget.budget.toLocaleString('en-US')}).`,
          )
        : null,
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
      summary && run.overBudget
        ? h(
            'vscode-button',
            {
              'data-action': 'continue-run',
              'data-tokens': run.overBudget.budget,
              title: 'Raise the run budget and start the remaining tasks',
            },
            `Continue with ${run.overBudget.budget.toLocaleString('en-US')} more`,
          )
        : null,
      resumable && !run.overBudget
        ? h(
            'vscode-button',
            {
              'data-action': 'resume-run',
              title: 'Go on where the run stopped: finished tasks are kept, the others run again',
            },
            'Resume',
          )
        : null,
      graphButton(),
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
