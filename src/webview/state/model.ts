// The webview's view model: what the panels render, and the record of what changed since
// they last looked, so a renderer patches only that instead of re-rendering per token.
// No DOM here, and nothing that changes it: the store and the reducers do that.
import type { RetryEvent, RunSummary, TaskStatus, ToolCallRecord } from '../../core/run/events';
import type { Plan, PlanResult } from '../../core/plan/plan';
import type { EndpointStatus } from '../../core/model/endpoint-status';
import type { TokenUsage } from '../../core/model/chat';
import type { ApprovalPrompt, Attachment, HistoryItem, ModelsConfig, ShownPlan, TranscriptMessage } from '../protocol';

export interface ToolCallView {
  callId: string;
  name: string;
  args: unknown;
  record?: ToolCallRecord;
}

export interface TaskView {
  id: string;
  title: string;
  description: string;
  status: TaskStatus;
  model?: string;
  attempt: number;
  startedAt?: number;
  endedAt?: number;
  /** From the plan: what it waits for, and the files it declared (graph edges, tooltips). */
  dependsOn: string[];
  files: string[];
  output: string;
  /** Bumped when output is replaced rather than appended, so renderers redraw it whole. */
  outputEpoch: number;
  toolCalls: ToolCallView[];
  /** Model calls that failed and were retried, in order: shown so a wait is not a mystery. */
  retries: Array<Pick<RetryEvent, 'attempt' | 'delayMs' | 'reason'>>;
  filesChanged: string[];
  result?: string;
  error?: string;
  /** Why a queued task has not started ("b.py is held by t2, which is running"). */
  waiting?: string;
  /** Tokens (and cost, where known) used so far. */
  usage?: TokenUsage;
  /** Set while over budget: the attempt's tokens and its budget. */
  overBudget?: { used: number; budget: number };
  /** Kept from the saved run by Resume, not run again. */
  kept?: boolean;
}

export interface RunView {
  runId: string;
  source?: PlanResult['source'];
  startedAt: number;
  order: string[];
  tasks: Map<string, TaskView>;
  summary?: RunSummary;
  /** Requests in flight and slots per model endpoint, as the last capacity event said. */
  capacity?: EndpointStatus[];
  /** Set when the run stopped starting tasks at rozet.budget.tokensPerRun. */
  overBudget?: { used: number; budget: number };
}

export interface PlanDraft extends ShownPlan {
  /** The plan as edited so far (the host's copy is the same: every edit goes through it). */
  plan: Plan;
  /** A task whose removal waits for "drop the edges of its dependents?". */
  confirmRemove?: string;
  /** The task whose fields are open for editing. */
  editing?: string;
}

export type Tab = 'chat' | 'tasks' | 'history';

export interface UiState {
  tab: Tab;
  draft: string;
  expanded: string[];
}

export interface Notice {
  id: number;
  level: 'error' | 'warning' | 'info';
  message: string;
}

export interface PendingApproval extends ApprovalPrompt {
  /** Set once the user answered; buttons stay disabled until the host resolves it. */
  answered?: boolean;
}

export interface Model {
  messages: TranscriptMessage[];
  messageIndex: Map<string, number>;
  plan: PlanDraft | null;
  run: RunView | null;
  approvals: PendingApproval[];
  attachments: Attachment[];
  models: ModelsConfig | null;
  history: HistoryItem[];
  notices: Notice[];
  ui: UiState;
}

/** What changed since the renderers last looked. */
export interface Changes {
  all: boolean;
  messages: boolean;
  patchedMessages: Set<string>;
  run: boolean;
  patchedTasks: Set<string>;
  plan: boolean;
  approvals: boolean;
  attachments: boolean;
  models: boolean;
  history: boolean;
  notices: boolean;
}

export function noChanges(): Changes {
  return {
    all: false,
    messages: false,
    patchedMessages: new Set(),
    run: false,
    patchedTasks: new Set(),
    plan: false,
    approvals: false,
    attachments: false,
    models: false,
    history: false,
    notices: false,
  };
}

export function emptyModel(ui: UiState): Model {
  return {
    messages: [],
    messageIndex: new Map(),
    plan: null,
    run: null,
    approvals: [],
    attachments: [],
    models: null,
    history: [],
    notices: [],
    ui,
  };
}
