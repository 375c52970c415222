// The tools workers call (DESIGN §3): their specs as models see them, their argument
// schemas (zod, so a wrong type becomes a tool error the model can correct), and their
// dispatch onto Workspace/Shell with approvals and file locks. A tool never throws at the
// worker except for cancellation: everything else comes back as `{ ok: false, output }`.
import { z } from 'zod';
import { isAbortError, ModelError, type ToolSpec } from '../model/chat';
import type { BashApproval } from './command-policy';
import { executeBash } from './execute-bash';
import type { FileLocks } from '../run/file-locks';
import { describeIssues } from '../text/json-extract';
import { isProtectedPath, isSecretFile } from './protected-paths';
import type { RunWrites } from './redirects';
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
  /** What this run has written, shared by all workers (see redirects.ts). */
  runWrites: RunWrites;
  bashTimeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
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
};

export const TOOL_NAMES = Object.keys(ARGS) as ToolName[];

export const TOOL_SPECS: ToolSpec[] = TOOL_NAMES.map((name) => {
  const { $schema: _schema, ...parameters } = z.toJSONSchema(ARGS[name]) as Record<string, unknown>;
  return { name, description: DESCRIPTIONS[name], parameters };
});

export function isToolName(name: string): name is ToolName {
  return Object.prototype.hasOwnProperty.call(ARGS, name);
}

export async function runTool(name: string, args: unknown, ctx: ToolContext): Promise<ToolResult> {
  try {
    if (!isToolName(name))
      return { ok: false, output: `Unknown tool "${name}". Available tools: ${TOOL_NAMES.join(', ')}.` };
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
    return { ok: false, output: `${name} failed: ${error instanceof Error ? error.message : String(error)}` };
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
