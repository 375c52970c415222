// Runs a validated Plan: every task whose dependencies succeeded starts, up to
// `maxParallelWorkers` at once and never more per model than its endpoints take (a model
// with a gate: the pool's capacity, found or configured; otherwise the provider's
// `parallelSlots`). Tasks whose declared `files` overlap never run at the same time (a
// lease per task on its declared files); every write takes its path's lock (FileLocks)
// and is checked against who owns the file (FileOwnership). A queued task that cannot
// start says why (task.waiting). A failed task skips its dependents with the reason;
// independent branches go on. Used by the extension and the CLI alike: it knows no UI.
//
//   const c = new Coordinator({ plan, resolveModel, workspace, shell, approver,
//     policy: { bashApproval, allowlist, writeApproval }, limits: { maxParallelWorkers, … },
//     onEvent });
//   const summary = await c.run(signal);   // plan.started … plan.finished, then resolves
//   c.cancel();                            // every worker stops within 1 s; run resolves 'cancelled'
//   await c.retryTask('t2');               // reruns a failed/cancelled task and the tasks it skipped
//   await c.continueTask('t3', 20000);     // an over-budget task goes on with 20,000 more tokens
//
// A task at its token budget stops between steps ('overBudget'), its dependents wait; at the
// run's budget no task starts (continueRun). `resume`: saved successes kept, the rest run.
// `run` never rejects for a task's failure: failures are outcomes in the summary.
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import { isAbortError, type ChatModel, type TokenUsage } from '../model/chat';
import type { Plan, PlanSource, Task } from '../plan/plan';
import { RunWrites } from '../tools/redirects';
import type { ToolContext, ToolPolicy } from '../tools/tools';
import type { WriteListener } from '../workspace/recording-workspace';
import type { Approver, Shell, Workspace } from '../workspace/workspace';
import { errorMessage } from '../text/error-message';
import { BudgetBook } from './budget-book';
import { EventHub } from './event-hub';
import type { RunEventListener, TaskStatus, RunSummary, TaskOutcome } from './events';
import { FileLeases, FileLocks, leaseKey, lockKeyOf } from './file-locks';
import { FileOwnership } from './file-ownership';
import { ModelSlots } from './model-slots';
import { settledEvent, TaskBook, type KeptTask } from './task-book';
import { DEFAULT_LIMITS, launchTask, type EventInit, type RunLimits, type RunShared } from './task-launch';

export { DEFAULT_LIMITS, type RunLimits } from './task-launch';

export interface CoordinatorOptions {
  plan: Plan;
  /** The worker model of a task (its own `model`, else rozet.worker.model). May throw: the task then fails with the message. */
  resolveModel: (task: Task) => ChatModel;
  workspace: Workspace;
  shell: Shell;
  approver: Approver;
  policy: ToolPolicy;
  limits?: Partial<RunLimits>;
  onEvent?: RunEventListener;
  runId?: string;
  /** Where the plan came from, passed on in plan.started. */
  planSource?: PlanSource;
  /** Why a fallback plan was made, and the planner's notes, passed on in plan.started. */
  planReason?: string;
  planNotes?: readonly string[];
  /** Condense long worker histories with the task's model ('model', default) or deterministically ('digest'). */
  summaries?: 'model' | 'digest';
  /** Tasks of a saved run that stay succeeded: they are not run again. */
  resume?: ReadonlyMap<string, KeptTask>;
  /** Every file a task writes, with its text before and after. */
  onWrite?: WriteListener;
  /** search_files / find_files and MCP tools, where the host has them. */
  extraTools?: Pick<ToolContext, 'search' | 'external'>;
}

interface Slot {
  model: ChatModel;
  controller: AbortController;
}

export class Coordinator {
  readonly runId: string;
  private readonly limits: RunLimits;
  private readonly hub: EventHub;
  private readonly book: TaskBook;
  private readonly running = new Map<string, Slot>();
  private readonly waiting = new Map<string, string>();
  private readonly leases = new FileLeases();
  private readonly slots: ModelSlots;
  private readonly shared: RunShared;
  private readonly budgets: BudgetBook;
  private controller: AbortController | undefined;
  private pumpNow: (() => void) | undefined;
  private wallMs = 0;
  private settledCount = 0;

