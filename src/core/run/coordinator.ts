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
//
// `run` never rejects for a task's failure: failures are outcomes in the summary.
import { setMaxListeners } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { SlotGate } from '../model/capacity';
import { isAbortError, type ChatModel } from '../model/chat';
import type { Plan, PlanSource, Task } from '../plan/plan';
import { RunWrites } from '../tools/redirects';
import type { ToolContext, ToolPolicy } from '../tools/tools';
import type { Approver, Shell, Workspace } from '../workspace/workspace';
import { errorMessage } from '../text/error-message';
import type { RunEvent, RunEventListener, RunSummary, TaskOutcome } from './events';
import { FileLeases, FileLocks } from './file-locks';
import { FileOwnership } from './file-ownership';
import { slotsBusy } from './slots';
import { TaskBook } from './task-book';
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
  private readonly listeners = new Set<RunEventListener>();
  private readonly book: TaskBook;
  private readonly running = new Map<string, Slot>();
  private readonly models = new Map<string, ChatModel>();
  private readonly waiting = new Map<string, string>();
  private readonly leases = new FileLeases();
  private readonly gates = new Map<SlotGate, () => void>();
  private readonly shared: RunShared;
  private controller: AbortController | undefined;
  private pumpNow: (() => void) | undefined;
  private lastCapacity = '';
  private wallMs = 0;
  private settledCount = 0;

  constructor(private readonly options: CoordinatorOptions) {
    this.runId = options.runId ?? randomUUID();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (options.onEvent) this.listeners.add(options.onEvent);
    this.book = new TaskBook(options.plan);
    const ownership = new FileOwnership({
      plan: options.plan,
      keyOf: (path) => this.lockKey(path),
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
    };
  }

  /** Subscribes to the event stream; returns the unsubscribe function. */
  on(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
        for (const unsubscribe of this.gates.values()) unsubscribe();
        this.gates.clear();
        this.pumpNow = undefined;
        this.controller = undefined;
        this.wallMs += performance.now() - started;
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
          for (const task of this.options.plan.tasks) {
            if (this.book.get(task.id).status !== 'queued') continue;
            const full = this.running.size >= Math.max(1, this.limits.maxParallelWorkers);
            const reason = full
              ? `waiting for a worker: all ${this.limits.maxParallelWorkers} are busy (rozet.maxParallelWorkers)`
              : this.tryStart(task, controller.signal, pump);
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
      model = this.modelOf(task);
    } catch (error) {
      outcome.attempts++;
      outcome.error = `No model for this task: ${errorMessage(error)}`;
      this.settle(outcome, 'failed');
      return undefined;
    }
    // A file held by another task keeps this one waiting whatever the slots say: named first.
    const leaseKeys = task.files.map((f) => this.lockKey(f) ?? normalisedPath(f));
    const conflict = this.leases.conflict(task.id, leaseKeys);
    if (conflict) {
      const file = task.files[leaseKeys.indexOf(conflict.key)] ?? conflict.key;
      return `${file} is held by ${conflict.holder}, which is running`;
    }
    const busy = slotsBusy(
      model,
      [...this.running.values()].map((slot) => slot.model),
    );
    if (busy) return busy;
    this.leases.tryLease(task.id, leaseKeys);

    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    runSignal.addEventListener('abort', onRunAbort, { once: true });
    const slot: Slot = { model, controller };
    this.running.set(task.id, slot);
    this.waiting.delete(task.id);
    outcome.status = 'running';
    outcome.attempts++;
    outcome.model = model.model;
    outcome.startedAt = Date.now();
    outcome.endedAt = undefined;
    this.emit({ type: 'task.started', taskId: task.id, model: model.model, attempt: outcome.attempts });

    const dependencies = task.dependsOn
      .map((d) => this.book.get(d))
      .map((d) => ({ id: d.id, title: d.title, result: d.result ?? '' }));
    launchTask(this.shared, task, model, outcome, dependencies, controller.signal)
      .then(
        (result) => {
          // A worker given up on after cancel may still return later: its task is settled.
          if (this.running.get(task.id) !== slot) return;
          this.release(task.id, slot);
          outcome.filesChanged = [...new Set([...outcome.filesChanged, ...result.filesChanged])];
          outcome.commandsRun.push(...result.commandsRun);
          outcome.usage.promptTokens += result.usage.promptTokens;
          outcome.usage.completionTokens += result.usage.completionTokens;
          outcome.result = result.result;
          outcome.error = result.error;
          this.settle(outcome, runSignal.aborted ? 'cancelled' : result.status);
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

  /** The model of a task, resolved once; a pooled model's changes are watched while the run goes. */
  private modelOf(task: Task): ChatModel {
    let model = this.models.get(task.id);
    if (!model) {
      model = this.options.resolveModel(task);
      this.models.set(task.id, model);
    }
    const gate = model.gate;
    if (gate && !this.gates.has(gate)) {
      this.gates.set(
        gate,
        gate.onChange(() => {
          this.reportCapacity();
          this.pumpNow?.();
        }),
      );
      this.reportCapacity();
    }
    return model;
  }

  private reportCapacity(): void {
    const endpoints = [...this.gates.keys()].flatMap((gate) => gate.status());
    const key = JSON.stringify(endpoints);
    if (key === this.lastCapacity) return;
    this.lastCapacity = key;
    this.emit({ type: 'capacity', endpoints });
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

  private settle(outcome: TaskOutcome, status: 'succeeded' | 'failed' | 'skipped' | 'cancelled'): void {
    outcome.status = status;
    outcome.endedAt = Date.now();
    this.waiting.delete(outcome.id);
    this.settledCount++;
    const taskId = outcome.id;
    if (status === 'succeeded') this.emit({ type: 'task.succeeded', taskId, result: outcome.result ?? '' });
    else if (status === 'failed') this.emit({ type: 'task.failed', taskId, error: outcome.error ?? 'failed' });
    else if (status === 'skipped') this.emit({ type: 'task.skipped', taskId, reason: outcome.result ?? '' });
    else this.emit({ type: 'task.cancelled', taskId });
  }

  /** A path's lock key, or undefined when it does not resolve inside the workspace. */
  private lockKey(file: string): string | undefined {
    try {
      return this.options.workspace.lockKey(file);
    } catch {
      return undefined;
    }
  }

  private emit(event: EventInit): void {
    const full = { ...event, runId: this.runId, at: Date.now() } as RunEvent;
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A faulty listener (UI, printer) must not break the run it is watching.
      }
    }
  }
}

/** The lease key of a declared file that does not resolve: the same path written another way still matches. */
function normalisedPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '').toLowerCase();
}
