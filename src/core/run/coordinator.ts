// Runs a validated Plan: every task whose dependencies succeeded starts, up to
// `maxParallelWorkers` at once and never more per model than its `parallelSlots` (a local
// Ollama with one slot is not flooded). Tasks whose declared `files` overlap never run
// at the same time: a task holds a lease on its declared files for its whole run
// (FileLeases); every write, declared or not, also takes its path's lock (FileLocks).
// A failed task skips its dependents with the reason; independent branches go on.
// Used by the extension and the CLI alike, so it knows nothing of UI.
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
import { isAbortError, type ChatModel, type TokenUsage } from '../model/chat';
import type { RunEvent, RunEventListener, RunSummary, TaskOutcome } from './events';
import { FileLeases, FileLocks } from './file-locks';
import { modelSummariser } from './memory';
import type { RetryPolicy } from '../model/model-call';
import type { Plan, PlanSource, Task } from '../plan/plan';
import type { ToolPolicy } from '../tools/tools';
import { runWorker } from './worker';
import type { Approver, Shell, Workspace } from '../workspace/workspace';

export interface RunLimits {
  /** rozet.maxParallelWorkers */
  maxParallelWorkers: number;
  /** rozet.worker.maxSteps: model turns per task attempt. */
  maxSteps: number;
  /** rozet.worker.idleTimeoutSeconds × 1000: silence, not total time. */
  idleTimeoutMs: number;
  /** rozet.bash.timeoutSeconds × 1000 */
  bashTimeoutMs: number;
  /** rozet.memory.maxTokens: budget of one worker request's messages. */
  memoryMaxTokens: number;
  /** Command output kept (head and tail) per execute_bash. */
  maxOutputBytes: number;
  /** Retries of timeouts, 5xx and dropped connections before a task fails. */
  retry: Partial<RetryPolicy>;
  temperature: number;
  /** How long a cancelled run waits for workers that ignore the signal before it gives up on them. */
  cancelGraceMs: number;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxParallelWorkers: 2,
  maxSteps: 25,
  idleTimeoutMs: 120_000,
  bashTimeoutMs: 300_000,
  memoryMaxTokens: 6000,
  maxOutputBytes: 64 * 1024,
  retry: {},
  temperature: 0,
  cancelGraceMs: 700,
};

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
}

/** An event without the fields the coordinator stamps; distributes over the union. */
type EventInit = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'at'> : never) : never;

interface Slot {
  model?: ChatModel;
  leaseKeys: string[];
  controller: AbortController;
}

export class Coordinator {
  readonly runId: string;
  private readonly limits: RunLimits;
  private readonly listeners = new Set<RunEventListener>();
  private readonly outcomes = new Map<string, TaskOutcome>();
  private readonly running = new Map<string, Slot>();
  private readonly locks = new FileLocks();
  private readonly leases = new FileLeases();
  private readonly sessionAllowlist: string[] = [];
  private controller: AbortController | undefined;
  private wallMs = 0;
  private settledCount = 0;

