// The tools workers call (DESIGN §3): their specs as models see them, their argument
// schemas (zod, so a wrong type becomes a tool error the model can correct), and their
// dispatch onto Workspace/Shell with approvals and file locks. A tool never throws at the
// worker except for cancellation: everything else comes back as `{ ok: false, output }`.
import { z } from 'zod';
import { isAbortError, ModelError, type ToolSpec } from '../model/chat';
import type { Task } from '../plan/plan';
import { decideCommand, parseAllowlist, type BashApproval } from './command-policy';
import type { FileLocks } from '../run/file-locks';
import { describeIssues } from '../text/json-extract';
import type { CodeSearch } from '../search/code-search';
import { externalSpecs, runExternalTool, toolsForTask, type ExternalTools } from './external-tools';
import { isProtectedPath } from './protected-paths';
import { SEARCH_ARGS, SEARCH_DESCRIPTIONS, SEARCH_HANDLERS } from './search';
import { ToolError, type Approver, type Shell, type Workspace } from '../workspace/workspace';

export type WriteApproval = 'auto' | 'ask';

export interface ToolPolicy {
  bashApproval: BashApproval;
  /** rozet.bash.allowlist as configured; anything malformed makes every command ask. */
  allowlist: unknown;
  writeApproval: WriteApproval;
}

export interface ToolContext {
  taskId: string;
  workspace: Workspace;
  shell: Shell;
  approver: Approver;
  locks: FileLocks;
  policy: ToolPolicy;
  /** "Always allow" prefixes chosen during this run; shared by all workers, grows. */
  sessionAllowlist: string[];
  bashTimeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Behind search_files and find_files; without it those tools are not offered. */
  search?: CodeSearch;
  /** MCP / VS Code tools, when rozet.mcp.enabled. */
  external?: ExternalTools;
}

export interface ToolResult {
  ok: boolean;
  /** What the model sees. */
  output: string;
  /** Workspace-relative path written, when a write happened. */
  fileChanged?: string;
  /** The command, when one ran. */
  command?: string;
}

const ARGS = {
  read_file: z.object({ path: z.string().min(1).describe('File path relative to the workspace root.') }),
  write_file: z.object({
    path: z.string().min(1).describe('File path relative to the workspace root; parent folders are created.'),
    content: z.string().describe('The complete new content of the file.'),
  }),
  replace_in_file: z.object({
    path: z.string().min(1).describe('File path relative to the workspace root.'),
    old_string: z.string().min(1).describe('Exact text to find, including enough surrounding lines to be unique.'),
    new_string: z.string().describe('Text to put in its place.'),
    replace_all: z.boolean().optional().describe('Replace every occurrence instead of exactly one.'),
  }),
  execute_bash: z.object({ command: z.string().min(1).describe('One shell command, run in the workspace root.') }),
  list_files: z.object({
    path: z.string().optional().describe('Folder relative to the workspace root; default the root.'),
    recursive: z
      .boolean()
      .optional()
      .describe('List sub-folders too (bounded; ignores node_modules, .git and .gitignored files).'),
  }),
  ...SEARCH_ARGS,
} as const;

export type ToolName = keyof typeof ARGS;

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file: 'Read a text file of the workspace.',
  write_file: 'Create or overwrite a file with the complete content given.',
  replace_in_file:
    'Edit a file by replacing an exact piece of its text; cheaper and safer than rewriting a large file.',
  execute_bash:
    'Run a shell command in the workspace root (the user may be asked first). Returns its exit code and output.',
  list_files: 'List files and folders of the workspace.',
  ...SEARCH_DESCRIPTIONS,
};

export const TOOL_NAMES = Object.keys(ARGS) as ToolName[];

export const TOOL_SPECS: ToolSpec[] = TOOL_NAMES.map((name) => {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(ARGS[name]) as Record<string, unknown>;
  return { name, description: DESCRIPTIONS[name], parameters };
});

/** The tools one worker is offered: search only where there is a search, and the external tools its task gets. */
export function toolSpecsFor(ctx: ToolContext, task: Pick<Task, 'tools'>): ToolSpec[] {
  const builtIn = ctx.search ? TOOL_SPECS : TOOL_SPECS.filter((spec) => !(spec.name in SEARCH_ARGS));
  return [...builtIn, ...externalSpecs(toolsForTask(ctx.external, task))];
}

export function isToolName(name: string): name is ToolName {
  return Object.prototype.hasOwnProperty.call(ARGS, name);
}

