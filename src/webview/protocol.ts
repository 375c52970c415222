// Every message between the extension host and the Rozet webview, in one module that
// both sides import. No DOM and no `vscode` here: the host bundles it for Node and the
// webview for the browser. The host validates every webview→host message with
// `parseWebviewMessage` (the webview runs model-produced text, so it is not trusted);
// the webview validates host→webview messages with `parseHostMessage` so that a
// version skew after an update degrades to ignored messages, never a blank panel.
import { z } from 'zod';
import type { RunEvent, RunSummary, TaskOutcome, ToolCallRecord } from '../core/run/events';
import type { EndpointStatus } from '../core/model/endpoint-status';
import type { Plan, PlanResult } from '../core/plan/plan';
import { PROVIDER_NAMES } from '../core/model/chat';

/** Bumped on any incompatible change; sent in `init` and kept in saved webview state so a stale side can tell. */
export const PROTOCOL_VERSION = 1;

// Shared shapes

// Plain object shapes (not the core PlanSchema) because the core one fills defaults on
// input; here both sides already hold complete plans.
const TaskShape = z.object({
  id: z.string().min(1),
  title: z.string(),
  description: z.string(),
  dependsOn: z.array(z.string()),
  files: z.array(z.string()),
  model: z.string().min(1).optional(),
  tools: z.array(z.string().min(1)).optional(),
});
export const PlanShape: z.ZodType<Plan> = z.object({ tasks: z.array(TaskShape).min(1) });

export const PlanResultShape: z.ZodType<PlanResult> = z.object({
  plan: PlanShape,
  source: z.enum(['llm', 'fallback']),
  reason: z.string().optional(),
  notes: z.array(z.string()),
});

const TokenUsageShape = z.object({
  promptTokens: z.number(),
  completionTokens: z.number(),
  cost: z.number().optional(),
});
const TaskStatusShape = z.enum([
  'pending',
  'queued',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'overBudget',
]);
const RunOutcomeShape = z.enum(['succeeded', 'failed', 'cancelled', 'overBudget']);

export const ToolCallRecordShape: z.ZodType<ToolCallRecord> = z.object({
  id: z.string(),
  name: z.string(),
  args: z.unknown(),
  ok: z.boolean(),
  summary: z.string(),
  resultBytes: z.number(),
  durationMs: z.number(),
  startedAt: z.number(),
  fileChanged: z.string().optional(),
});

const TaskOutcomeShape: z.ZodType<TaskOutcome> = z.object({
  id: z.string(),
  title: z.string(),
  status: TaskStatusShape,
  model: z.string().optional(),
  result: z.string().optional(),
  error: z.string().optional(),
  filesChanged: z.array(z.string()),
  commandsRun: z.array(z.string()),
  toolCalls: z.array(ToolCallRecordShape),
  usage: TokenUsageShape,
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  attempts: z.number(),
});

const RunSummaryShape: z.ZodType<RunSummary> = z.object({
  outcome: RunOutcomeShape,
  tasks: z.array(TaskOutcomeShape),
  filesChanged: z.array(z.string()),
  commandsRun: z.array(z.string()),
  usage: TokenUsageShape,
  wallMs: z.number(),
});

const EndpointStatusShape: z.ZodType<EndpointStatus> = z.object({
  model: z.string(),
  endpoint: z.string(),
  url: z.string(),
  inFlight: z.number(),
  slots: z.number(),
  source: z.enum(['configured', 'provider', 'reported', 'learning', 'learned']),
  down: z.object({ reason: z.string(), retryAt: z.number() }).optional(),
});

