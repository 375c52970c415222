// One typed event stream for a run. The webview, the output channel, progress
// notifications and the CLI printer all consume exactly these events.
import type { Plan, PlanResult } from '../plan/plan';
import type { TokenUsage } from '../model/chat';
import type { EndpointStatus } from '../model/endpoint-status';

// 'overBudget': stopped between two steps at its token budget (rozet.budget.tokensPerTask);
// its dependents wait rather than fail, and Continue goes on from where it stopped.
export type TaskStatus =
  'pending' | 'queued' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'overBudget';

export interface ToolCallRecord {
  id: string;
  name: string;
  /** Arguments as the model sent them (parsed where possible). */
  args: unknown;
  ok: boolean;
  /** Short result or error text for display (bounded). */
  summary: string;
  resultBytes: number;
  durationMs: number;
  startedAt: number;
  /** The workspace-relative path the call wrote, as the tool reported it; absent when it wrote nothing. */
  fileChanged?: string;
}

export interface TaskOutcome {
  id: string;
  title: string;
  status: TaskStatus;
  model?: string;
  /** The worker's final answer, or the failure/skip reason. */
  result?: string;
  error?: string;
  filesChanged: string[];
  commandsRun: string[];
  toolCalls: ToolCallRecord[];
  usage: TokenUsage;
  startedAt?: number;
  endedAt?: number;
  attempts: number;
}

/**
 * 'overBudget': nothing failed, but a task stopped at its budget or the run stopped starting
 * tasks at its own (rozet.budget.tokensPerRun); tasks left over wait for Continue.
 */
export type RunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'overBudget';

export interface RunSummary {
  outcome: RunOutcome;
  tasks: TaskOutcome[];
  filesChanged: string[];
  commandsRun: string[];
  usage: TokenUsage;
  wallMs: number;
}

interface Base {
  runId: string;
  at: number;
}

export type RunEvent =
  // `reason`: why a fallback plan was made; `notes`: the planner's repairs and trims.
  | (Base & { type: 'plan.started'; plan: Plan; source?: PlanResult['source']; reason?: string; notes?: string[] })
  | (Base & { type: 'task.queued'; taskId: string })
  // A queued task that cannot start yet, and why ("b.py is held by t2", "no free model
  // slot …"); sent again only when the reason changes.
  | (Base & { type: 'task.waiting'; taskId: string; reason: string })
  // Requests in flight and slots per model and endpoint, whenever they change.
  | (Base & { type: 'capacity'; endpoints: EndpointStatus[] })
  | (Base & { type: 'task.started'; taskId: string; model: string; attempt: number })
  | (Base & { type: 'task.delta'; taskId: string; text: string; reasoning?: boolean })
  | (Base & { type: 'task.toolCall'; taskId: string; callId: string; name: string; args: unknown })
  | (Base & { type: 'task.toolResult'; taskId: string; record: ToolCallRecord })
  // A model call failed in a way worth retrying and the worker waits `delayMs` before the
  // next attempt; without it a long Retry-After looks like a hung task. `attempt` is the
  // 1-based attempt that failed; `reason` is the ModelError's user-facing message.
  | (Base & { type: 'task.retrying'; taskId: string; attempt: number; delayMs: number; reason: string })
  // Tokens (and cost, where known) the task has used so far, after each model call.
  | (Base & { type: 'task.usage'; taskId: string; usage: TokenUsage })
  // `kept`: a resumed run kept this task's earlier success instead of running it again.
  | (Base & { type: 'task.succeeded'; taskId: string; result: string; kept?: boolean })
  | (Base & { type: 'task.failed'; taskId: string; error: string })
  | (Base & { type: 'task.skipped'; taskId: string; reason: string })
  | (Base & { type: 'task.cancelled'; taskId: string })
  // Stopped between steps at its budget; Continue (Coordinator.continueTask) goes on.
  | (Base & { type: 'task.overBudget'; taskId: string; used: number; budget: number })
  // The run reached rozet.budget.tokensPerRun and starts no more tasks until continued.
  | (Base & { type: 'run.overBudget'; used: number; budget: number })
  | (Base & { type: 'plan.finished'; summary: RunSummary });

export type RunEventListener = (event: RunEvent) => void;

export type RetryEvent = Extract<RunEvent, { type: 'task.retrying' }>;

/**
 * The one line a `task.retrying` event reads as, the same in the task panel, the CLI and
 * the output channel. It names the attempt about to start, which is what the user waits for.
 */
export function describeRetry(event: Pick<RetryEvent, 'attempt' | 'delayMs' | 'reason'>): string {
  const seconds = event.delayMs / 1000;
  const wait = seconds < 10 ? `${Number(seconds.toFixed(1))} s` : `${Math.round(seconds)} s`;
  return `Retrying in ${wait} (attempt ${event.attempt + 1}): ${event.reason.replace(/\s+/g, ' ').trim()}`;
}