  constructor(private readonly options: CoordinatorOptions) {
    this.runId = options.runId ?? randomUUID();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.hub = new EventHub(this.runId);
    if (options.onEvent) this.hub.on(options.onEvent);
    this.book = new TaskBook(options.plan);
    for (const [id, kept] of options.resume ?? []) this.book.keep(id, kept);
    this.budgets = new BudgetBook(this.limits.budgets, this.limits.pricing);
    this.slots = new ModelSlots(
      options.resolveModel,
      (endpoints) => this.emit({ type: 'capacity', endpoints }),
      () => this.pumpNow?.(),
    );
    const ownership = new FileOwnership({
      plan: options.plan,
      keyOf: (path) => lockKeyOf(options.workspace, path),
      phaseOf: (id) => {
        const status = this.book.outcomes.get(id)?.status;
        return status === 'running' ? 'running' : status === 'pending' || status === 'queued' ? 'waiting' : 'done';
      },
    });
    this.shared = {
      workspace: options.workspace,
      shell: options.shell,
      approver: options.approver,
      policy: options.policy,
      locks: new FileLocks(),
      ownership,
      sessionAllowlist: [],
      runWrites: new RunWrites(),
      limits: this.limits,
      summaries: options.summaries ?? 'model',
      extraTools: options.extraTools,
      emit: (event) => this.emit(event),
      onWrite: options.onWrite,
    };
  }

  /** Subscribes to the event stream; returns the unsubscribe function. */
  on(listener: RunEventListener): () => void {
    return this.hub.on(listener);
  }

  get tasks(): readonly TaskOutcome[] {
    return [...this.book.outcomes.values()];
  }

  get isRunning(): boolean {
    return this.controller !== undefined;
  }

  async run(signal?: AbortSignal): Promise<RunSummary> {
    if (this.controller) throw new Error('This run is already in progress.');
    const { planReason: reason, planNotes: notes } = this.options;
    this.emit({
      type: 'plan.started',
      plan: this.options.plan,
      source: this.options.planSource,
      ...(reason ? { reason } : {}),
      ...(notes?.length ? { notes: [...notes] } : {}),
    });
    for (const outcome of this.book.outcomes.values()) {
      if (outcome.status !== 'succeeded') continue;
      this.emit({ type: 'task.usage', taskId: outcome.id, usage: outcome.usage });
      this.emit({ type: 'task.succeeded', taskId: outcome.id, result: outcome.result ?? '', kept: true });
    }
    return this.execute(signal);
  }

  /** Stops every worker (model calls, commands, lock waits); `run` resolves with outcome 'cancelled'. */
  cancel(): void {
    this.controller?.abort();
  }

  /** Runs a failed or cancelled task again, with the dependents it caused to be skipped or cancelled. */
  async retryTask(id: string, signal?: AbortSignal): Promise<RunSummary> {
    if (this.controller) throw new Error('Wait for the run to finish (or cancel it) before retrying a task.');
    this.book.resetForRetry(id);
    return this.execute(signal);
  }

  /** Lets an over-budget task go on from where it stopped, with `tokens` more; runs until settled again. */
  async continueTask(id: string, tokens: number, signal?: AbortSignal): Promise<RunSummary> {
    if (this.controller) throw new Error('Wait for the run to finish (or cancel it) before continuing a task.');
    const outcome = this.book.get(id);
    if (outcome.status !== 'overBudget') throw new Error(`Task ${id} is ${outcome.status}, not over its budget.`);
    this.budgets.raiseTask(id, tokens);
    // A run that also reached its own budget would start nothing: the same tokens go to it.
    if (this.budgets.runReached(this.book.outcomes.values())) this.budgets.raiseRun(tokens);
    outcome.status = 'pending';
    return this.execute(signal);
  }

  /** Lets a run stopped at rozet.budget.tokensPerRun start tasks again, with `tokens` more. */
  async continueRun(tokens: number, signal?: AbortSignal): Promise<RunSummary> {
    if (this.controller) throw new Error('Wait for the run to finish (or cancel it) before continuing it.');
    this.budgets.raiseRun(tokens);
    return this.execute(signal);
  }