export async function runTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  try {
    if (!isToolName(name))
      return (
        (await runExternalTool(name, args, ctx)) ?? {
          ok: false,
          output: `Unknown tool "${name}". Available tools: ${[...TOOL_NAMES, ...(ctx.external?.host.tools.map((t) => t.name) ?? [])].join(', ')}.`,
        }
      );
    const parsed = ARGS[name].safeParse(args);
    if (!parsed.success)
      return {
        ok: false,
        output: `Invalid arguments for ${name}: ${describeIssues(parsed.error.issues)} Expected ${JSON.stringify(TOOL_SPECS.find((s) => s.name === name)?.parameters)}.`,
      };
    // Each handler takes its own schema's output; the map guarantees they correspond.
    const handler = HANDLERS[name] as (args: unknown, ctx: ToolContext) => Promise<ToolResult>;
    return await handler(parsed.data, ctx);
  } catch (error) {
    if (isAbortError(error) || ctx.signal?.aborted)
      throw error instanceof ModelError ? error : new ModelError('cancelled', 'Cancelled.', { cause: error });
    if (error instanceof ToolError) return { ok: false, output: error.message };
    return { ok: false, output: `${name} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readFile(args: z.infer<typeof ARGS.read_file>, ctx: ToolContext): Promise<ToolResult> {
  const result = await ctx.workspace.read(args.path, ctx.signal);
  const note = result.truncated
    ? `\n[… file truncated: only its start is shown; use execute_bash (e.g. sed -n) for other parts …]`
    : '';
  return { ok: true, output: result.content + note };
}

async function writeFile(args: z.infer<typeof ARGS.write_file>, ctx: ToolContext): Promise<ToolResult> {
  const key = ctx.workspace.lockKey(args.path);
  await approveWrite(args.path, key, ctx);
  const result = await ctx.locks.withLocks(
    [key],
    () => ctx.workspace.write(args.path, args.content, ctx.signal),
    ctx.signal,
  );
  return {
    ok: true,
    output: `${result.created ? 'Created' : 'Wrote'} ${args.path} (${result.bytes} bytes).`,
    fileChanged: args.path,
  };
}

async function replaceInFile(args: z.infer<typeof ARGS.replace_in_file>, ctx: ToolContext): Promise<ToolResult> {
  const key = ctx.workspace.lockKey(args.path);
  await approveWrite(args.path, key, ctx);
  // The lock spans read and write: a concurrent edit can neither slip in between nor be lost.
  return ctx.locks.withLocks(
    [key],
    async () => {
      const current = await ctx.workspace.read(args.path, ctx.signal);
      if (current.truncated) throw new ToolError(`${args.path} is too large to edit in place; nothing was changed.`);
      let { old_string: find, new_string: replacement } = args;
      if (!current.content.includes(find) && current.content.includes('\r\n')) {
        find = find.replace(/\r?\n/g, '\r\n');
        replacement = replacement.replace(/\r?\n/g, '\r\n');
      }
      const count = current.content.split(find).length - 1;
      if (count === 0)
        throw new ToolError(
          `old_string was not found in ${args.path}; read the file again and copy the text exactly. Nothing was changed.`,
        );
      if (count > 1 && !args.replace_all)
        throw new ToolError(
          `old_string occurs ${count} times in ${args.path}; include more surrounding text or set replace_all. Nothing was changed.`,
        );
      const next = args.replace_all
        ? current.content.split(find).join(replacement)
        : current.content.replace(find, () => replacement);
      await ctx.workspace.write(args.path, next, ctx.signal);
      return {
        ok: true,
        output: `Replaced ${args.replace_all ? count : 1} occurrence(s) in ${args.path}.`,
        fileChanged: args.path,
      };
    },
    ctx.signal,
  );
}

async function executeBash(args: z.infer<typeof ARGS.execute_bash>, ctx: ToolContext): Promise<ToolResult> {
  const decision = decideCommand(args.command, {
    mode: ctx.policy.bashApproval,
    allowlist: ctx.policy.allowlist,
    sessionAllowlist: ctx.sessionAllowlist,
  });
  if (decision.action === 'deny') throw new ToolError(`Command not run: ${decision.reason}`);
  if (decision.action === 'ask') {
    const answer = await ctx.approver.approve(
      { kind: 'command', taskId: ctx.taskId, subject: args.command, reason: decision.reason },
      ctx.signal,
    );
    if (!answer.approved)
      throw new ToolError(
        `The user declined to run this command${answer.message ? `: ${answer.message}` : '.'} Do not try the same command again.`,
      );
    if (answer.alwaysAllowPrefix && parseAllowlist([answer.alwaysAllowPrefix]))
      ctx.sessionAllowlist.push(answer.alwaysAllowPrefix);
  }
  const result = await ctx.shell.run(args.command, {
    timeoutMs: ctx.bashTimeoutMs,
    maxOutputBytes: ctx.maxOutputBytes,
    signal: ctx.signal,
  });
  if (result.cancelled) throw new ModelError('cancelled', 'Cancelled.');
  const status = result.timedOut
    ? `killed after ${Math.round(ctx.bashTimeoutMs / 1000)} s (timeout)`
    : `exit code ${result.exitCode}`;
  return {
    ok: result.exitCode === 0 && !result.timedOut,
    output: `[${status}]\n${result.output}`,
    command: args.command,
  };
}

async function listFiles(args: z.infer<typeof ARGS.list_files>, ctx: ToolContext): Promise<ToolResult> {
  const result = await ctx.workspace.list(args.path ?? '.', args.recursive ?? false, ctx.signal);
  const lines = result.entries.map((e) => (e.type === 'dir' ? `${e.path}/` : e.path));
  if (result.truncated) lines.push('[… listing truncated; list a sub-folder to see more …]');
  return { ok: true, output: lines.length ? lines.join('\n') : '(empty)' };
}

const HANDLERS: { [K in ToolName]: (args: z.infer<(typeof ARGS)[K]>, ctx: ToolContext) => Promise<ToolResult> } = {
  read_file: readFile,
  write_file: writeFile,
  replace_in_file: replaceInFile,
  execute_bash: executeBash,
  list_files: listFiles,
  ...SEARCH_HANDLERS,
};

async function approveWrite(path: string, key: string, ctx: ToolContext): Promise<void> {
  const protectedPath = isProtectedPath(path, key);
  if (!protectedPath && ctx.policy.writeApproval === 'auto') return;
  const reason = protectedPath
    ? 'protected path (editor, git, CI or Rozet settings, or secrets)'
    : 'rozet.write.approval = ask';
  const answer = await ctx.approver.approve({ kind: 'write', taskId: ctx.taskId, subject: path, reason }, ctx.signal);
  if (!answer.approved)
    throw new ToolError(
      `The user declined writing ${path}${answer.message ? `: ${answer.message}` : '.'} Nothing was written.`,
    );
}
