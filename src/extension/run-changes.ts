// What a run changed, for review: the content of each file before the run's first
// write to it (undefined = the run created it) and after its last one. "Open diff"
// shows before ↔ now; "Undo this run's changes" puts the before-content back.
import * as vscode from 'vscode';
import { findOpenDocument, saveEdited } from './documents';

export const ORIGINAL_SCHEME = 'rozet-original';

interface Change {
  uri: vscode.Uri;
  before: string | undefined;
  after: string;
}

export class RunChanges {
  private readonly changes = new Map<string, Change>();

  constructor(readonly runId: string) {}

  record(uri: vscode.Uri, before: string | undefined, after: string): void {
    const key = uri.toString();
    const existing = this.changes.get(key);
    this.changes.set(key, { uri, before: existing ? existing.before : before, after });
  }

  get files(): vscode.Uri[] {
    return [...this.changes.values()].map((c) => c.uri);
  }

  original(uri: vscode.Uri): string | undefined {
    return this.changes.get(uri.toString())?.before;
  }

  has(uri: vscode.Uri): boolean {
    return this.changes.has(uri.toString());
  }

  async openDiff(uri: vscode.Uri): Promise<void> {
    const change = this.changes.get(uri.toString());
    if (!change) return;
    const left = vscode.Uri.from({
      scheme: ORIGINAL_SCHEME,
      path: uri.path,
      query: new URLSearchParams({ run: this.runId, uri: uri.toString() }).toString(),
    });
    const name = uri.path.split('/').pop() ?? uri.path;
    await vscode.commands.executeCommand('vscode.diff', left, uri, `${name} (before Rozet ↔ now)`);
  }

  /**
   * Restores every file as one WorkspaceEdit (one undo step). Files the user edited after
   * the run are listed and only restored when the user confirms.
   */
  async undo(): Promise<{ restored: number; skipped: string[] }> {
    const edited: Change[] = [];
    for (const change of this.changes.values()) {
      const now = await readText(change.uri);
      if (now !== undefined && now !== change.after) edited.push(change);
    }
    let include = true;
    if (edited.length > 0) {
      const names = edited.map((c) => vscode.workspace.asRelativePath(c.uri)).join(', ');
      const pick = await vscode.window.showWarningMessage(
        `You edited ${names} after this run. Undo the run's changes there too? Your later edits in those files would be lost.`,
        { modal: true },
        'Undo Everywhere',
        'Keep My Edits',
      );
      if (pick === undefined)
        return { restored: 0, skipped: [...this.changes.values()].map((c) => vscode.workspace.asRelativePath(c.uri)) };
      include = pick === 'Undo Everywhere';
    }
    const edit = new vscode.WorkspaceEdit();
    const skipped: string[] = [];
    let restored = 0;
    for (const change of this.changes.values()) {
      if (!include && edited.includes(change)) {
        skipped.push(vscode.workspace.asRelativePath(change.uri));
        continue;
      }
      if (change.before === undefined) {
        edit.deleteFile(change.uri, { ignoreIfNotExists: true });
      } else {
        const doc = await vscode.workspace.openTextDocument(change.uri);
        edit.replace(
          change.uri,
          new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)),
          change.before,
        );
      }
      restored++;
    }
    if (restored > 0 && !(await vscode.workspace.applyEdit(edit)))
      throw new Error('VS Code refused to apply the undo edit; no file was changed.');
    await saveEdited(
      [...this.changes.values()]
        .filter((c) => c.before !== undefined && !skipped.includes(vscode.workspace.asRelativePath(c.uri)))
        .map((c) => c.uri),
    );
    return { restored, skipped };
  }
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  const open = findOpenDocument(uri);
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

/** Serves the "before" side of diffs for every run still in memory. */
export class OriginalContentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly lookup: (runId: string) => RunChanges | undefined) {}

  provideTextDocumentContent(uri: vscode.Uri): string {
    const params = new URLSearchParams(uri.query);
    const changes = this.lookup(params.get('run') ?? '');
    return changes?.original(vscode.Uri.parse(params.get('uri') ?? '')) ?? '';
  }
}
