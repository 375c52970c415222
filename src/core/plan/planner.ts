// Request → plan. The model is asked for the plan's exact JSON shape; a messy answer is
// repaired, an invalid one gets one more ask quoting what was wrong, and when the model
// is missing, unreachable or still unusable the heuristic planner takes over and the
// user is told why. Only cancellation is not covered by a fallback: the user asked to stop.
import { ModelError, isAbortError, type ChatMessage, type ChatModel } from '../model/chat';
import { fallbackPlan } from './fallback-planner';
import { callModel, type CallOptions, type RetryPolicy } from '../model/model-call';
import type { PlanResult } from './plan';
import { parsePlanText } from './plan-parse';
import { estimateTokens, truncateToTokens } from '../text/tokens';
import { errorMessage } from '../text/error-message';

export interface PlanContext {
  selection?: { path: string; startLine: number; endLine: number; text: string };
  activeFile?: string;
  workspaceFiles?: string[];
  workspaceDescription?: string;
  /** MCP / VS Code tools workers can be given; the planner names those a task needs. */
  tools?: ReadonlyArray<{ name: string; description: string }>;
}

export interface PlannerOptions {
  /** Undefined when no planner model is configured or usable: the fallback plan is used. */
  model?: ChatModel;
  /** Why there is no model although one is configured (a probe found it unreachable), for the reason. */
  unusable?: string;
  maxTasks: number;
  temperature?: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
  /** Defaults to the model's known context window. */
  contextTokens?: number;
  /** Retries of a failed model call (network, timeout, 5xx); model-call.ts defaults. */
  retry?: Partial<RetryPolicy>;
  /** Told of the model failure behind a fallback, so a UI can offer its fix (e.g. Set API Key). */
  onModelError?: (error: unknown) => void;
  /** Told before a failed model call is tried again, so a wait is not silent. */
  onRetry?: CallOptions['onRetry'];
}

/** The request cannot be planned at all (e.g. it is empty); its message is for the user. */
export class PlanRequestError extends Error {
  override readonly name = 'PlanRequestError';
}

const PLAN_SHAPE =
  '{"tasks":[{"id":"t1","title":"Short imperative title","description":"What to do, in enough detail to do it without seeing the other tasks","dependsOn":[],"files":["path/relative/to/workspace.ext"]}]}';
/** Ends every fallback reason, whichever host found the planner unusable. */
export const FALLBACK_SUFFIX =
  'Rozet made a simple plan from the wording of your request instead; review it before running.';
const MAX_LISTED_FILES = 200;

export async function planTask(request: string, context: PlanContext, options: PlannerOptions): Promise<PlanResult> {
  if (!request.trim()) {
    throw new PlanRequestError(
      'The request is empty. Describe what you want done, e.g. "add a --verbose flag to the CLI and tests for it".',
    );
  }
  const { model } = options;
  const fallback = (reason: string, notes: string[] = []): PlanResult => ({
    plan: fallbackPlan(request, context, { maxTasks: options.maxTasks }),
    source: 'fallback',
    reason,
    notes,
  });
  if (!model) {
    return fallback(
      options.unusable
        ? `The planner model cannot be used: ${options.unusable} ${FALLBACK_SUFFIX}`
        : `No planner model is configured (rozet.orchestrator.provider and rozet.orchestrator.model). ${FALLBACK_SUFFIX}`,
    );
  }

  const budget = promptBudget(options.contextTokens ?? model.capabilities.contextTokens, options.maxTasks);
  const system = buildPlannerSystemPrompt(options.maxTasks);
  const prompt = buildPlannerPrompt(request, context, budget.promptTokens - estimateTokens(system));
  const messages: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: prompt.text },
  ];

  try {
    const first = await ask(model, messages, options, budget.outputTokens);
    const parsed = parsePlanText(first.content, { maxTasks: options.maxTasks });
    if (parsed.ok) return { plan: parsed.plan, source: 'llm', notes: [...prompt.notes, ...parsed.repairs] };

    const error = explain(parsed.error, first.finishReason);
    messages.push(
      { role: 'assistant', content: truncateToTokens(first.content, budget.retryTokens, 'your previous answer').text },
      {
        role: 'user',
        content: `Your answer could not be used: ${error}\nAnswer again with only the JSON object, exactly in this shape:\n${PLAN_SHAPE}`,
      },
    );
    const second = await ask(model, messages, options, budget.outputTokens);
    const retried = parsePlanText(second.content, { maxTasks: options.maxTasks });
    if (retried.ok) return { plan: retried.plan, source: 'llm', notes: [...prompt.notes, ...retried.repairs] };
    return fallback(
      `The planner model's answer could not be used, even when asked again: ${explain(retried.error, second.finishReason)} ${FALLBACK_SUFFIX}`,
      prompt.notes,
    );
  } catch (error) {
    if (options.signal?.aborted || isAbortError(error))
      throw new ModelError('cancelled', 'Planning was cancelled.', { provider: model.provider, cause: error });
    const message = errorMessage(error);
    options.onModelError?.(error);
    return fallback(
      `The planner model (${model.provider} "${model.model}") failed: ${message} ${FALLBACK_SUFFIX}`,
      prompt.notes,
    );
  }
}

