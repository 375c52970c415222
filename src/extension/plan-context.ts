// What the planner is told about the editor: the attached selection, the active file and
// a bounded list of the workspace's files, so a plan names real paths.
import * as vscode from 'vscode';
import type { PlanContext } from '../core/plan/planner';
import type { Attachment } from '../webview/protocol';

const MAX_CONTEXT_FILES = 300;

export async function planContext(attachments: readonly Attachment[]): Promise<PlanContext> {
  const selection = attachments[0];
  const active = vscode.window.activeTextEditor?.document;
  const files = await vscode.workspace.findFiles('**/*', '**/{node_modules,.git,dist,out}/**', MAX_CONTEXT_FILES);
  return {
    selection: selection
      ? { path: selection.path, startLine: selection.startLine, endLine: selection.endLine, text: selection.text }
      : undefined,
    activeFile: active && !active.isUntitled ? vscode.workspace.asRelativePath(active.uri) : undefined,
    workspaceFiles: files.map((f) => vscode.workspace.asRelativePath(f)).sort(),
    workspaceDescription: vscode.workspace.workspaceFolders?.map((f) => f.uri.fsPath).join(', '),
  };
}