  constructor(private readonly options: CoordinatorOptions) {
    this.runId = options.runId ?? randomUUID();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    if (options.onEvent) this.listeners.add(options.onEvent);
    for (const task of options.plan.tasks) {
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

  /** Subscribes to the event stream; returns the unsubscribe function. */
  on(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get tasks(): readonly TaskOutcome[] {
    return [...this.outcomes.values()];
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
    const outcome = this.outcomes.get(id);
    if (!outcome) throw new Error(`There is no task "${id}" in this plan.`);
    if (outcome.status !== 'failed' && outcome.status !== 'cancelled')
      throw new Error(`Task ${id} is ${outcome.status}; only failed or cancelled tasks can be retried.`);
    const reset = new Set([id]);
    for (let grew = true; grew;) {
      grew = false;
      for (const task of this.options.plan.tasks) {
        const status = this.outcomes.get(task.id)!.status;
        if (
          !reset.has(task.id) &&
          (status === 'skipped' || status === 'cancelled') &&
          task.dependsOn.some((d) => reset.has(d))
        ) {
          reset.add(task.id);
          grew = true;
        }
      }
    }
    for (const taskId of reset) {
      const o = this.outcomes.get(taskId)!;
      o.status = 'pending';
      o.result = undefined;
      o.error = undefined;
    }
    return this.execute(signal);
  }

  summary(): RunSummary {
    const tasks = this.tasks.map((t) => ({ ...t }));
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
      wallMs: this.wallMs,
    };
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
        this.controller = undefined;
        this.wallMs += performance.now() - started;
        const summary = this.summary();
        this.emit({ type: 'plan.finished', summary });
        resolve(summary);
      };
      const pump = () => {
        if (finished) return;
        if (controller.signal.aborted) {
          for (const o of this.outcomes.values())
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
            if (this.running.size >= Math.max(1, this.limits.maxParallelWorkers)) break;
            if (this.outcomes.get(task.id)!.status === 'queued') this.tryStart(task, controller.signal, pump);
          }
        } while (this.settledCount !== settledBefore);
        if (this.running.size === 0) finish();
      };
      // Workers honour the signal; one that does not (a provider ignoring it) is given up
      // on after the grace period so cancel always returns promptly.
      const onCancel = () => {
        pump();
        grace = setTimeout(() => {
          for (const [id, slot] of this.running) {
            this.release(id, slot);
            this.settle(this.outcomes.get(id)!, 'cancelled');
          }
          finish();
        }, this.limits.cancelGraceMs);
      };
      controller.signal.addEventListener('abort', onCancel, { once: true });
      pump();
    });
  }

  private skipBlocked(): void {
    for (let changed = true; changed;) {
      changed = false;
      for (const task of this.options.plan.tasks) {
        const o = this.outcomes.get(task.id)!;
        if (o.status !== 'pending') continue;
        const blocker = task.dependsOn
          .map((d) => this.outcomes.get(d))
          .find((d) => d && (d.status === 'failed' || d.status === 'skipped' || d.status === 'cancelled'));
        if (!blocker) continue;
        const why = blocker.status === 'failed' ? `failed: ${firstLine(blocker.error)}` : `was ${blocker.status}`;
        o.result = `Skipped because dependency ${blocker.id} (${blocker.title}) ${why}`;
        this.settle(o, 'skipped');
        changed = true;
      }
    }
  }

  private queueReady(): void {
    for (const task of this.options.plan.tasks) {
      const o = this.outcomes.get(task.id)!;
      if (o.status === 'pending' && task.dependsOn.every((d) => this.outcomes.get(d)?.status === 'succeeded')) {
        o.status = 'queued';
        this.emit({ type: 'task.queued', taskId: task.id });
      }
    }
  }

  private tryStart(task: Task, runSignal: AbortSignal, pump: () => void): void {
    const outcome = this.outcomes.get(task.id)!;
    let model: ChatModel;
    try {
      model = this.options.resolveModel(task);
    } catch (error) {
      outcome.attempts++;
      outcome.error = `No model for this task: ${error instanceof Error ? error.message : String(error)}`;
      this.settle(outcome, 'failed');
      return;
    }
    const slotKey = modelKey(model);
    const inUse = [...this.running.values()].filter((s) => s.model && modelKey(s.model) === slotKey).length;
    if (inUse >= Math.max(1, model.capabilities.parallelSlots)) return;
    const leaseKeys = task.files.map((f) => this.leaseKey(f));
    if (!this.leases.tryLease(task.id, leaseKeys)) return;

    const controller = new AbortController();
    const onRunAbort = () => controller.abort();
    runSignal.addEventListener('abort', onRunAbort, { once: true });
    const slot: Slot = { model, leaseKeys, controller };
    this.running.set(task.id, slot);
    outcome.status = 'running';
    outcome.attempts++;
    outcome.model = model.model;
    outcome.startedAt = Date.now();
    outcome.endedAt = undefined;
    this.emit({ type: 'task.started', taskId: task.id, model: model.model, attempt: outcome.attempts });

    const dependencies = task.dependsOn
      .map((d) => this.outcomes.get(d)!)
      .map((d) => ({ id: d.id, title: d.title, result: d.result ?? '' }));
    const summaries = this.options.summaries ?? 'model';
    runWorker({
      task,
      model,
      dependencies,
      tools: {
        taskId: task.id,
        workspace: this.options.workspace,
        shell: this.options.shell,
        approver: this.options.approver,
        locks: this.locks,
        policy: this.options.policy,
        sessionAllowlist: this.sessionAllowlist,
        bashTimeoutMs: this.limits.bashTimeoutMs,
        maxOutputBytes: this.limits.maxOutputBytes,
        signal: controller.signal,
      },
      maxSteps: this.limits.maxSteps,
      idleTimeoutMs: this.limits.idleTimeoutMs,
      memoryMaxTokens: this.limits.memoryMaxTokens,
      retry: this.limits.retry,
      temperature: this.limits.temperature,
      summarise:
        summaries === 'model'
          ? modelSummariser(model, { idleTimeoutMs: this.limits.idleTimeoutMs, retry: this.limits.retry })
          : undefined,
      onDelta: (text, reasoning) =>
        this.emit({ type: 'task.delta', taskId: task.id, text, ...(reasoning ? { reasoning } : {}) }),
      onToolCall: (callId, name, args) => this.emit({ type: 'task.toolCall', taskId: task.id, callId, name, args }),
      onToolResult: (record) => {
        outcome.toolCalls.push(record);
        this.emit({ type: 'task.toolResult', taskId: task.id, record });
      },
      onRetry: (error, attempt, delayMs) =>
        this.emit({ type: 'task.retrying', taskId: task.id, attempt, delayMs, reason: error.message }),
    })
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
          outcome.error = error instanceof Error ? error.message : String(error);
          this.settle(outcome, isAbortError(error) || runSignal.aborted ? 'cancelled' : 'failed');
        },
      )
      .finally(() => {
        runSignal.removeEventListener('abort', onRunAbort);
        pump();
      });
  }

  private release(id: string, slot: Slot): void {
    slot.controller.abort();
    this.running.delete(id);
    this.leases.release(id);
  }

  private settle(outcome: TaskOutcome, status: 'succeeded' | 'failed' | 'skipped' | 'cancelled'): void {
    outcome.status = status;
    outcome.endedAt = Date.now();
    this.settledCount++;
    const taskId = outcome.id;
    if (status === 'succeeded') this.emit({ type: 'task.succeeded', taskId, result: outcome.result ?? '' });
    else if (status === 'failed') this.emit({ type: 'task.failed', taskId, error: outcome.error ?? 'failed' });
    else if (status === 'skipped') this.emit({ type: 'task.skipped', taskId, reason: outcome.result ?? '' });
    else this.emit({ type: 'task.cancelled', taskId });
  }

  /** A declared file's lease key: the workspace's lock key, or a normalised form when it does not resolve. */
  private leaseKey(file: string): string {
    try {
      return this.options.workspace.lockKey(file);
    } catch {
      return file.replace(/\\/g, '/').replace(/^\.\//, '').toLowerCase();
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

function modelKey(model: ChatModel): string {
  return `${model.provider}:${model.model}`;
}

function firstLine(text: string | undefined): string {
  return (text ?? 'unknown error').split('\n')[0];
}