async function ask(model: ChatModel, messages: ChatMessage[], options: PlannerOptions, maxOutputTokens: number) {
  const response = await callModel(
    model,
    {
      messages,
      temperature: options.temperature,
      json: true,
      maxOutputTokens,
      signal: options.signal,
      onDelta: options.onDelta ? (delta) => delta.text && options.onDelta?.(delta.text) : undefined,
    },
    {
      idleTimeoutMs: options.idleTimeoutMs,
      idleSetting: 'rozet.orchestrator.idleTimeoutSeconds',
      retry: options.retry,
      onRetry: options.onRetry,
    },
  );
  // A provider that finished despite an abort must not turn a cancel into a plan.
  if (options.signal?.aborted)
    throw new ModelError('cancelled', 'Planning was cancelled.', { provider: model.provider });
  return response;
}

function explain(error: string, finishReason: string): string {
  return finishReason === 'length'
    ? `${error} (The answer was cut off at the output limit: use fewer, shorter tasks.)`
    : error;
}

/**
 * How the model's context is shared: the answer needs room (a plan of many tasks is
 * long), and a second ask repeats the first answer, so both are set aside before the
 * prompt gets the rest.
 */
function promptBudget(
  contextTokens: number,
  maxTasks: number,
): { promptTokens: number; outputTokens: number; retryTokens: number } {
  const outputTokens = Math.max(256, Math.min(8192, 150 * maxTasks, Math.floor(contextTokens / 4)));
  const retryTokens = Math.max(128, Math.min(2048, Math.floor(contextTokens / 8)));
  return { promptTokens: Math.max(256, contextTokens - outputTokens - retryTokens - 300), outputTokens, retryTokens };
}

export function buildPlannerSystemPrompt(maxTasks: number): string {
  return [
    'You are the planner of Rozet, a coding assistant that carries out a request with several worker agents working in parallel in the same workspace.',
    "Split the user's request into tasks. Answer with one JSON object and nothing else: no prose, no markdown fences. The exact shape:",
    PLAN_SHAPE,
    'Rules:',
    '- ids are "t1", "t2", … and unique.',
    "- dependsOn lists the ids of tasks that must finish before this one starts. Tasks that do not depend on each other run at the same time, so add a dependency only when a task needs another task's result. No cycles.",
    '- files lists the workspace-relative paths the task will create or change; tasks sharing a file never run at the same time.',
    '- Each worker sees only its own task: the description must say everything it needs (names, behaviour, where the code goes).',
    `- Use as few tasks as the work needs (one for a small change), at most ${maxTasks}.`,
    '- When the request asks for tests, make a test task that depends on the code it tests.',
  ].join('\n');
}

/** The user turn: request, selection, active file and a bounded workspace summary, trimmed to `maxTokens`. */
export function buildPlannerPrompt(
  request: string,
  context: PlanContext,
  maxTokens: number,
): { text: string; notes: string[] } {
  const notes: string[] = [];
  let available = Math.max(64, maxTokens);
  const take = (text: string, cap: number, what: string, note: string): string => {
    const cut = truncateToTokens(text, Math.max(16, Math.floor(cap)), what);
    if (cut.truncated) notes.push(note);
    available -= estimateTokens(cut.text);
    return cut.text;
  };

  const parts: string[] = [];
  const req = take(
    request.trim(),
    available * 0.6,
    'the request',
    "Your request was too long for the planner model's context and was shortened in the middle; the planner saw its beginning and end.",
  );
  parts.push(`Request:\n${req}`);
  if (context.selection) {
    const { path, startLine, endLine, text } = context.selection;
    const sel = take(
      text,
      available * 0.75,
      'the selection',
      `The selected text (${path}) was shortened to fit the planner model's context.`,
    );
    parts.push(`Selected code in ${path}, lines ${startLine}–${endLine}:\n${sel}`);
  }
  if (context.activeFile) parts.push(`Active file: ${context.activeFile}`);
  if (context.workspaceDescription) {
    const desc = take(
      context.workspaceDescription,
      available / 3,
      'the workspace description',
      "The workspace description was shortened to fit the planner model's context.",
    );
    parts.push(`About the workspace:\n${desc}`);
  }
  if (context.workspaceFiles?.length) parts.push(fileSummary(context.workspaceFiles, Math.min(available, 2000)));
  if (context.tools?.length) parts.push(toolSummary(context.tools, Math.min(available, 1500)));
  parts.push('Answer with the JSON plan only.');
  return { text: parts.join('\n\n'), notes };
}

function toolSummary(tools: NonNullable<PlanContext['tools']>, maxTokens: number): string {
  const lines: string[] = [];
  let used = 0;
  for (const tool of tools) {
    const line = `- ${tool.name}: ${tool.description.split('\n')[0].slice(0, 160)}`;
    used += estimateTokens(line) + 1;
    if (used > maxTokens) break;
    lines.push(line);
  }
  return [
    'Besides their own file, search and command tools, workers can be given these tools. When a task needs some, list their names in that task\'s "tools" array (e.g. "tools": ["' +
      tools[0].name +
      '"]); leave "tools" out otherwise:',
    ...lines,
  ].join('\n');
}

function fileSummary(files: readonly string[], maxTokens: number): string {
  const listed: string[] = [];
  let used = 0;
  for (const file of files.slice(0, MAX_LISTED_FILES)) {
    const cost = estimateTokens(file) + 1;
    if (used + cost > maxTokens) break;
    listed.push(file);
    used += cost;
  }
  const more = files.length > listed.length ? `\n(and ${files.length - listed.length} more)` : '';
  return `Workspace files (${files.length}):\n${listed.join('\n')}${more}`;
}
