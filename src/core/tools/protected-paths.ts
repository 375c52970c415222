// Paths whose change can raise an agent's own powers or run code outside its tools
// (docs/ARCHITECTURE.md, "Security invariants"): editor settings and tasks, git hooks and
// config, CI workflows, Rozet's own configuration, secrets. A write to one of them asks
// the user even when writes (or commands) are auto-approved. Matching is case-insensitive
// because macOS and Windows file systems are, and `.VSCode/settings.json` is the same
// file there.
import { posix } from 'node:path';
import picomatch from 'picomatch';

export const PROTECTED_PATTERNS: readonly string[] = [
  // Nested too: a sub-folder can be a root of a multi-root workspace, and a nested
  // repository's hooks run whenever git is used inside it.
  '**/.vscode/**',
  '**/*.code-workspace',
  '**/.git/**',
  '**/.git',
  '.github/workflows/**',
  '.rozet.yaml',
  '.rozet.yml',
  '.rozetignore',
  '**/.env*',
];

const isProtectedMatch = picomatch([...PROTECTED_PATTERNS], { nocase: true, dot: true });

/**
 * True when a workspace-relative path (forward or back slashes, with or without `./`)
 * is protected. Pass every form you know of a path (as given and as resolved through
 * symlinks); any one matching is enough.
 */
export function isProtectedPath(...paths: string[]): boolean {
  return paths.some((p) => isProtectedMatch(normaliseRelative(p)));
}

/** Top-level names a shell glob in a command could expand to (`.vs*`, `.[v]scode`, `.e*`). */
const GLOB_TARGETS = [
  '.vscode',
  '.git',
  '.github',
  '.env',
  '.rozet.yaml',
  '.rozet.yml',
  '.rozetignore',
  'x.code-workspace',
];
const PROTECTED_WORD =
  /(^|[\s"'=/\\(<>|;&`])(\.vscode|\.git|\.github[\\/]+workflows|\.rozet\.ya?ml|\.rozetignore|\.env[^\s"';|&]*|[^\s"';|&]*\.code-workspace)($|[\s"'/\\);|&<>`])/i;
// `git config …` (and `git -c … config`) writes .git/config, e.g. core.hooksPath.
const GIT_CONFIG = /(^|[\s;&|(`])git(\s+-\S+)*\s+config\b/i;

/**
 * Commands that name a protected path ask even under `rozet.bash.approval = auto`:
 * `echo … > .vscode/settings.json` must not slip past the rule writes follow. Quotes and
 * backslashes are dropped first (`.vs''code` is `.vscode` to the shell), and a word with
 * glob characters asks when it could expand to a protected name. This is a textual
 * check: under `auto` a determined program can still compute a path, which is why
 * `auto` is a user-level choice only.
 */
export function mentionsProtectedPath(command: string): boolean {
  const unquoted = command.replace(/["'\\]/g, '');
  if (PROTECTED_WORD.test(command) || PROTECTED_WORD.test(unquoted) || GIT_CONFIG.test(unquoted)) return true;
  return unquoted.split(/[\s;&|<>()`=]+/).some((word) => /[*?[]/.test(word) && globReachesProtected(word));
}

function globReachesProtected(word: string): boolean {
  return word
    .split('/')
    .filter((segment) => /[*?[]/.test(segment))
    .some((segment) => {
      try {
        const matches = picomatch(segment, { nocase: true });
        return GLOB_TARGETS.some((name) => matches(name));
      } catch {
        // A pattern picomatch cannot read is one the shell may still expand: ask.
        return true;
      }
    });
}

function normaliseRelative(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\/+/, '').replace(/\/$/, '');
}