const base = { runId: z.string(), at: z.number() };
export const RunEventShape: z.ZodType<RunEvent> = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('plan.started'),
    plan: PlanShape,
    source: z.enum(['llm', 'fallback']).optional(),
  }),
  z.object({ ...base, type: z.literal('task.queued'), taskId: z.string() }),
  z.object({ ...base, type: z.literal('task.waiting'), taskId: z.string(), reason: z.string() }),
  z.object({ ...base, type: z.literal('capacity'), endpoints: z.array(EndpointStatusShape) }),
  z.object({ ...base, type: z.literal('task.started'), taskId: z.string(), model: z.string(), attempt: z.number() }),
  z.object({
    ...base,
    type: z.literal('task.delta'),
    taskId: z.string(),
    text: z.string(),
    reasoning: z.boolean().optional(),
  }),
  z.object({
    ...base,
    type: z.literal('task.toolCall'),
    taskId: z.string(),
    callId: z.string(),
    name: z.string(),
    args: z.unknown(),
  }),
  z.object({ ...base, type: z.literal('task.toolResult'), taskId: z.string(), record: ToolCallRecordShape }),
  z.object({
    ...base,
    type: z.literal('task.retrying'),
    taskId: z.string(),
    attempt: z.number(),
    delayMs: z.number(),
    reason: z.string(),
  }),
  z.object({ ...base, type: z.literal('task.usage'), taskId: z.string(), usage: TokenUsageShape }),
  z.object({
    ...base,
    type: z.literal('task.succeeded'),
    taskId: z.string(),
    result: z.string(),
    kept: z.boolean().optional(),
  }),
  z.object({ ...base, type: z.literal('task.failed'), taskId: z.string(), error: z.string() }),
  z.object({ ...base, type: z.literal('task.skipped'), taskId: z.string(), reason: z.string() }),
  z.object({ ...base, type: z.literal('task.cancelled'), taskId: z.string() }),
  z.object({ ...base, type: z.literal('task.overBudget'), taskId: z.string(), used: z.number(), budget: z.number() }),
  z.object({ ...base, type: z.literal('run.overBudget'), used: z.number(), budget: z.number() }),
  z.object({ ...base, type: z.literal('plan.finished'), summary: RunSummaryShape }),
]);

/** A selection sent from the editor ("Send Selection to Rozet"), shown as a chip. */
export const AttachmentShape = z.object({
  id: z.string().min(1),
  path: z.string(),
  startLine: z.number().int().nonnegative(),
  endLine: z.number().int().nonnegative(),
  text: z.string(),
});
export type Attachment = z.infer<typeof AttachmentShape>;

/** A message of the conversation the Chat panel shows (not a model-call message). */
export const TranscriptMessageShape = z.object({
  id: z.string().min(1),
  role: z.enum(['user', 'assistant', 'system']),
  text: z.string(),
  at: z.number(),
  attachments: z.array(AttachmentShape).optional(),
});
export type TranscriptMessage = z.infer<typeof TranscriptMessageShape>;

/**
 * A plan waiting for the user (review, edit, Run). `planId` comes back in `plan.run`;
 * `edited` is the plan as edited so far in any view (absent: as planned).
 */
export const ShownPlanShape = z.object({
  planId: z.string().min(1),
  result: PlanResultShape,
  edited: PlanShape.optional(),
});
export type ShownPlan = z.infer<typeof ShownPlanShape>;

/** A question a worker's tool call waits on, as the sidebar shows it (the core's request, plus an id). */
export const ApprovalPromptShape = z.object({
  id: z.string().min(1),
  runId: z.string().optional(),
  taskId: z.string().optional(),
  /** `command`: an execute_bash call; `write`: a write to a protected path; `read`: a file that may hold secrets; `tool`: an MCP / VS Code tool not allowed in advance. */
  kind: z.enum(['command', 'write', 'read', 'tool']),
  /** Exactly what will run (the full command) or be written (the path). Shown verbatim. */
  subject: z.string(),
  /** The prefix "Always allow" would add to the allowlist; absent when none is safe to offer. */
  prefix: z.string().optional(),
  /** Why the host asks (e.g. "chained command", "protected path"). */
  reason: z.string().optional(),
  /** For a command: how it would run (sandboxed or not, network). */
  where: z.string().optional(),
});
export type ApprovalPrompt = z.infer<typeof ApprovalPromptShape>;

export const ApprovalOutcomeShape = z.enum(['approved', 'denied', 'alwaysAllowed', 'cancelled']);
export type ApprovalOutcome = z.infer<typeof ApprovalOutcomeShape>;

/** Which model a header entry or a switch is about: the planner's or the workers'. */
export const ModelRoleShape = z.enum(['orchestrator', 'worker']);
export type ModelRole = z.infer<typeof ModelRoleShape>;

const ProviderShape = z.enum(PROVIDER_NAMES);

