// Tools from outside Rozet: the tools of MCP servers (the CLI) and the language-model
// tools VS Code knows (the extension). Workers call them like their own tools, under
// names models accept. What they may do is the user's choice alone: a tool the user
// allowed (rozet.mcp.allow, a user-level setting) runs; any other asks, as a command
// does. A result is bounded and scrubbed of secrets before anyone sees it, and a server
// that fails or never answers becomes a tool error the worker can go on from.
import type { ToolSpec } from '../model/chat';
import type { Task } from '../plan/plan';
import type { Redactor } from '../text/redact';
import { truncateToTokens } from '../text/tokens';
import { ToolError } from '../workspace/workspace';
import type { ToolContext, ToolResult } from './tools';
import { errorMessage } from '../text/error-message';

export interface ExternalTool {
  /** The name models see: letters, digits, `_` and `-`, at most 64 characters, unique. */
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
  /** The MCP server it belongs to (`vscode` for the tools VS Code knows). */
  server: string;
  /** The tool's own name at its server. */
  tool: string;
}

export interface ExternalCallResult {
  text: string;
  /** The tool itself reported a failure. */
  isError: boolean;
}

export interface ExternalToolHost {
  readonly tools: readonly ExternalTool[];
  call(tool: ExternalTool, args: unknown, signal: AbortSignal): Promise<ExternalCallResult>;
}

export interface ExternalTools {
  host: ExternalToolHost;
  /** rozet.mcp.allow: model-facing names, `server/tool` or `server/*`. */
  allow: readonly string[];
  timeoutMs: number;
  /** Knows the secrets results must not carry (e.g. the environment given to MCP servers). */
  redactor: Redactor;
  /** Tools the user chose "always" for during this run; shared by all its workers. */
  sessionAllowed: Set<string>;
}

/** Tools a worker is offered without being named when there are at most this many. */
const OFFER_ALL_UP_TO = 16;
/** More tool definitions than this crowd a small model's context out. */
const MAX_OFFERED = 32;
const MAX_NAME = 64;

export function isAllowed(tool: ExternalTool, allow: readonly string[]): boolean {
  return allow.some((rule) => {
    const entry = rule.trim();
    return entry === tool.name || entry === `${tool.server}/${tool.tool}` || entry === `${tool.server}/*`;
  });
}

/**
 * What one task's worker is offered: the tools its plan entry names and the tools the
 * user allowed; when it names none and the user allowed none, every tool if there are few.
 */
export function toolsForTask(external: ExternalTools | undefined, task: Pick<Task, 'tools'>): ExternalTool[] {
  if (!external) return [];
  const all = external.host.tools;
  const named = task.tools ?? [];
  const chosen = all.filter((t) => isAllowed(t, named) || isAllowed(t, external.allow));
  if (chosen.length === 0 && named.length === 0 && all.length <= OFFER_ALL_UP_TO) return [...all];
  return chosen.slice(0, MAX_OFFERED);
}

export function externalSpecs(tools: readonly ExternalTool[]): ToolSpec[] {
  return tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters }));
}

/**
 * A model-facing name for each tool: `prefix_server_tool` cut to the providers' rules
 * ([a-zA-Z0-9_-], 64 characters), made unique with a numbered suffix.
 */
export function modelFacingNames(
  tools: ReadonlyArray<{ server: string; tool: string }>,
  prefix: string,
  taken: readonly string[],
): string[] {
  const used = new Set(taken);
  return tools.map(({ server, tool }) => {
    const base = [prefix, server, tool]
      .filter(Boolean)
      .join('_')
      .replace(/[^a-zA-Z0-9_-]+/g, '_')
      .slice(0, MAX_NAME);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, MAX_NAME - String(n).length - 1)}_${n}`;
    used.add(name);
    return name;
  });
}

/** Runs an external tool, or returns undefined when `name` is none of them. */
export async function runExternalTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult | undefined> {
  const external = ctx.external;
  const tool = external?.host.tools.find((t) => t.name === name);
  if (!external || !tool) return undefined;
  if (!isAllowed(tool, external.allow) && !external.sessionAllowed.has(tool.name)) {
    const shown = JSON.stringify(args ?? {});
    const answer = await ctx.approver.approve(
      {
        kind: 'tool',
        taskId: ctx.taskId,
        subject: `${tool.name} ${shown.length > 2000 ? `${shown.slice(0, 2000)}…` : shown}`,
        reason: `${tool.server === 'vscode' ? 'a VS Code tool' : `a tool of the MCP server "${tool.server}"`} that rozet.mcp.allow does not list`,
      },
      ctx.signal,
    );
    if (!answer.approved)
      throw new ToolError(
        `The user declined calling ${tool.name}${answer.message ? `: ${answer.message}` : '.'} Do not call it again with the same arguments.`,
      );
    if (answer.alwaysAllowPrefix !== undefined) external.sessionAllowed.add(tool.name);
  }
  const { text, isError } = await callBounded(tool, args, external, ctx.signal);
  const bounded = truncateToTokens(external.redactor.redact(text), Math.floor(ctx.maxOutputBytes / 3), 'tool output');
  return { ok: !isError, output: bounded.text || '(no output)' };
}

/** The call, abandoned at the timeout even when the server ignores cancellation. */
async function callBounded(
  tool: ExternalTool,
  args: unknown,
  external: ExternalTools,
  signal: AbortSignal | undefined,
): Promise<ExternalCallResult> {
  const timeout = AbortSignal.timeout(external.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let onAbort: (() => void) | undefined;
  const abandoned = new Promise<never>((_, reject) => {
    onAbort = () => reject(combined.reason);
    combined.addEventListener('abort', onAbort, { once: true });
  });
  const where = tool.server === 'vscode' ? 'VS Code' : `The MCP server "${tool.server}"`;
  try {
    return await Promise.race([external.host.call(tool, args, combined), abandoned]);
  } catch (error) {
    if (signal?.aborted) throw error;
    if (timeout.aborted)
      throw new ToolError(
        `${where} did not answer ${tool.tool} within ${Math.round(external.timeoutMs / 1000)} s; the call was abandoned. Go on without this tool.`,
      );
    const message = external.redactor.redact(errorMessage(error));
    throw new ToolError(
      `${where} failed to run ${tool.tool}: ${message}. Go on without this tool if it keeps failing.`,
    );
  } finally {
    if (onAbort) combined.removeEventListener('abort', onAbort);
  }
}
