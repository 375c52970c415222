// Workers' Workspace inside VS Code. Reads see what the user sees (unsaved editor text
// included); every write is a WorkspaceEdit, so it shows in the editor and joins the
// undo stack. Each write is checked against the text Rozet last read or wrote for that
// file: if the user changed it since (or has unsaved text Rozet never read), the write
// is refused and the worker told to read again — the user's newer text is never
// overwritten. Workers among themselves are kept apart by the core's locks and leases.
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import ignore, { type Ignore } from 'ignore';
import {
  ToolError,
  type ListEntry,
  type ListResult,
  type ReadResult,
  type StatResult,
  type Workspace,
  type WriteResult,
} from '../core/workspace/workspace';
import { headOfText, isBinary, MAX_READ_BYTES } from '../core/workspace/file-content';
import { confineToRoot, normaliseRelative } from '../core/workspace/path-confinement';
import { findOpenDocument } from './documents';
import { ROZETIGNORE_FILE, rozetIgnoreCheck, type ForbiddenCheck } from '../core/workspace/rozet-ignore';

const MAX_LIST_ENTRIES = 2000;

export interface VsCodeWorkspaceOptions {
  folders: readonly vscode.WorkspaceFolder[];
  saveAfterEdit: () => boolean;
  /** Called before every applied write with the file's previous text (undefined: new file). */
  onWrite?: (uri: vscode.Uri, before: string | undefined, after: string) => void;
}

interface Resolved {
  uri: vscode.Uri;
  folder: vscode.WorkspaceFolder;
  /** Path inside the folder, forward slashes, no leading slash ('' for the root). */
  rel: string;
}

export class VsCodeWorkspace implements Workspace {
  readonly description: string;
  private readonly folders: readonly vscode.WorkspaceFolder[];
  private readonly ignores = new Map<string, Promise<FolderIgnores>>();
  /** Version of each file as Rozet last read or wrote it. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly options: VsCodeWorkspaceOptions) {
    if (options.folders.length === 0)
      throw new ToolError(
        'No folder is open. Open a folder (File → Open Folder…) so Rozet has a workspace to work in.',
      );
    this.folders = options.folders;
    this.description =
      this.folders.length === 1
        ? `${this.folders[0].uri.fsPath} (paths are relative to it)`
        : `a multi-root workspace with the folders ${this.folders.map((f) => `"${f.name}"`).join(', ')}; start every path with the folder name, e.g. "${this.folders[0].name}/src/index.ts"`;
  }

  /** The file a worker's path names, confined like every read and write. */
  async uriOf(path: string): Promise<vscode.Uri> {
    return (await this.resolve(path)).uri;
  }

  lockKey(path: string): string {
    const { folder, rel } = this.resolveLexically(path);
    return `${folder.index}:${process.platform === 'linux' ? rel : rel.toLowerCase()}`;
  }

  async stat(path: string): Promise<StatResult | undefined> {
    const { uri } = await this.resolve(path);
    try {
      const s = await vscode.workspace.fs.stat(uri);
      return { type: s.type & vscode.FileType.Directory ? 'dir' : 'file', size: s.size, mtimeMs: s.mtime };
    } catch {
      return undefined;
    }
  }

  async read(path: string): Promise<ReadResult> {
    const { uri } = await this.resolve(path);
    const open = findOpenDocument(uri);
    if (open) return this.remember(uri, shown(open));
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch (error) {
      throw new ToolError(
        `Cannot read ${path}: ${error instanceof vscode.FileSystemError && error.code === 'FileNotFound' ? 'no such file' : String(error)}. Use list_files to see what exists.`,
      );
    }
    if (isBinary(bytes)) throw new ToolError(`${path} is a binary file; read_file only reads text.`);
    // Decoding through the document model keeps VS Code's encoding detection (files.encoding).
    return this.remember(uri, shown(await vscode.workspace.openTextDocument(uri)));
  }

  async write(path: string, content: string): Promise<WriteResult> {
    const { uri } = await this.resolve(path);
    let existing: vscode.TextDocument | undefined = findOpenDocument(uri);
    if (!existing && (await exists(uri))) existing = await vscode.workspace.openTextDocument(uri);
    const edit = new vscode.WorkspaceEdit();
    let before: string | undefined;
    if (existing) {
      const seen = this.seen.get(uri.toString());
      if (seen !== undefined ? seen !== versionOf(existing) : existing.isDirty) {
        throw new ToolError(
          `${path} was changed in the editor since you read it. Read it again with read_file and redo your edit on the current text.`,
        );
      }
      before = existing.getText();
      edit.replace(uri, new vscode.Range(existing.positionAt(0), existing.positionAt(before.length)), content);
    } else {
      edit.createFile(uri, { overwrite: false, contents: new TextEncoder().encode(content) });
    }
    const readOnly = `VS Code did not apply the edit to ${path}: the file is read-only (a read-only file system, or files.readonlyInclude / files.readonlyFromPermissions). Nothing was changed.`;
    if (!(await vscode.workspace.applyEdit(edit))) throw new ToolError(readOnly);
    const written = findOpenDocument(uri);
    if (existing && written && before !== undefined && !sameText(before, content)) {
      // A document VS Code holds read-only (files.readonlyInclude, readonlyFromPermissions)
      // takes the edit in memory but never becomes dirty, so it would never be saved: an
      // edit that silently vanishes. Put its text back and tell the model.
      if (!sameText(written.getText(), content)) throw new ToolError(readOnly);
      if (!written.isDirty) {
        const restore = new vscode.WorkspaceEdit();
        restore.replace(
          uri,
          new vscode.Range(written.positionAt(0), written.positionAt(written.getText().length)),
          before,
        );
        await vscode.workspace.applyEdit(restore);
        throw new ToolError(readOnly);
      }
    }
    this.options.onWrite?.(uri, before, content);
    if (written) this.seen.set(uri.toString(), versionOf(written));
    if (this.options.saveAfterEdit()) {
      const doc = findOpenDocument(uri) ?? (await vscode.workspace.openTextDocument(uri));
      if (doc.isDirty && !(await doc.save()))
        throw new ToolError(
          `The edit to ${path} was applied but could not be saved (read-only file or full disk?). It stays in the editor, unsaved.`,
        );
    }
    return { created: before === undefined, bytes: new TextEncoder().encode(content).length };
  }

