// What workers do not see when they list or search the workspace: every `node_modules`
// and `.git` folder, whatever a `.gitignore` names (the one of each folder, applied to
// what is under it, as git does), and whatever `.rozetignore` names. One rule, used by
// list_files, by the JavaScript search and — translated to its flags — by ripgrep.
import ignore, { type Ignore } from 'ignore';
import { ROZETIGNORE_FILE } from './rozet-ignore';

export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);
export const GITIGNORE_FILE = '.gitignore';

/** The rules of one ignore file and the folder (workspace-relative, '' for the root) they apply under. */
export interface IgnoreLayer {
  base: string;
  rules: Ignore;
}

/** Reads a workspace-relative file as text; undefined when there is none. */
export type ReadText = (relative: string) => Promise<string | undefined>;

export function ignoreLayer(base: string, text: string): IgnoreLayer {
  return { base, rules: ignore().add(text) };
}

/**
 * The layers in force inside the folder `relative`: .rozetignore and the .gitignore of
 * every folder above it (its own is added by `enterFolder` as the walk reaches it).
 */
export async function layersAbove(read: ReadText, relative: string): Promise<IgnoreLayer[]> {
  const out: IgnoreLayer[] = [];
  const rozet = await read(ROZETIGNORE_FILE);
  if (rozet !== undefined) out.push(ignoreLayer('', rozet));
  const parts = relative ? relative.split('/') : [];
  for (let i = 0; i < parts.length; i++) {
    const base = parts.slice(0, i).join('/');
    const text = await read(base ? `${base}/${GITIGNORE_FILE}` : GITIGNORE_FILE);
    if (text !== undefined) out.push(ignoreLayer(base, text));
  }
  return out;
}

/** The layers inside folder `relative`, given those around it and whether it has a .gitignore of its own. */
export async function enterFolder(
  layers: readonly IgnoreLayer[],
  relative: string,
  hasGitignore: boolean,
  read: ReadText,
): Promise<readonly IgnoreLayer[]> {
  if (!hasGitignore) return layers;
  const text = await read(relative ? `${relative}/${GITIGNORE_FILE}` : GITIGNORE_FILE);
  return [...layers, ignoreLayer(relative, text ?? '')];
}

/** Whether the entry `name` at `relative` (workspace-relative, forward slashes) is hidden from workers. */
export function isHidden(layers: readonly IgnoreLayer[], relative: string, name: string, dir: boolean): boolean {
  return (dir && SKIPPED_DIRS.has(name)) || isIgnored(layers, relative, dir);
}

export function isIgnored(layers: readonly IgnoreLayer[], relative: string, dir: boolean): boolean {
  return layers.some(({ base, rules }) => {
    const inner = base ? relative.slice(base.length + 1) : relative;
    return inner !== '' && rules.ignores(dir ? `${inner}/` : inner);
  });
}

/**
 * The same rule as ripgrep flags: hidden files searched, only the workspace's own
 * .gitignore files (not global, parent, .git/info/exclude, .ignore or .rgignore ones),
 * with or without a git repository, .rozetignore as an extra ignore file, and the
 * skipped folders excluded by overrides, which no ignore file can re-include.
 */
export function ripgrepIgnoreArgs(hasRozetignore: boolean): string[] {
  return [
    '--hidden',
    '--no-require-git',
    '--no-ignore-parent',
    '--no-ignore-global',
    '--no-ignore-exclude',
    '--no-ignore-dot',
    ...(hasRozetignore ? ['--ignore-file', ROZETIGNORE_FILE] : []),
    ...[...SKIPPED_DIRS].flatMap((name) => ['--glob', `!${name}/`]),
  ];
}
