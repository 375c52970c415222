// The text of workspace files as the user sees it: an open editor's document (unsaved
// edits included) before the file on disk. Shared by the workspace the workers use and by
// both undos (a run's, a task's).
import * as vscode from 'vscode';

export function findOpenDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
}

/**
 * A file's whole text as the user sees it (unsaved editor text included); undefined when
 * it does not exist — on disk, or as unsaved text of an editor whose file was deleted.
 */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = findOpenDocument(uri);
  if (open?.isDirty) return open.getText();
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    // An editor may still hold the text of a file deleted on disk: it is gone all the same.
    return undefined;
  }
  return (open ?? (await vscode.workspace.openTextDocument(uri))).getText();
}

/** Saves the documents an undo edit left dirty, so disk and editor agree as after a worker's write. */
export async function saveEdited(uris: Iterable<vscode.Uri>): Promise<void> {
  for (const uri of uris) {
    const doc = findOpenDocument(uri);
    if (doc?.isDirty) await doc.save();
  }
}
