// The search a workspace folder on disk gets: ripgrep when one is given or on PATH, the
// JavaScript engine otherwise (and behind ripgrep for what it cannot answer).
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import type { CodeSearch, SearchLine } from './code-search';
import { JsSearch } from './js-search';
import { nodeSearchFs } from './node-search-fs';
import { RipgrepSearch } from './ripgrep';

/** `root` must be a real path (NodeWorkspace.root is). `rgPath: null` means the JavaScript engine only. */
export function folderSearch(root: string, rgPath: string | null | undefined = findRipgrep()): CodeSearch {
  const js = new JsSearch(nodeSearchFs(root));
  return rgPath ? new RipgrepSearch({ rgPath, root, fallback: js }) : js;
}

/** The first executable `rg` on PATH. */
export function findRipgrep(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const name = process.platform === 'win32' ? 'rg.exe' : 'rg';
  for (const dir of (env.PATH ?? env.Path ?? '').split(nodePath.delimiter)) {
    if (!dir) continue;
    const candidate = nodePath.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Several workspace folders searched as one, each path starting with its folder's name. */
export function multiRootSearch(folders: ReadonlyArray<{ name: string; search: CodeSearch }>): CodeSearch {
  if (folders.length === 1) return folders[0].search;
  const inner = (name: string, include?: (path: string) => boolean) => (path: string) =>
    !include || include(`${name}/${path}`);
  return {
    engine: folders[0]?.search.engine ?? 'none',
    async searchText(query, signal) {
      const lines: SearchLine[] = [];
      let matches = 0;
      for (const { name, search } of folders) {
        const found = await search.searchText(
          { ...query, include: inner(name, query.include), maxResults: query.maxResults - matches },
          signal,
        );
        lines.push(...found.lines.map((line) => ({ ...line, path: `${name}/${line.path}` })));
        matches += found.matches;
        if (found.truncated) return { lines, matches, truncated: true };
      }
      return { lines, matches, truncated: false };
    },
    async findFiles(include, maxResults, signal) {
      const paths: string[] = [];
      for (const { name, search } of folders) {
        const found = await search.findFiles(inner(name, include), maxResults - paths.length, signal);
        paths.push(...found.paths.map((path) => `${name}/${path}`));
        if (found.truncated) return { paths, truncated: true };
      }
      return { paths, truncated: false };
    },
  };
}
