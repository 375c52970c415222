// Where each task of a run stands, and the plan-level rules on it: which pending tasks are
// ready, which are skipped because a dependency did not succeed, which come back for a
// retry, and the run's summary.
import type { TokenUsage } from '../model/chat';
import type { Plan } from '../plan/plan';
import type { RunSummary, TaskOutcome } from './events';

export class TaskBook {
  readonly outcomes = new Map<string, TaskOutcome>();

  constructor(private readonly plan: Plan) {
    for (const task of plan.tasks) {
      this.outcomes.set(task.id, {
        id: task.id,
        title: task.title,
        status: 'pending',
        filesChanged: [],
        commandsRun: [],
        toolCalls: [],
        usage: { promptTokens: 0, completionTokens: 0 },
        attempts: 0,
      });
    }
  }

  get(id: string): TaskOutcome {
    const outcome = this.outcomes.get(id);
    if (!outcome) throw new Error(`There is no task "${id}" in this plan.`);
    return outcome;
  }

  /** Pending tasks whose dependency failed, was skipped or cancelled, with the reason. */
  blocked(): Array<{ outcome: TaskOutcome; reason: string }> {
    const out: Array<{ outcome: TaskOutcome; reason: string }> = [];
    for (const task of this.plan.tasks) {
      const o = this.get(task.id);
      if (o.status !== 'pending') continue;
      const blocker = task.dependsOn
        .map((d) => this.outcomes.get(d))
        .find((d) => d && (d.status === 'failed' || d.status === 'skipped' || d.status === 'cancelled'));
      if (!blocker) continue;
      const why = blocker.status === 'failed' ? `failed: ${firstLine(blocker.error)}` : `was ${blocker.status}`;
      out.push({ outcome: o, reason: `Skipped because dependency ${blocker.id} (${blocker.title}) ${why}` });
    }
    return out;
  }

  /** Pending tasks whose dependencies all succeeded. */
  ready(): TaskOutcome[] {
    return this.plan.tasks
      .filter((t) => this.get(t.id).status === 'pending')
      .filter((t) => t.dependsOn.every((d) => this.outcomes.get(d)?.status === 'succeeded'))
      .map((t) => this.get(t.id));
  }

  /** Makes a failed or cancelled task pending again, with the dependents it caused to be skipped or cancelled. */
  resetForRetry(id: string): void {
    const outcome = this.get(id);
    if (outcome.status !== 'failed' && outcome.status !== 'cancelled')
      throw new Error(`Task ${id} is ${outcome.status}; only failed or cancelled tasks can be retried.`);
    const reset = new Set([id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const task of this.plan.tasks) {
        const status = this.get(task.id).status;
        if (reset.has(task.id) || (status !== 'skipped' && status !== 'cancelled')) continue;
        if (!task.dependsOn.some((d) => reset.has(d))) continue;
        reset.add(task.id);
        grew = true;
      }
    }
    for (const taskId of reset) {
      const o = this.get(taskId);
      o.status = 'pending';
      o.result = undefined;
      o.error = undefined;
    }
  }

  summary(wallMs: number): RunSummary {
    const tasks = [...this.outcomes.values()].map((t) => ({ ...t }));
    const usage: TokenUsage = { promptTokens: 0, completionTokens: 0 };
    for (const t of tasks) {
      usage.promptTokens += t.usage.promptTokens;
      usage.completionTokens += t.usage.completionTokens;
    }
    const outcome = tasks.some((t) => t.status === 'cancelled')
      ? 'cancelled'
      : tasks.every((t) => t.status === 'succeeded')
        ? 'succeeded'
        : 'failed';
    return {
      outcome,
      tasks,
      filesChanged: [...new Set(tasks.flatMap((t) => t.filesChanged))],
      commandsRun: tasks.flatMap((t) => t.commandsRun),
      usage,
      wallMs,
    };
  }
}

export function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0];
}