  summary(): RunSummary {
    return this.book.summary(this.wallMs);
  }

  private execute(signal?: AbortSignal): Promise<RunSummary> {
    const controller = new AbortController();
    // One abort listener per running task (a finished task's until its `finally`, when the
    // next may already have started) plus the run's own: past Node's default of 10 at
    // maxParallelWorkers ≥ 5, by design and no leak, so no MaxListenersExceededWarning.
    setMaxListeners(Math.max(10, 2 * this.limits.maxParallelWorkers + 2), controller.signal);
    this.controller = controller;
    const started = performance.now();
    const onAbort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    return new Promise<RunSummary>((resolve) => {
      let finished = false;
      let grace: NodeJS.Timeout | undefined;
      const finish = () => {
        if (finished) return;
        finished = true;
        if (grace) clearTimeout(grace);
        signal?.removeEventListener('abort', onAbort);
        controller.signal.removeEventListener('abort', onCancel);
        this.slots.unwatch();
        this.pumpNow = undefined;
        this.controller = undefined;
        this.wallMs += performance.now() - started;
        // Left unstarted at the run's budget: pending again, for Continue.
        for (const o of this.book.outcomes.values()) if (o.status === 'queued') o.status = 'pending';
        for (const { id, reason } of this.book.heldByBudget()) this.setWaiting(id, reason);
        const summary = this.summary();
        this.emit({ type: 'plan.finished', summary });
        resolve(summary);
      };
      const pump = () => {
        if (finished) return;
        if (controller.signal.aborted) {
          for (const o of this.book.outcomes.values())
            if (o.status === 'pending' || o.status === 'queued') this.settle(o, 'cancelled');
          if (this.running.size === 0) finish();
          return;
        }
        // A task failing to start (no model) settles at once, which may skip others: repeat.
        let settledBefore: number;
        do {
          settledBefore = this.settledCount;
          this.skipBlocked();
          this.queueReady();
          const stopped = this.runBudgetStop();
          for (const task of this.options.plan.tasks) {
            if (this.book.get(task.id).status !== 'queued') continue;
            const full = this.running.size >= Math.max(1, this.limits.maxParallelWorkers);
            const reason =
              stopped ??
              (full
                ? `waiting for a worker: all ${this.limits.maxParallelWorkers} are busy (rozet.maxParallelWorkers)`
                : this.tryStart(task, controller.signal, pump));
            if (reason) this.setWaiting(task.id, reason);
          }
        } while (this.settledCount !== settledBefore);
        if (this.running.size === 0) finish();
      };
      this.pumpNow = pump;
      // Workers honour the signal; one that does not (a provider ignoring it) is given up
      // on after the grace period so cancel always returns promptly.
      const onCancel = () => {
        pump();
        grace = setTimeout(() => {
          for (const [id, slot] of this.running) {
            this.release(id, slot);
            this.settle(this.book.get(id), 'cancelled');
          }
          finish();
        }, this.limits.cancelGraceMs);
      };
      controller.signal.addEventListener('abort', onCancel, { once: true });
      pump();
    });
  }

  private skipBlocked(): void {
    for (let blocked = this.book.blocked(); blocked.length; blocked = this.book.blocked()) {
      for (const { outcome, reason } of blocked) {
        outcome.result = reason;
        this.settle(outcome, 'skipped');
      }
    }
  }

  private queueReady(): void {
    for (const outcome of this.book.ready()) {
      outcome.status = 'queued';
      this.emit({ type: 'task.queued', taskId: outcome.id });
    }
  }

