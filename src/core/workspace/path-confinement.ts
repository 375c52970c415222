// Workers are confined to the workspace (docs/ARCHITECTURE.md, "Security invariants").
// Two steps, both fail closed:
// 1. lexical: the model's path becomes a clean relative path, or is refused (`..` out
//    of the root, absolute paths elsewhere, `~`, NUL, Windows drive/UNC/stream forms,
//    URL-encoded separators, absurd lengths);
// 2. physical: the real path of the deepest existing ancestor must lie inside the real
//    root, so a symlinked directory leading out, or a dangling link, cannot be used.
import * as fs from 'node:fs';
import * as nodePath from 'node:path';
import { ToolError } from './workspace';

const MAX_PATH_LENGTH = 1024;

export function normaliseRelative(requested: string, absoluteRoot?: string): string {
  if (typeof requested !== 'string') throw new ToolError('The path must be a string.');
  if (requested.includes('\0')) throw new ToolError('The path contains a NUL byte; use a plain relative path.');
  if (requested.length > MAX_PATH_LENGTH)
    throw new ToolError(`The path is ${requested.length} characters long; paths are limited to ${MAX_PATH_LENGTH}.`);
  if (/%(2e|2f|5c|00)/i.test(requested))
    throw new ToolError(
      'The path contains URL-encoded characters (%2e, %2f, …); write it plainly, relative to the workspace root.',
    );
  let path = requested.trim().replace(/\\/g, '/');
  if (absoluteRoot) {
    const root = absoluteRoot.replace(/\\/g, '/').replace(/\/+$/, '');
    if (path === root) path = '.';
    else if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  }
  if (path.startsWith('~'))
    throw new ToolError(`"${requested}" points at a home directory; paths must be relative to the workspace root.`);
  if (path.startsWith('/') || /^[a-z]:/i.test(path) || path.startsWith('//')) {
    throw new ToolError(
      `"${requested}" is an absolute path outside the workspace; use a path relative to the workspace root.`,
    );
  }
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0)
        throw new ToolError(`"${requested}" leads outside the workspace; only files inside it can be used.`);
      out.pop();
      continue;
    }
    // Windows would silently strip trailing dots/spaces and read alternate data streams.
    if (/[.\s]$/.test(segment) || segment.includes(':'))
      throw new ToolError(`"${requested}" has a path segment ("${segment}") that is not a plain file name.`);
    out.push(segment);
  }
  return out.join('/');
}

export interface Confined {
  /** Absolute real path (symlinks of existing ancestors resolved). */
  real: string;
  /** The same, relative to the real root, with forward slashes. */
  relative: string;
}

/**
 * Resolves a normalised relative path under `realRoot` (already a real path) and checks
 * that the real path of its deepest existing ancestor stays inside it. Synchronous, so
 * lock keys (which must be computed before any await) see the same answer as the I/O.
 */
export function confineToRoot(realRoot: string, relative: string, shown = relative): Confined {
  const rest: string[] = [];
  let probe = nodePath.join(realRoot, ...relative.split('/').filter(Boolean));
  for (;;) {
    let real: string | undefined;
    try {
      real = fs.realpathSync.native(probe);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        throw new ToolError(`${shown}: cannot be checked (${code ?? String(error)}); refused to be safe.`);
      if (isLink(probe))
        throw new ToolError(`${shown} goes through a symbolic link whose target does not exist; refused.`);
    }
    if (real !== undefined) {
      const full = nodePath.join(real, ...rest.reverse());
      const inside = nodePath.relative(realRoot, full);
      if (isOutside(inside))
        throw new ToolError(`${shown} leads outside the workspace through a symbolic link; refused.`);
      return { real: full, relative: inside.split(nodePath.sep).join('/') };
    }
    const parent = nodePath.dirname(probe);
    if (parent === probe) throw new ToolError(`${shown}: no existing ancestor; refused.`);
    rest.push(nodePath.basename(probe));
    probe = parent;
  }
}

/** A path relative to the root that climbs out of it (or is on another drive). */
export function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${nodePath.sep}`) || nodePath.isAbsolute(relative);
}

function isLink(path: string): boolean {
  try {
    return fs.lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
