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
    readFile: async (relative, maxBytes) => {
      let handle: fsp.FileHandle | undefined;
      try {
        // O_NOFOLLOW: a file swapped for a link after the listing is not followed out.
        handle = await fsp.open(full(relative), fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
        const { size } = await handle.stat();
        return size > maxBytes ? undefined : await handle.readFile();
      } catch {
        return undefined;
      } finally {
        await handle?.close();
      }
    },
    readText: (relative) => fsp.readFile(full(relative), 'utf8').catch(() => undefined),
  };
}
