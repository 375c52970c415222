// Where each task of a run stands, and the plan-level rules on it: which pending tasks are
// ready, which are skipped because a dependency did not succeed, which come back for a
// retry, and the run's summary.
import type { TokenUsage } from '../model/chat';
import { addUsage, emptyUsage } from './budget';
import type { EventInit } from './task-launch';
import type { Plan, Task } from '../plan/plan';
import type { WorkerResult } from './worker';
import type { RunOutcome, RunSummary, TaskOutcome } from './events';

/** A task of a saved run that a resumed run keeps as succeeded. */
export type KeptTask = Pick<TaskOutcome, 'result' | 'usage' | 'filesChanged' | 'model' | 'attempts'> &
  Partial<Pick<TaskOutcome, 'startedAt' | 'endedAt' | 'commandsRun'>>;

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

  /** Marks a task succeeded with a saved run's outcome: it will not run again. */
  keep(id: string, kept: KeptTask): void {
    const outcome = this.get(id);
    Object.assign(outcome, {
      status: 'succeeded',
      result: kept.result,
      usage: { ...kept.usage },
      filesChanged: [...kept.filesChanged],
      commandsRun: [...(kept.commandsRun ?? [])],
      model: kept.model,
      attempts: kept.attempts,
      startedAt: kept.startedAt,
      endedAt: kept.endedAt,
    });
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

  /** Pending tasks held up by a dependency that stopped at its budget, with why: they wait, not fail. */
  heldByBudget(): Array<{ id: string; reason: string }> {
    return this.plan.tasks.flatMap((task) => {
      if (this.get(task.id).status !== 'pending') return [];
      const stopped = task.dependsOn.find((d) => this.outcomes.get(d)?.status === 'overBudget');
      return stopped ? [{ id: task.id, reason: `waiting for ${stopped}, which stopped at its token budget` }] : [];
    });
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

  /** Marks a task running; `newAttempt` false when a paused attempt goes on. */
  start(id: string, model: string, newAttempt: boolean): TaskOutcome {
    const outcome = this.get(id);
    outcome.status = 'running';
    if (newAttempt) outcome.attempts++;
    outcome.model = model;
    outcome.startedAt = Date.now();
    outcome.endedAt = undefined;
    return outcome;
  }

  /** What the task's dependencies answered, for its prompt. */
  dependencyResults(task: Task): Array<{ id: string; title: string; result: string }> {
    return task.dependsOn.map((d) => this.get(d)).map((d) => ({ id: d.id, title: d.title, result: d.result ?? '' }));
  }

  /** Takes in what a worker did; `seenCommands` of its commands were counted before it paused. */
  absorb(outcome: TaskOutcome, result: WorkerResult, seenCommands: number): void {
    outcome.filesChanged = [...new Set([...outcome.filesChanged, ...result.filesChanged])];
    outcome.commandsRun.push(...result.commandsRun.slice(seenCommands));
    outcome.result = result.result;
    outcome.error = result.error;
  }

  summary(wallMs: number): RunSummary {
    const tasks = [...this.outcomes.values()].map((t) => ({ ...t }));
    let usage: TokenUsage = emptyUsage();
    for (const t of tasks) usage = addUsage(usage, t.usage);
    return {
      outcome: runOutcome(tasks),
      tasks,
      filesChanged: [...new Set(tasks.flatMap((t) => t.filesChanged))],
      commandsRun: tasks.flatMap((t) => t.commandsRun),
      usage,
      wallMs,
    };
  }
}

/** Cancelled beats failed, which beats stopped at a budget (tasks left over or over budget). */
function runOutcome(tasks: readonly TaskOutcome[]): RunOutcome {
  if (tasks.some((t) => t.status === 'cancelled')) return 'cancelled';
  if (tasks.some((t) => t.status === 'failed' || t.status === 'skipped')) return 'failed';
  if (tasks.every((t) => t.status === 'succeeded')) return 'succeeded';
  return 'overBudget';
}

/** The event that says how a task settled (`budget`: the attempt's tokens and budget, for 'overBudget'). */
export function settledEvent(outcome: TaskOutcome, budget: { used: number; budget: number }): EventInit {
  const taskId = outcome.id;
  if (outcome.status === 'overBudget') return { type: 'task.overBudget', taskId, ...budget };
  if (outcome.status === 'succeeded') return { type: 'task.succeeded', taskId, result: outcome.result ?? '' };
  if (outcome.status === 'failed') return { type: 'task.failed', taskId, error: outcome.error ?? 'failed' };
  if (outcome.status === 'skipped') return { type: 'task.skipped', taskId, reason: outcome.result ?? '' };
  return { type: 'task.cancelled', taskId };
}

export function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0];
}
