// search_files / find_files in VS Code: on disk, the ripgrep VS Code ships (every install
// has one, in its own folder), else one on PATH, else the JavaScript engine; in a virtual
// folder the JavaScript engine over workspace.fs. A multi-root workspace is searched
// folder by folder, paths starting with the folder name as every other tool's do.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import * as vscode from 'vscode';
import type { CodeSearch } from '../core/search/code-search';
import { JsSearch, type SearchFs } from '../core/search/js-search';
import { findRipgrep, folderSearch, multiRootSearch } from '../core/search/workspace-search';

export function vscodeSearch(folders: readonly vscode.WorkspaceFolder[]): CodeSearch {
  const rgPath = shippedRipgrep(vscode.env.appRoot) ?? findRipgrep() ?? null;
  return multiRootSearch(
    folders.map((folder) => ({
      name: folder.name,
      search:
        folder.uri.scheme === 'file'
          ? folderSearch(fs.realpathSync.native(folder.uri.fsPath), rgPath)
          : new JsSearch(workspaceFsSearch(folder.uri)),
    })),
  );
}

/** Where VS Code keeps its ripgrep: @vscode/ripgrep (older) or @vscode/ripgrep-universal, unpacked from the asar. */
export function shippedRipgrep(appRoot: string): string | undefined {
  const exe = process.platform === 'win32' ? 'rg.exe' : 'rg';
  const candidates = ['node_modules', 'node_modules.asar.unpacked'].flatMap((modules) => [
    nodePath.join(appRoot, modules, '@vscode', 'ripgrep', 'bin', exe),
    nodePath.join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, exe),
  ]);
  return candidates.find((candidate) => fs.existsSync(candidate));
}

function workspaceFsSearch(root: vscode.Uri): SearchFs {
  const uri = (relative: string) => (relative ? vscode.Uri.joinPath(root, ...relative.split('/')) : root);
  const read = async (relative: string) => vscode.workspace.fs.readFile(uri(relative));
  return {
    readDir: async (relative) =>
      (await vscode.workspace.fs.readDirectory(uri(relative))).map(([name, type]) => ({
        name,
        type:
          type & vscode.FileType.SymbolicLink
            ? 'other'
            : type & vscode.FileType.Directory
              ? 'dir'
              : type & vscode.FileType.File
                ? 'file'
                : 'other',
      })),
    readFile: async (relative, maxBytes) => {
      try {
        return (await vscode.workspace.fs.stat(uri(relative))).size > maxBytes ? undefined : await read(relative);
      } catch {
        return undefined;
      }
    },
    readText: (relative) =>
      read(relative).then(
        (bytes) => new TextDecoder().decode(bytes),
        () => undefined,
      ),
  };
}