  async list(path: string, recursive: boolean): Promise<ListResult> {
    if (this.folders.length > 1 && normaliseRelative(path) === '') {
      return { entries: this.folders.map((f) => ({ path: f.name, type: 'dir' as const })), truncated: false };
    }
    const { uri, folder, rel } = await this.resolve(path || '.');
    const { listed } = await this.ignoreFor(folder);
    const prefix = this.folders.length > 1 ? `${folder.name}/` : '';
    const entries: ListEntry[] = [];
    let truncated = false;
    const walk = async (dirUri: vscode.Uri, dirRel: string, depth: number): Promise<void> => {
      let children: [string, vscode.FileType][];
      try {
        children = await vscode.workspace.fs.readDirectory(dirUri);
      } catch (error) {
        throw new ToolError(`Cannot list ${path || '.'}: ${String(error)}`);
      }
      children.sort(([a], [b]) => a.localeCompare(b));
      for (const [name, type] of children) {
        if (entries.length >= MAX_LIST_ENTRIES) {
          truncated = true;
          return;
        }
        const childRel = dirRel ? `${dirRel}/${name}` : name;
        const isDir = (type & vscode.FileType.Directory) !== 0;
        // Symlinked directories are listed but not entered: that keeps loops finite.
        const isLink = (type & vscode.FileType.SymbolicLink) !== 0;
        if (listed.ignores(isDir ? `${childRel}/` : childRel)) continue;
        entries.push({ path: prefix + childRel, type: isDir ? 'dir' : 'file' });
        if (recursive && isDir && !isLink && depth < 20)
          await walk(vscode.Uri.joinPath(dirUri, name), childRel, depth + 1);
      }
    };
    await walk(uri, rel, 0);
    return { entries, truncated };
  }

  private remember(uri: vscode.Uri, result: ReadResult): ReadResult {
    if (result.version) this.seen.set(uri.toString(), result.version);
    return result;
  }

  private resolveLexically(path: string): Resolved {
    let rel = normaliseRelative(path);
    let folder = this.folders[0];
    if (this.folders.length > 1) {
      const [first, ...rest] = rel.split('/');
      const named = this.folders.find((f) => f.name === first);
      if (!named)
        throw new ToolError(
          `"${path}" does not start with a workspace folder name. Use one of: ${this.folders.map((f) => f.name).join(', ')}.`,
        );
      folder = named;
      rel = rest.join('/');
    }
    return { folder, rel, uri: rel ? vscode.Uri.joinPath(folder.uri, ...rel.split('/')) : folder.uri };
  }

  private async resolve(path: string): Promise<Resolved> {
    const resolved = this.resolveLexically(path);
    if (resolved.folder.uri.scheme === 'file')
      confineToRoot(realpathSync.native(resolved.folder.uri.fsPath), resolved.rel, path);
    (await this.ignoreFor(resolved.folder)).forbidden(resolved.rel);
    return resolved;
  }

  /**
   * What list_files hides (files.exclude, .gitignore, .rozetignore) and what workers may
   * not touch at all (.rozetignore), read once per workspace instance, i.e. per run.
   */
  private ignoreFor(folder: vscode.WorkspaceFolder): Promise<FolderIgnores> {
    let pending = this.ignores.get(folder.uri.toString());
    if (!pending) {
      pending = (async () => {
        const read = async (name: string) => {
          try {
            return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, name)));
          } catch {
            return '';
          }
        };
        const [gitignore, rozetignore] = await Promise.all([read('.gitignore'), read(ROZETIGNORE_FILE)]);
        const excludes =
          vscode.workspace.getConfiguration('files', folder.uri).get<Record<string, boolean>>('exclude') ?? {};
        const listed = ignore()
          .add(['.git/', 'node_modules/'])
          .add(
            Object.entries(excludes)
              .filter(([, on]) => on)
              .map(([glob]) => glob.replace(/^\*\*\//, '')),
          )
          .add(gitignore)
          .add(rozetignore);
        return { listed, forbidden: rozetIgnoreCheck(rozetignore) };
      })();
      this.ignores.set(folder.uri.toString(), pending);
    }
    return pending;
  }
}

interface FolderIgnores {
  listed: Ignore;
  forbidden: ForbiddenCheck;
}

/** A document as read_file gets it: cut at the shared read limit (tools.ts adds the note); versioned whole. */
function shown(doc: vscode.TextDocument): ReadResult {
  const { text, truncated } = headOfText(doc.getText(), MAX_READ_BYTES);
  return { content: text, truncated, version: versionOf(doc) };
}

/** Equal but for line endings: an edit takes the document's EOL, which is meant to be kept. */
function sameText(a: string, b: string): boolean {
  return a === b || a.replace(/\r\n/g, '\n') === b.replace(/\r\n/g, '\n');
}

function versionOf(doc: vscode.TextDocument): string {
  // The text itself is the version users care about: a save without changes keeps it.
  return `${doc.getText().length}:${hash(doc.getText())}`;
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