export const HealthShape = z.enum(['ok', 'error', 'unknown']);
export type Health = z.infer<typeof HealthShape>;

export const RoleConfigShape = z.object({
  provider: ProviderShape,
  model: z.string(),
  /** Models the picker offers (already filtered by rozet.models.exclude). */
  models: z.array(z.string()),
  health: HealthShape,
  /** Shown as the dot's tooltip, e.g. the error and what to do next. */
  healthDetail: z.string().optional(),
});
export type RoleConfig = z.infer<typeof RoleConfigShape>;

export const ModelsConfigShape = z.object({ orchestrator: RoleConfigShape, worker: RoleConfigShape });
export type ModelsConfig = z.infer<typeof ModelsConfigShape>;

export const HistoryItemShape = z.object({
  id: z.string().min(1),
  kind: z.enum(['chat', 'run']),
  title: z.string(),
  at: z.number(),
  /** 'interrupted': the window closed or reloaded while the run went on. */
  outcome: z.enum(['succeeded', 'failed', 'cancelled', 'overBudget', 'interrupted']).optional(),
});
export type HistoryItem = z.infer<typeof HistoryItemShape>;

/**
 * Everything the webview shows, sent once after `ready` and again whenever the whole
 * view changes (a history item reopened). `runEvents` is the current run's event log;
 * the host may merge consecutive `task.delta`s of a task before sending it.
 */
export const SnapshotShape = z.object({
  messages: z.array(TranscriptMessageShape),
  plan: ShownPlanShape.nullable(),
  runEvents: z.array(RunEventShape),
  approvals: z.array(ApprovalPromptShape),
  attachments: z.array(AttachmentShape),
  models: ModelsConfigShape.nullable(),
  history: z.array(HistoryItemShape),
});
export type Snapshot = z.infer<typeof SnapshotShape>;

// Host → webview

// Batched run events are validated item by item in parseHostMessage, so one bad event
// drops only itself rather than the batch.
const hostMessageShapes = {
  init: z.object({ type: z.literal('init'), version: z.number(), snapshot: SnapshotShape }),
  'chat.append': z.object({ type: z.literal('chat.append'), message: TranscriptMessageShape }),
  'plan.shown': ShownPlanShape.extend({ type: z.literal('plan.shown') }),
  /** An edit to the plan under review, made in one view, for every view. */
  'plan.edited': z.object({ type: z.literal('plan.edited'), planId: z.string(), plan: PlanShape }),
  'run.events': z.object({ type: z.literal('run.events'), events: z.array(RunEventShape) }),
  'approval.requested': z.object({ type: z.literal('approval.requested'), approval: ApprovalPromptShape }),
  'approval.resolved': z.object({
    type: z.literal('approval.resolved'),
    id: z.string(),
    outcome: ApprovalOutcomeShape,
  }),
  'attachment.added': z.object({ type: z.literal('attachment.added'), attachment: AttachmentShape }),
  models: z.object({ type: z.literal('models'), models: ModelsConfigShape }),
  history: z.object({ type: z.literal('history'), items: z.array(HistoryItemShape) }),
  notice: z.object({
    type: z.literal('notice'),
    level: z.enum(['error', 'warning', 'info']),
    message: z.string(),
  }),
} as const;

type HostShapes = typeof hostMessageShapes;
export type HostMessageType = keyof HostShapes;
export type HostMessage = { [K in HostMessageType]: z.infer<HostShapes[K]> }[HostMessageType];

// Webview → host

