// Saved runs in VS Code: kept in the extension's own global storage (one folder per
// workspace, named by its root — never inside the workspace, never in workspaceState),
// read and written by the same core store as the CLI's.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RunStateStore } from '../core/run-state/run-store';

/** The store of this window's workspace; undefined without a folder. */
export function windowRunStore(context: vscode.ExtensionContext): RunStateStore | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) return undefined;
  const workspace = folders.map((f) => (f.uri.scheme === 'file' ? f.uri.fsPath : f.uri.toString())).join('\n');
  return new RunStateStore(join(context.globalStorageUri.fsPath, 'runs'), workspace);
}
