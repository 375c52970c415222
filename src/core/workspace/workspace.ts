// The world as workers see it. The CLI and tests use the node:fs implementation; the
// extension implements the same interfaces over workspace.fs and WorkspaceEdit.

export interface ReadResult {
  content: string;
  /** True when the file was larger than the read limit and the content was cut. */
  truncated: boolean;
  /** Opaque version of what was read; a later write may be checked against it. */
  version?: string;
}

export interface WriteResult {
  created: boolean;
  bytes: number;
}

export interface ListEntry {
  /** Workspace-relative path with forward slashes. */
  path: string;
  type: 'file' | 'dir';
}

export interface ListResult {
  entries: ListEntry[];
  truncated: boolean;
}

export interface StatResult {
  type: 'file' | 'dir';
  size: number;
  /** Last modification, in ms since the epoch. */
  mtimeMs?: number;
}

export interface Workspace {
  /** Shown to models and users (absolute root, or the names of a multi-root workspace). */
  readonly description: string;
  read(path: string, signal?: AbortSignal): Promise<ReadResult>;
  write(path: string, content: string, signal?: AbortSignal): Promise<WriteResult>;
  list(path: string, recursive: boolean, signal?: AbortSignal): Promise<ListResult>;
  stat(path: string): Promise<StatResult | undefined>;
  /** The normalised key a path is locked under (throws a ToolError if it escapes). */
  lockKey(path: string): string;
}

export interface ShellResult {
  exitCode: number | null;
  /** stdout and stderr interleaved; head and tail kept when over the cap. */
  output: string;
  truncated: boolean;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  /**
   * Rozet's remarks on this run of the command, shown after its output: the sandbox it ran
   * in (on a run's first command), or that it probably failed for want of network.
   */
  notes?: string[];
  /**
   * Protected paths (workspace-relative) that did not exist before the command and do
   * now: a sandbox can keep existing ones read-only but cannot stop a new one appearing.
   */
  createdProtected?: string[];
}

export interface ShellOptions {
  cwd?: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface Shell {
  run(command: string, options: ShellOptions): Promise<ShellResult>;
  /** True when commands run in an OS sandbox (see src/core/sandbox). */
  readonly sandboxed?: boolean;
  /** Set when no command may run at all, with why and what to do (rozet.bash.sandbox = required). */
  readonly refusal?: string;
  /** How commands run here, in a sentence (sandboxed or not, network), for the user who is asked. */
  readonly confinement?: string;
  /** Removes paths a command created that the user did not want kept (createdProtected). */
  discard?(paths: readonly string[]): Promise<void>;
}

export interface ApprovalRequest {
  /**
   * `read`: a file that may hold secrets (.env, keys), before its text goes to the model.
   * `tool`: an MCP or VS Code tool that rozet.mcp.allow does not list.
   */
  kind: 'command' | 'write' | 'read' | 'tool';
  taskId: string;
  /** The exact command, the path to be written or read, or the tool's name and its arguments. */
  subject: string;
  /** Why the user is asked (e.g. "protected path", "not on the allowlist"). */
  reason: string;
  /** For a command: how it would run (the shell's confinement), so the user knows what a yes allows. */
  where?: string;
}

export interface ApprovalDecision {
  approved: boolean;
  /** "Always allow this prefix": the prefix the user chose to allow from now on. */
  alwaysAllowPrefix?: string;
  /** Shown to the model when denied. */
  message?: string;
}

export interface Approver {
  approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision>;
}

/** A tool failure the model should see as the tool's result (never a crash). */
export class ToolError extends Error {
  override readonly name = 'ToolError';
}
