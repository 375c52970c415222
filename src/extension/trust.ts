// Workspace Trust (docs/ARCHITECTURE.md, "Security invariants"): in an untrusted
// workspace Rozet still plans and reads, but workers can neither write nor run commands.
// The refusal reaches the model as a tool error and the user sees why and how to trust
// the folder.
import * as vscode from 'vscode';
import {
  ToolError,
  type Shell,
  type ShellOptions,
  type ShellResult,
  type Workspace,
} from '../core/workspace/workspace';

export const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so Rozet may plan and read but not write files or run commands. To allow it, run "Workspaces: Manage Workspace Trust" and trust this folder, then run the plan again.';

export function trustGuardedWorkspace(
  inner: Workspace,
  isTrusted: () => boolean = () => vscode.workspace.isTrusted,
): Workspace {
  return {
    description: inner.description,
    read: (path, signal) => inner.read(path, signal),
    list: (path, recursive, signal) => inner.list(path, recursive, signal),
    stat: (path) => inner.stat(path),
    lockKey: (path) => inner.lockKey(path),
    write: (path, content, signal) => {
      if (!isTrusted()) return Promise.reject(new ToolError(UNTRUSTED_MESSAGE));
      return inner.write(path, content, signal);
    },
  };
}

export function trustGuardedShell(inner: Shell, isTrusted: () => boolean = () => vscode.workspace.isTrusted): Shell {
  return {
    sandboxed: inner.sandboxed,
    refusal: inner.refusal,
    run: (command: string, options: ShellOptions): Promise<ShellResult> => {
      if (!isTrusted()) return Promise.reject(new ToolError(UNTRUSTED_MESSAGE));
      return inner.run(command, options);
    },
    discard: (paths) => inner.discard?.(paths) ?? Promise.resolve(),
  };
}
