// The tools workers call (docs/ARCHITECTURE.md, "Tools"): their specs as models see them,
// their argument schemas (zod, so a wrong type becomes a tool error the model can
// correct), and their dispatch onto Workspace/Shell with approvals and file locks. A tool
// never throws at the worker except for cancellation: everything else comes back as
// `{ ok: false, output }`.
import { z } from 'zod';
import { isAbortError, ModelError, type ToolSpec } from '../model/chat';
import type { Task } from '../plan/plan';
import type { BashApproval } from './command-policy';
import { executeBash } from './execute-bash';
import type { FileLocks } from '../run/file-locks';
import type { FileOwnership, ReadVersions } from '../run/file-ownership';
import { describeIssues } from '../text/json-extract';
import type { CodeSearch } from '../search/code-search';
import { externalSpecs, runExternalTool, toolsForTask, type ExternalTools } from './external-tools';
import { isProtectedPath, isSecretFile } from './protected-paths';
import type { RunWrites } from './redirects';
import { SEARCH_ARGS, SEARCH_DESCRIPTIONS, SEARCH_HANDLERS } from './search';
import { ToolError, type Approver, type Shell, type Workspace } from '../workspace/workspace';
import { errorMessage } from '../text/error-message';

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
  /** What this run has written, shared by all workers (see redirects.ts). */
  runWrites: RunWrites;
  bashTimeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** Who may write which file in this run (absent for a lone tool call outside a run). */
  ownership?: FileOwnership;
  /** What this task last read or wrote of each file. */
  versions?: ReadVersions;
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
    const result = await handler(parsed.data, ctx);
    if (result.fileChanged) ctx.runWrites.paths.add(result.fileChanged);
    return result;
  } catch (error) {
    if (isAbortError(error) || ctx.signal?.aborted)
      throw error instanceof ModelError ? error : new ModelError('cancelled', 'Cancelled.', { cause: error });
    if (error instanceof ToolError) return { ok: false, output: error.message };
    return { ok: false, output: `${name} failed: ${errorMessage(error)}` };
  }
}

async function readFile(args: z.infer<typeof ARGS.read_file>, ctx: ToolContext): Promise<ToolResult> {
  const result = await ctx.workspace.read(args.path, ctx.signal);
  // Secrets (.env, keys, an .npmrc with a token) reach the model only if the user agrees.
  if (isSecretFile([args.path, ctx.workspace.lockKey(args.path)], result.content)) {
    const answer = await ctx.approver.approve(
      { kind: 'read', taskId: ctx.taskId, subject: args.path, reason: 'the file may hold secrets (keys, passwords)' },
      ctx.signal,
    );
    if (!answer.approved)
      throw new ToolError(
        `The user declined sending ${args.path} to the model${answer.message ? `: ${answer.message}` : '.'} Do not try to read it another way.`,
      );
  }
  ctx.versions?.remember(ctx.workspace.lockKey(args.path), result.content);
  const note = result.truncated
    ? `\n[… file truncated: only its start is shown; use execute_bash (e.g. sed -n) for other parts …]`
    : '';
  return { ok: true, output: result.content + note };
}

async function writeFile(args: z.infer<typeof ARGS.write_file>, ctx: ToolContext): Promise<ToolResult> {
  return guardedWrite(args.path, ctx, async (key) => {
    checkFresh(args.path, key, await currentText(args.path, ctx), ctx);
    const result = await ctx.workspace.write(args.path, args.content, ctx.signal);
    return `${result.created ? 'Created' : 'Wrote'} ${args.path} (${result.bytes} bytes).`;
  });
}

/**
 * A write to `path` by this task: owner checked, approval asked, then `write` under the
 * path's lock, which spans its read and write so a concurrent edit can neither slip in
 * between nor be lost. Ownership is checked again under the lock: another task may have
 * claimed the file meanwhile.
 */
async function guardedWrite(
  path: string,
  ctx: ToolContext,
  write: (key: string) => Promise<string>,
): Promise<ToolResult> {
  const key = ctx.workspace.lockKey(path);
  checkOwner(path, key, ctx);
  await approveWrite(path, key, ctx);
  return ctx.locks.withLocks(
    [key],
    async () => {
      checkOwner(path, key, ctx);
      const output = await write(key);
      await wrote(path, key, ctx);
      return { ok: true, output, fileChanged: path };
    },
    ctx.signal,
  );
}

async function replaceInFile(args: z.infer<typeof ARGS.replace_in_file>, ctx: ToolContext): Promise<ToolResult> {
  return guardedWrite(args.path, ctx, async (key) => {
    const current = await ctx.workspace.read(args.path, ctx.signal);
    if (current.truncated) throw new ToolError(`${args.path} is too large to edit in place; nothing was changed.`);
    checkFresh(args.path, key, current.content, ctx);
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
    return `Replaced ${args.replace_all ? count : 1} occurrence(s) in ${args.path}.`;
  });
}

function checkOwner(path: string, key: string, ctx: ToolContext): void {
  const refusal = ctx.ownership?.refusal(ctx.taskId, key, path);
  if (refusal) throw new ToolError(refusal);
}

/** The file's text now, or undefined when there is none to protect (new, binary). */
async function currentText(path: string, ctx: ToolContext): Promise<string | undefined> {
  if (!ctx.versions) return undefined;
  try {
    return (await ctx.workspace.read(path, ctx.signal)).content;
  } catch (error) {
    if (error instanceof ToolError) return undefined;
    throw error;
  }
}

/** Refuses a write based on text older than the file's (see FileOwnership). */
function checkFresh(path: string, key: string, current: string | undefined, ctx: ToolContext): void {
  if (current === undefined || !ctx.versions) return;
  const same = ctx.versions.matches(key, current);
  const by = ctx.ownership?.writtenBy(key, ctx.versions.startedAt, ctx.taskId);
  const who = by && ctx.ownership ? ctx.ownership.name(by) : undefined;
  if (same === false) {
    throw new ToolError(
      `${path} changed since this task read it${who ? ` (${who} wrote it)` : ''}. Nothing was written: read it again with read_file and make your change on the current text.`,
    );
  }
  if (same === undefined && who) {
    throw new ToolError(
      `${path} was written by ${who} after this task started, and this task has not read it. Nothing was written: read it with read_file first, then make your change on the current text.`,
    );
  }
}

async function wrote(path: string, key: string, ctx: ToolContext): Promise<void> {
  ctx.ownership?.wrote(ctx.taskId, key);
  // What the file holds now (line endings and encoding kept by the workspace), so the
  // task's next edit of it is not mistaken for one based on old text.
  const text = await currentText(path, ctx);
  if (text !== undefined) ctx.versions?.remember(key, text);
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
