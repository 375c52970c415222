// Workers are confined to the workspace (DESIGN §4). Two steps, both fail closed:
// 1. lexical: the model's path becomes a clean relative path, or is refused (`..` out
//    of the root, absolute paths elsewhere, `~`, NUL, Windows drive/UNC/stream forms,
//    URL-encoded separators, absurd lengths);
// 2. physical: the real path of the deepest existing ancestor must lie inside the real
//    root, so a symlinked directory leading out, or a dangling link, cannot be used.
import { promises as fs } from 'node:fs';
import * as nodePath from 'node:path';
import { ToolError } from './workspace';

const MAX_PATH_LENGTH = 1024;

export function normaliseRelative(requested: string, absoluteRoot?: string): string {
  if (typeof requested !== 'string') throw new ToolError('The path must be a string.');
  if (requested.includes('\0')) throw new ToolError('The path contains a NUL byte; use a plain relative path.');
  if (requested.length > MAX_PATH_LENGTH) throw new ToolError(`The path is ${requested.length} characters long; paths are limited to ${MAX_PATH_LENGTH}.`);
  if (/%(2e|2f|5c|00)/i.test(requested)) throw new ToolError('The path contains URL-encoded characters (%2e, %2f, …); write it plainly, relative to the workspace root.');
  let path = requested.trim().replace(/\\/g, '/');
  if (absoluteRoot) {
    const root = absoluteRoot.replace(/\\/g, '/').replace(/\/+$/, '');
    if (path === root) path = '.';
    else if (path.startsWith(`${root}/`)) path = path.slice(root.length + 1);
  }
  if (path.startsWith('~')) throw new ToolError(`"${requested}" points at a home directory; paths must be relative to the workspace root.`);
  if (path.startsWith('/') || /^[a-z]:/i.test(path) || path.startsWith('//')) {
    throw new ToolError(`"${requested}" is an absolute path outside the workspace; use a path relative to the workspace root.`);
  }
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) throw new ToolError(`"${requested}" leads outside the workspace; only files inside it can be used.`);
      out.pop();
      continue;
    }
    // Windows would silently strip trailing dots/spaces and read alternate data streams.
    if (/[.\s]$/.test(segment) || segment.includes(':')) throw new ToolError(`"${requested}" has a path segment ("${segment}") that is not a plain file name.`);
    out.push(segment);
  }
  return out.join('/');
}

/**
 * Resolves `rel` under `root` and returns the absolute path, after checking the real
 * path of its deepest existing ancestor stays inside the real root.
 */
export async function confineToRoot(root: string, rel: string): Promise<string> {
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch (error) {
    throw new ToolError(`The workspace folder ${root} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`);
  }
  const target = nodePath.join(root, ...rel.split('/').filter(Boolean));
  const rest: string[] = [];
  let probe = target;
  for (;;) {
    try {
      const real = await fs.realpath(probe);
      const resolved = nodePath.join(real, ...rest);
      if (real !== realRoot && !real.startsWith(realRoot + nodePath.sep)) {
        throw new ToolError(`"${rel}" resolves outside the workspace through a symbolic link; it cannot be used.`);
      }
      return resolved;
    } catch (error) {
      if (error instanceof ToolError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new ToolError(`"${rel}" cannot be checked (${code ?? String(error)}); it was refused to be safe.`);
      if (await isDanglingLink(probe)) throw new ToolError(`"${rel}" goes through a symbolic link that points nowhere; it was refused to be safe.`);
      const parent = nodePath.dirname(probe);
      if (parent === probe) throw new ToolError(`"${rel}" cannot be resolved inside the workspace.`);
      rest.unshift(nodePath.basename(probe));
      probe = parent;
    }
  }
}

async function isDanglingLink(path: string): Promise<boolean> {
  try {
    return (await fs.lstat(path)).isSymbolicLink();
  } catch {
    return false;
  }
}