  /** Starts the task, or says why it cannot start yet (undefined: started, or failed to). */
  private tryStart(task: Task, runSignal: AbortSignal, pump: () => void): string | undefined {
    const outcome = this.book.get(task.id);
    let model: ChatModel;
    try {
      model = this.slots.modelOf(task);
    } catch (error) {
      outcome.attempts++;
      outcome.error = `No model for this task: ${errorMessage(error)}`;
      this.settle(outcome, 'failed');
      return undefined;
    }
    // A file held by another task keeps this one waiting whatever the slots say: named first.
    const leaseKeys = task.files.map((f) => leaseKey(this.options.workspace, f));
    const conflict = this.leases.conflict(task.id, leaseKeys);
    if (conflict) {
      const file = task.files[leaseKeys.indexOf(conflict.key)] ?? conflict.key;
      return `${file} is held by ${conflict.holder}, which is running`;
    }
    const others = [...this.running.values()].map((r) => r.model);
    const busy = this.slots.busy(model, others);
    if (busy) return busy;
    this.leases.tryLease(task.id, leaseKeys);

    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    runSignal.addEventListener('abort', onRunAbort, { once: true });
    const slot: Slot = { model, controller };
    this.running.set(task.id, slot);
    this.waiting.delete(task.id);
    const paused = this.budgets.takePaused(task.id);
    this.book.start(task.id, model.model, !paused);
    if (!paused) this.budgets.startAttempt(task.id, outcome.usage);
    this.emit({ type: 'task.started', taskId: task.id, model: model.model, attempt: outcome.attempts });
    const count = (usage: TokenUsage) => {
      outcome.usage = this.budgets.withAttempt(task.id, usage, model.model);
    };
    const hooks = {
      budget: () => this.budgets.taskBudget(task.id),
      onUsage: (usage: TokenUsage) => {
        count(usage);
        this.emit({ type: 'task.usage', taskId: task.id, usage: outcome.usage });
        // The run's own budget may now be reached: stop starting tasks at once.
        this.pumpNow?.();
      },
    };
    (paused
      ? paused.proceed(controller.signal)
      : launchTask(this.shared, task, model, outcome, this.book.dependencyResults(task), controller.signal, hooks)
    )
      .then(
        (result) => {
          // A worker given up on after cancel may still return later: its task is settled.
          if (this.running.get(task.id) !== slot) return;
          this.release(task.id, slot);
          // A worker that went on after its budget reports its earlier commands again.
          this.book.absorb(outcome, result, paused?.commands ?? 0);
          count(result.usage);
          if (result.status === 'overBudget' && result.proceed && !runSignal.aborted) {
            this.budgets.pause(task.id, result.proceed, result.commandsRun.length);
            this.settle(outcome, 'overBudget');
            return;
          }
          this.settle(
            outcome,
            runSignal.aborted ? 'cancelled' : result.status === 'overBudget' ? 'failed' : result.status,
          );
        },
        (error: unknown) => {
          if (this.running.get(task.id) !== slot) return;
          this.release(task.id, slot);
          outcome.error = errorMessage(error);
          this.settle(outcome, isAbortError(error) || runSignal.aborted ? 'cancelled' : 'failed');
        },
      )
      .finally(() => {
        runSignal.removeEventListener('abort', onRunAbort);
        pump();
      });
    return undefined;
  }

  private setWaiting(taskId: string, reason: string): void {
    if (this.waiting.get(taskId) === reason) return;
    this.waiting.set(taskId, reason);
    this.emit({ type: 'task.waiting', taskId, reason });
  }

  private release(id: string, slot: Slot): void {
    slot.controller.abort();
    this.running.delete(id);
    this.leases.release(id);
    this.shared.ownership.release(id);
  }

  /** Why no task may start because of the run's budget (announced once per stop), or undefined. */
  private runBudgetStop(): string | undefined {
    const stop = this.budgets.runStop(this.book.outcomes.values());
    if (stop && this.budgets.announce()) this.emit({ type: 'run.overBudget', used: stop.used, budget: stop.budget });
    return stop?.reason;
  }

  private settle(outcome: TaskOutcome, status: Exclude<TaskStatus, 'pending' | 'queued' | 'running'>): void {
    outcome.status = status;
    outcome.endedAt = Date.now();
    this.waiting.delete(outcome.id);
    this.settledCount++;
    const budget = this.budgets.taskBudget(outcome.id);
    this.emit(settledEvent(outcome, { used: this.budgets.attemptTokens(outcome.id, outcome.usage), budget }));
  }

  private emit(event: EventInit): void {
    this.hub.emit(event);
  }
}
