// Paths whose change can raise an agent's own powers or run code outside its tools
// (DESIGN §4): editor settings and tasks, git hooks and config, CI workflows, Rozet's own
// configuration, secrets. A write to one of them asks the user even when writes (or
// commands) are auto-approved. Matching is case-insensitive because macOS and Windows
// file systems are, and `.VSCode/settings.json` is the same file there.
import { posix } from 'node:path';
import picomatch from 'picomatch';

export const PROTECTED_PATTERNS: readonly string[] = [
  '.vscode/**',
  '**/*.code-workspace',
  '.git/**',
  '.git',
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

/**
 * Commands that name a protected path ask even under `rozet.bash.approval = auto`:
 * `echo … > .vscode/settings.json` must not slip past the rule writes follow.
 */
export function mentionsProtectedPath(command: string): boolean {
  return /(^|[\s"'=/\\(<>|;&`])(\.vscode|\.git|\.github[\\/]+workflows|\.rozet\.ya?ml|\.rozetignore|\.env[^\s"';|&]*|[^\s"';|&]*\.code-workspace)($|[\s"'/\\);|&<>`])/i.test(command);
}

function normaliseRelative(path: string): string {
  return posix
    .normalize(path.replace(/\\/g, '/'))
    .replace(/^\/+/, '')
    .replace(/\/$/, '');
}
