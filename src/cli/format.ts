// Text shared by the printers and commands: plans, durations, tool calls, summaries.
import { describeUsage, totalTokens } from '../core/run/budget';
import { TASK_STATUS } from '../core/run/task-status';
import type { RunSummary } from '../core/run/events';
import type { Plan, PlanResult } from '../core/plan/plan';

export function duration(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, '0')} s`;
}

/** How deep each task sits in the dependency tree (roots 0), for indenting. */
export function depths(plan: Plan): Map<string, number> {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const out = new Map<string, number>();
  const depth = (id: string): number => {
    const known = out.get(id);
    if (known !== undefined) return known;
    // Plans are validated acyclic; the guard keeps a bad one from recursing for ever.
    out.set(id, 0);
    const deps = byId.get(id)?.dependsOn ?? [];
    const d = deps.length ? 1 + Math.max(...deps.map(depth)) : 0;
    out.set(id, d);
    return d;
  };
  plan.tasks.forEach((t) => depth(t.id));
  return out;
}

export function planLines(result: PlanResult): string[] {
  const d = depths(result.plan);
  const lines = [
    `Plan (${result.source === 'llm' ? 'from the planner model' : 'fallback: made without the model'}), ${result.plan.tasks.length} task${result.plan.tasks.length === 1 ? '' : 's'}:`,
  ];
  for (const task of result.plan.tasks) {
    const after = task.dependsOn.length ? `  after ${task.dependsOn.join(', ')}` : '';
    const files = task.files.length ? `  [${task.files.join(', ')}]` : '';
    const model = task.model ? `  (model ${task.model})` : '';
    // One line per task, whatever line breaks a model put in a title.
    lines.push(`${'  '.repeat((d.get(task.id) ?? 0) + 1)}${task.id}  ${oneLine(task.title)}${files}${after}${model}`);
  }
  return lines;
}

/** `write_file hello.py`, `execute_bash npm test`: what a tool call is about, on one line. */
export function describeCall(name: string, args: unknown): string {
  const a = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>;
  const subject = typeof a.command === 'string' ? a.command : typeof a.path === 'string' ? a.path : '';
  return oneLine(`${name}${subject ? ` ${subject}` : ''}`);
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function summaryLines(summary: RunSummary): string[] {
  const count = (status: string) => summary.tasks.filter((t) => t.status === status).length;
  const parts = [`${count('succeeded')} succeeded`];
  for (const status of ['failed', 'skipped', 'cancelled', 'overBudget', 'pending'] as const)
    if (count(status)) parts.push(`${count(status)} ${TASK_STATUS[status].label.toLowerCase()}`);
  const tokens = totalTokens(summary.usage);
  const verdict = {
    succeeded: 'Done',
    failed: 'Finished with failures',
    cancelled: 'Cancelled',
    overBudget: 'Stopped at a token budget',
  }[summary.outcome];
  const lines = [
    `${verdict}: ${parts.join(', ')} of ${summary.tasks.length} in ${duration(summary.wallMs)}${tokens ? ` · ${describeUsage(summary.usage)}` : ''}.`,
  ];
  if (summary.filesChanged.length) lines.push(`Files changed: ${summary.filesChanged.join(', ')}`);
  for (const task of summary.tasks) {
    if (task.status === 'failed')
      lines.push(`  ${task.id} ${oneLine(task.title)} failed: ${oneLine(task.error ?? 'unknown error')}`);
    if (task.status === 'skipped')
      lines.push(`  ${task.id} ${oneLine(task.title)} skipped: ${oneLine(task.result ?? '')}`);
    if (task.status === 'overBudget')
      lines.push(`  ${task.id} ${oneLine(task.title)} stopped at its token budget (${describeUsage(task.usage)})`);
  }
  if (summary.outcome !== 'succeeded')
    lines.push('`rozet resume` goes on from here (succeeded tasks are kept); `rozet runs` lists saved runs.');
  return lines;
}
