// Undo of one task in VS Code (docs/ARCHITECTURE.md, "Saved runs"): the core decides,
// file by file, what undoing means (src/core/run-state/undo.ts); this applies it as one
// WorkspaceEdit, so it is itself on the editor's undo stack. Where undoing would lose
// later edits, the diff of what would be lost is opened and the user asked first; a file
// deleted since is named and nothing is restored there.
import * as vscode from 'vscode';
import { describeStep, type UndoStep } from '../core/run-state/undo';
import { currentText, saveEdited } from './documents';

export const UNDO_PREVIEW_SCHEME = 'rozet-undo-preview';

export interface UndoReport {
  /** Paths undone (restored or removed). */
  undone: string[];
  /** Paths left as they are, with why. */
  kept: Array<{ path: string; reason: string }>;
}

/** Serves "what the file would be after undo" for the diff shown before asking. */
export class UndoPreviews implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  show(key: string, text: string): vscode.Uri {
    this.texts.set(key, text);
    return vscode.Uri.from({ scheme: UNDO_PREVIEW_SCHEME, path: `/${key}` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.path.slice(1)) ?? '';
  }
}

export async function applyUndo(
  steps: readonly UndoStep[],
  uriOf: (path: string) => Promise<vscode.Uri>,
  previews: UndoPreviews,
  what: string,
): Promise<UndoReport> {
  const report: UndoReport = { undone: [], kept: [] };
  const edit = new vscode.WorkspaceEdit();
  const touched: vscode.Uri[] = [];
  for (const step of steps) {
    if (step.kind === 'skip') {
      report.kept.push({ path: step.path, reason: step.reason });
      continue;
    }
    const uri = await uriOf(step.path);
    let text = step.kind === 'delete' ? undefined : step.text;
    if (step.kind === 'conflict') {
      if (!(await confirmLoss(step, uri, previews, what))) {
        report.kept.push({ path: step.path, reason: 'later edits touch the same lines; kept as it is' });
        continue;
      }
      text = step.text;
    }
    if (text === undefined) edit.deleteFile(uri, { ignoreIfNotExists: true });
    else {
      const doc = await vscode.workspace.openTextDocument(uri);
      edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
      touched.push(uri);
    }
    report.undone.push(step.path);
  }
  if (report.undone.length > 0 && !(await vscode.workspace.applyEdit(edit)))
    throw new Error('VS Code refused to apply the undo edit; no file was changed.');
  await saveEdited(touched);
  return report;
}

/** Opens "now ↔ after undo" and asks; true to undo anyway. */
async function confirmLoss(
  step: Extract<UndoStep, { kind: 'conflict' }>,
  uri: vscode.Uri,
  previews: UndoPreviews,
  what: string,
): Promise<boolean> {
  const name = step.path.split('/').pop() ?? step.path;
  const after = previews.show(`${Date.now()}/${name}`, step.text ?? '');
  const now = (await currentText(uri)) === undefined ? after : uri;
  await vscode.commands.executeCommand('vscode.diff', now, after, `${name}: now ↔ after undoing ${what}`);
  const pick = await vscode.window.showWarningMessage(
    `${describeStep(step)}: undoing ${what} there loses the edits shown on the left (the diff is open). Undo it anyway?`,
    { modal: true },
    'Undo Anyway',
    'Keep the File',
  );
  return pick === 'Undo Anyway';
}

export function describeUndo(report: UndoReport, what: string): string {
  const parts = [
    report.undone.length ? `Undid ${what}: ${report.undone.join(', ')}.` : `Nothing of ${what} was undone.`,
  ];
  for (const k of report.kept) parts.push(`${k.path} not undone: ${k.reason}.`);
  return parts.join(' ');
}
