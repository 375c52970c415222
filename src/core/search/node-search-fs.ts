// The JavaScript search's view of a folder on disk. The root is a real path and links are
// reported as 'other' (never followed), so nothing outside the root is ever read.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import type { SearchFs } from './js-search';

export function nodeSearchFs(root: string): SearchFs {
  const full = (relative: string) => nodePath.join(root, ...relative.split('/').filter(Boolean));
  return {
    readDir: async (relative) =>
      (await fsp.readdir(full(relative), { withFileTypes: true })).map((d) => ({
        name: d.name,
        type: d.isFile() ? 'file' : d.isDirectory() ? 'dir' : 'other',
      })),
    // Synchronous on purpose: one small file blocks for microseconds, while four thread-pool
    // round trips per file (open, stat, read, close) made the walk several times slower.
    readFile: async (relative, maxBytes) => {
      let fd: number | undefined;
      try {
        // O_NOFOLLOW: a file swapped for a link after the listing is not followed out.
        fd = fs.openSync(full(relative), fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
        return fs.fstatSync(fd).size > maxBytes ? undefined : fs.readFileSync(fd);
      } catch {
        return undefined;
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
    readText: (relative) => fsp.readFile(full(relative), 'utf8').catch(() => undefined),
  };
}