// Bounds keep a compromised webview from pushing huge payloads into the host.
const text = z.string().max(1_000_000);
const id = z.string().min(1).max(512);

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** The webview is listening; the host answers with `init`. */
  z.object({ type: z.literal('ready') }),
  /** A request from the composer (Enter, Send or Plan tasks): the host plans it. */
  z.object({ type: z.literal('plan.request'), text, attachments: z.array(AttachmentShape).max(100) }),
  /** Run a shown plan, as the user edited it (tasks removed or renamed). */
  z.object({ type: z.literal('plan.run'), planId: id, plan: PlanShape }),
  /** Stops whatever is going: planning, or the current run. */
  z.object({ type: z.literal('run.cancel') }),
  z.object({ type: z.literal('task.retry'), runId: id, taskId: id }),
  z.object({
    type: z.literal('approval.respond'),
    id,
    /** `alwaysAllow` adds the prefix the host offered with the prompt; the webview never names one. */
    decision: z.enum(['approve', 'deny', 'alwaysAllow']),
  }),
  z.object({ type: z.literal('diff.open'), path: z.string().min(1).max(4096), runId: id.optional() }),
  z.object({ type: z.literal('run.undo'), runId: id }),
  /** Edits the plan under review; the host checks it and tells every view (plan.edited). */
  z.object({ type: z.literal('plan.edit'), planId: id, plan: PlanShape }),
  /** Goes on with a saved run: succeeded tasks kept, the others run again. */
  z.object({ type: z.literal('run.resume'), runId: id }),
  /** Reverts what one task wrote. */
  z.object({ type: z.literal('task.undo'), runId: id, taskId: id }),
  /** An over-budget task goes on with `tokens` more; a run stopped at its budget starts tasks again. */
  z.object({
    type: z.literal('task.continue'),
    runId: id,
    taskId: id,
    tokens: z.number().int().min(1).max(1_000_000_000),
  }),
  z.object({ type: z.literal('run.continue'), runId: id, tokens: z.number().int().min(1).max(1_000_000_000) }),
  /** Opens the plan graph in an editor tab. */
  z.object({ type: z.literal('graph.open') }),
  z.object({ type: z.literal('model.switch'), role: ModelRoleShape, model: z.string().min(1).max(512) }),
  z.object({ type: z.literal('history.open'), id }),
  z.object({ type: z.literal('history.delete'), id }),
  z.object({ type: z.literal('attachment.remove'), id }),
  z.object({ type: z.literal('health.check') }),
  /** A picker whose list could not be fetched was opened: the host lists the models again. */
  z.object({ type: z.literal('models.refresh') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

// Parsing

export type Parsed<T> = { ok: true; message: T } | { ok: false; error: string };

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
    .join('; ');
}

function typeOf(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const type = (data as { type?: unknown }).type;
  return typeof type === 'string' ? type : undefined;
}

/** Host side: validate a message received from the webview. Never throws. */
export function parseWebviewMessage(data: unknown): Parsed<WebviewMessage> {
  const type = typeOf(data);
  if (type === undefined) return { ok: false, error: 'not a message object with a string "type"' };
  const result = WebviewMessageSchema.safeParse(data);
  if (result.success) return { ok: true, message: result.data };
  const known = WebviewMessageSchema.options.some((option) => option.shape.type.value === type);
  return {
    ok: false,
    error: known ? `invalid "${type}": ${describe(result.error)}` : `unknown message type "${type}"`,
  };
}

function isHostMessageType(type: string): type is HostMessageType {
  return Object.prototype.hasOwnProperty.call(hostMessageShapes, type);
}

function keepValid<T>(items: unknown, shape: z.ZodType<T>): { kept?: T[]; dropped: string[] } {
  if (!Array.isArray(items)) return { dropped: [] };
  const kept: T[] = [];
  const dropped: string[] = [];
  for (const item of items) {
    const result = shape.safeParse(item);
    if (result.success) kept.push(result.data);
    else dropped.push(describe(result.error));
  }
  return { kept, dropped };
}

/**
 * Webview side: validate a message from the host. Never throws. Batched arrays keep
 * their valid items (a malformed event is dropped, with the reason in `dropped`).
 */
export function parseHostMessage(data: unknown): Parsed<HostMessage> & { dropped?: string[] } {
  const type = typeOf(data);
  if (type === undefined) return { ok: false, error: 'not a message object with a string "type"' };
  if (!isHostMessageType(type)) return { ok: false, error: `unknown message type "${type}"` };
  if (type === 'run.events') {
    const { kept, dropped } = keepValid((data as { events?: unknown }).events, RunEventShape);
    if (!kept) return { ok: false, error: 'invalid "run.events": events is not an array' };
    return { ok: true, message: { type, events: kept }, dropped };
  }
  const result = hostMessageShapes[type].safeParse(data);
  return result.success
    ? { ok: true, message: result.data }
    : { ok: false, error: `invalid "${type}": ${describe(result.error)}` };
}
