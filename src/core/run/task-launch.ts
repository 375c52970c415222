// Starts one task's worker with everything the run shares (workspace, shell, approvals,
// locks, ownership, limits) and the task's own pieces (its model, signal, read versions),
// relaying what the worker does as run events.
import type { ChatModel, TokenUsage } from '../model/chat';
import type { RetryPolicy } from '../model/model-call';
import type { Task } from '../plan/plan';
import type { RunWrites } from '../tools/redirects';
import type { ToolContext, ToolPolicy } from '../tools/tools';
import { recordingWorkspace, type WriteListener } from '../workspace/recording-workspace';
import type { Approver, Shell, Workspace } from '../workspace/workspace';
import { NO_BUDGETS, type Budgets, type Pricing } from './budget';
import type { RunEvent, TaskOutcome } from './events';
import type { FileLocks } from './file-locks';
import { ReadVersions, type FileOwnership } from './file-ownership';
import { modelSummariser } from './memory';
import { runWorker, type WorkerResult } from './worker';

export interface RunLimits {
  /** rozet.maxParallelWorkers */
  maxParallelWorkers: number;
  /** rozet.worker.maxSteps: model turns per task attempt. */
  maxSteps: number;
  /** rozet.worker.idleTimeoutSeconds × 1000: silence between tokens, not total time. */
  idleTimeoutMs: number;
  /** rozet.worker.firstTokenTimeoutSeconds × 1000: from sending a request to its first token. */
  firstTokenTimeoutMs: number;
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
  /** rozet.budget.tokensPerTask / tokensPerRun (0: none). */
  budgets: Budgets;
  /** rozet.pricing: the cost of models whose provider reports none. */
  pricing: Pricing;
}

export const DEFAULT_LIMITS: RunLimits = {
  maxParallelWorkers: 2,
  maxSteps: 25,
  idleTimeoutMs: 120_000,
  firstTokenTimeoutMs: 600_000,
  bashTimeoutMs: 300_000,
  memoryMaxTokens: 6000,
  maxOutputBytes: 64 * 1024,
  retry: {},
  temperature: 0,
  cancelGraceMs: 700,
  budgets: NO_BUDGETS,
  pricing: {},
};

/** An event without the fields the coordinator stamps; distributes over the union. */
export type EventInit = RunEvent extends infer E ? (E extends RunEvent ? Omit<E, 'runId' | 'at'> : never) : never;

export interface RunShared {
  workspace: Workspace;
  shell: Shell;
  approver: Approver;
  policy: ToolPolicy;
  locks: FileLocks;
  ownership: FileOwnership;
  /** "Always allow" prefixes chosen during this run; shared by all workers, grows. */
  sessionAllowlist: string[];
  /** What this run has written, for commands a written file could redirect (tools/redirects.ts). */
  runWrites: RunWrites;
  limits: RunLimits;
  summaries: 'model' | 'digest';
  /** search_files / find_files and MCP tools, where the host has them. */
  extraTools?: Pick<ToolContext, 'search' | 'external'>;
  emit: (event: EventInit) => void;
  /** Told of every file a task writes, with the text before and after (for undo and resume). */
  onWrite?: WriteListener;
}

/** What the coordinator follows of one attempt while it runs. */
export interface AttemptHooks {
  /** Tokens the attempt may use (0: none), asked between steps. */
  budget: () => number;
  onUsage: (usage: TokenUsage) => void;
}

export function launchTask(
  shared: RunShared,
  task: Task,
  model: ChatModel,
  outcome: TaskOutcome,
  dependencies: Array<{ id: string; title: string; result: string }>,
  signal: AbortSignal,
  hooks: AttemptHooks,
): Promise<WorkerResult> {
  const { limits, emit } = shared;
  const timing = {
    idleTimeoutMs: limits.idleTimeoutMs,
    firstTokenTimeoutMs: limits.firstTokenTimeoutMs,
    retry: limits.retry,
  };
  return runWorker({
    task,
    model,
    dependencies,
    tools: {
      taskId: task.id,
      workspace: shared.onWrite ? recordingWorkspace(shared.workspace, task.id, shared.onWrite) : shared.workspace,
      shell: shared.shell,
      approver: shared.approver,
      locks: shared.locks,
      policy: shared.policy,
      sessionAllowlist: shared.sessionAllowlist,
      runWrites: shared.runWrites,
      bashTimeoutMs: limits.bashTimeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
      signal,
      ownership: shared.ownership,
      versions: new ReadVersions(),
      ...shared.extraTools,
    },
    maxSteps: limits.maxSteps,
    ...timing,
    memoryMaxTokens: limits.memoryMaxTokens,
    temperature: limits.temperature,
    summarise: shared.summaries === 'model' ? modelSummariser(model, { ...timing, affinity: task.id }) : undefined,
    onDelta: (text, reasoning) =>
      emit({ type: 'task.delta', taskId: task.id, text, ...(reasoning ? { reasoning } : {}) }),
    onToolCall: (callId, name, args) => emit({ type: 'task.toolCall', taskId: task.id, callId, name, args }),
    onToolResult: (record) => {
      outcome.toolCalls.push(record);
      emit({ type: 'task.toolResult', taskId: task.id, record });
    },
    onRetry: (error, attempt, delayMs) =>
      emit({ type: 'task.retrying', taskId: task.id, attempt, delayMs, reason: error.message }),
    budget: hooks.budget,
    onUsage: hooks.onUsage,
  });
}
