// The budgets of one run as it goes: each task's (rozet.budget.tokensPerTask, plus what
// Continue granted it) and the run's (rozet.budget.tokensPerRun, plus what Continue
// granted), and each task's usage priced as it grows.
import type { TokenUsage } from '../model/chat';
import { addUsage, emptyUsage, priced, totalTokens, type Budgets, type Pricing } from './budget';
import type { TaskOutcome } from './events';
import type { WorkerResult } from './worker';

/** An over-budget worker, ready to go on; `commands` it had reported when it stopped. */
export interface PausedWorker {
  proceed: NonNullable<WorkerResult['proceed']>;
  commands: number;
}

export interface RunStop {
  used: number;
  budget: number;
  reason: string;
}

export class BudgetBook {
  private readonly extraPerTask = new Map<string, number>();
  private extraForRun = 0;
  private announced = -1;
  /** Each task's usage before its current attempt: the attempt's own adds to it. */
  private readonly usageBefore = new Map<string, TokenUsage>();
  private readonly paused = new Map<string, PausedWorker>();

  constructor(
    private readonly budgets: Budgets,
    private readonly pricing: Pricing,
  ) {}

  /** Tokens an attempt of this task may use; 0 = no budget. */
  taskBudget(taskId: string): number {
    return this.budgets.tokensPerTask > 0 ? this.budgets.tokensPerTask + (this.extraPerTask.get(taskId) ?? 0) : 0;
  }

  get runBudget(): number {
    return this.budgets.tokensPerRun > 0 ? this.budgets.tokensPerRun + this.extraForRun : 0;
  }

  raiseTask(taskId: string, tokens: number): void {
    this.extraPerTask.set(taskId, (this.extraPerTask.get(taskId) ?? 0) + positive(tokens));
  }

  raiseRun(tokens: number): void {
    this.extraForRun += positive(tokens);
  }

  runReached(outcomes: Iterable<TaskOutcome>): boolean {
    return this.runStop(outcomes) !== undefined;
  }

  /** Set when the run has used its budget: no further task starts. */
  runStop(outcomes: Iterable<TaskOutcome>): RunStop | undefined {
    const budget = this.runBudget;
    if (budget === 0) return undefined;
    let used = 0;
    for (const o of outcomes) used += totalTokens(o.usage);
    if (used < budget) return undefined;
    return {
      used,
      budget,
      reason: `the run reached its token budget (${used.toLocaleString('en-US')} of ${budget.toLocaleString('en-US')}, rozet.budget.tokensPerRun)`,
    };
  }

  /** True the first time a stop at this budget is seen, so it is announced once. */
  announce(): boolean {
    if (this.announced === this.runBudget) return false;
    this.announced = this.runBudget;
    return true;
  }

  startAttempt(taskId: string, usage: TokenUsage): void {
    this.usageBefore.set(taskId, { ...usage });
  }

  /** A task's usage: what it had before this attempt plus the attempt's own, priced. */
  withAttempt(taskId: string, attempt: TokenUsage, model: string): TokenUsage {
    return addUsage(this.usageBefore.get(taskId) ?? emptyUsage(), priced(attempt, model, this.pricing));
  }

  /** Tokens of the current attempt, out of the task's usage now. */
  attemptTokens(taskId: string, now: TokenUsage): number {
    return totalTokens(now) - totalTokens(this.usageBefore.get(taskId) ?? emptyUsage());
  }

  pause(taskId: string, proceed: PausedWorker['proceed'], commands: number): void {
    this.paused.set(taskId, { proceed, commands });
  }

  /** The worker to go on with instead of a fresh attempt, once (undefined: start afresh). */
  takePaused(taskId: string): PausedWorker | undefined {
    const paused = this.paused.get(taskId);
    this.paused.delete(taskId);
    return paused;
  }
}

function positive(tokens: number): number {
  if (!Number.isFinite(tokens) || tokens <= 0)
    throw new Error(`Continue needs a positive number of tokens, not ${tokens}.`);
  return Math.floor(tokens);
}
