// The globs of search_files and find_files, one reading for both engines: relative to the
// workspace root, case-insensitive, dotfiles included; a glob without "/" matches a file
// name in any folder ("*.ts"), a plain path also everything under it ("src/core").
import picomatch from 'picomatch';
import { ToolError } from '../workspace/workspace';

export function globMatcher(glob: string): (path: string) => boolean {
  let pattern = glob
    .trim()
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '');
  if (pattern.startsWith('/') || pattern.split('/').includes('..'))
    throw new ToolError(
      `The glob "${glob}" must be relative to the workspace root (no leading "/" and no ".."), e.g. "src/**/*.ts".`,
    );
  if (pattern.endsWith('/')) pattern += '**';
  const patterns = /[*?[\]{}()!+@]/.test(pattern) ? [pattern] : [pattern, `${pattern}/**`];
  // By hand: picomatch's `basename` option also changes how patterns with "/" match.
  const anywhere = !pattern.includes('/');
  const matches = picomatch(patterns, { dot: true, nocase: true });
  return (path) => matches(anywhere ? path.slice(path.lastIndexOf('/') + 1) : path) || (anywhere && matches(path));
}
