// Which protected paths exist in a workspace right now. The sandbox mounts them read-only
// (an existing path is all a mount can cover), and comparing the scan after a command
// with the one before finds protected paths the command created. Inside a `.git` folder
// only the parts that decide what git executes are covered (hooks, config, info, the
// gitdirs of submodules and worktrees, commondir): git itself must still write objects,
// refs and the index. node_modules is not walked: nothing there is read as editor, git or
// package-manager configuration of the workspace, and it can hold most of the entries.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isProtectedPath } from '../tools/protected-paths';

/** The parts of a .git folder that can make git run something. */
export const GIT_CONTROL = ['hooks', 'config', 'config.worktree', 'info', 'modules', 'worktrees', 'commondir'];

/** Directory entries looked at before giving up; a huge tree is covered from the top down. */
const MAX_ENTRIES = 50_000;

export interface ProtectedScan {
  /** Workspace-relative paths, forward slashes. */
  paths: string[];
  /** False when the walk stopped at MAX_ENTRIES. */
  complete: boolean;
}

export async function scanProtected(root: string, maxEntries = MAX_ENTRIES): Promise<ProtectedScan> {
  const found: string[] = [];
  let seen = 0;
  // Breadth first, so a cut-off leaves the shallow (and most consequential) paths covered.
  let level = [''];
  while (level.length) {
    const next: string[] = [];
    // A level's folders are read together: the file system's latency, not its count, is the cost.
    const listed = await Promise.all(
      level.map((dir) => fs.readdir(path.join(root, dir), { withFileTypes: true }).catch(() => [])),
    );
    for (const [i, entries] of listed.entries()) {
      const dir = level[i];
      for (const entry of entries) {
        if (++seen > maxEntries) return { paths: found, complete: false };
        const rel = dir ? `${dir}/${entry.name}` : entry.name;
        if (entry.isDirectory() && entry.name.toLowerCase() === '.git') {
          found.push(...(await gitControl(root, rel)));
        } else if (isProtectedPath(rel)) {
          found.push(rel);
        } else if (entry.isSymbolicLink()) {
          // A link named like nothing special can still lead to a protected folder of the
          // workspace, which is covered where it really is; a link out leads to read-only land.
          continue;
        } else if (entry.isDirectory() && entry.name !== 'node_modules') {
          next.push(rel);
        }
      }
    }
    level = next;
  }
  return { paths: found, complete: true };
}

async function gitControl(root: string, gitDir: string): Promise<string[]> {
  const present = await Promise.all(
    GIT_CONTROL.map(async (name) => {
      const rel = `${gitDir}/${name}`;
      return (await fs.lstat(path.join(root, rel)).catch(() => undefined)) ? rel : undefined;
    }),
  );
  return present.filter((p): p is string => p !== undefined);
}

/** Paths of `after` that `before` did not have (a new protected folder is one path, not its contents). */
export function newProtectedPaths(before: ProtectedScan, after: ProtectedScan): string[] {
  const known = new Set(before.paths.map((p) => p.toLowerCase()));
  return after.paths.filter((p) => !known.has(p.toLowerCase()));
}
