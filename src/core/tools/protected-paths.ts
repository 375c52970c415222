// Paths whose change can raise an agent's own powers or run code outside its tools
// (docs/ARCHITECTURE.md, "Security invariants"):
// editor settings and tasks, git hooks and config, commit hooks (husky), package-manager
// settings, CI workflows, Rozet's own configuration, secrets. A write to one of them asks
// the user even when writes (or commands) are auto-approved, and the command sandbox
// mounts the ones that exist read-only. Matching is case-insensitive because macOS and
// Windows file systems are, and `.VSCode/settings.json` is the same file there.
import { posix } from 'node:path';
import picomatch from 'picomatch';

/**
 * The one list of protected names, each matched at any depth (a sub-folder can be a root
 * of a multi-root workspace, and a nested repository's hooks run whenever git is used
 * inside it). A name covers itself and, for a folder, everything below it.
 */
export const PROTECTED_NAMES: readonly string[] = [
  '.vscode',
  '*.code-workspace',
  '.git',
  '.github/workflows',
  '.husky',
  '.rozet.yaml',
  '.rozet.yml',
  '.rozetignore',
  '.env*',
  '.npmrc',
  '.yarnrc*',
  '.gitmodules',
  '.gitattributes',
];

export const PROTECTED_PATTERNS: readonly string[] = PROTECTED_NAMES.flatMap((name) => [`**/${name}`, `**/${name}/**`]);

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
 * Files whose mere reading sends secrets to the model: `.env*`, private keys and
 * certificates, credential files. `.npmrc` counts only when it holds a token, which
 * `holdsSecret` tells from its text.
 */
const SECRET_FILE_PATTERNS = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/*.p12',
  '**/*.pfx',
  '**/id_{rsa,dsa,ecdsa,ed25519}{,_sk}',
  '**/.netrc',
  '**/.git-credentials',
  '**/.pypirc',
];
const isSecretFileMatch = picomatch(SECRET_FILE_PATTERNS, { nocase: true, dot: true });
const NPM_TOKEN = /^\s*[^#;\s]*(_authToken|_auth|_password)\s*=/im;

/** Whether reading this file (as given and as resolved) asks first; `content` lets `.npmrc` decide. */
export function isSecretFile(paths: readonly string[], content?: string): boolean {
  if (paths.some((p) => isSecretFileMatch(normaliseRelative(p)))) return true;
  const npmrc = paths.some((p) => /(^|\/)\.npmrc$/i.test(normaliseRelative(p)));
  return npmrc && content !== undefined && NPM_TOKEN.test(content);
}

/** A protected name as a shell word: `*` stands for any run of non-separator characters. */
const PROTECTED_WORD = new RegExp(
  `(^|[\\s"'=/\\\\(<>|;&\`])(${PROTECTED_NAMES.map((name) =>
    name
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\//g, '[\\\\/]+'))
      .join(`[^\\s"';|&]*`),
  ).join('|')})($|[\\s"'/\\\\);|&<>\`])`,
  'i',
);
/** What a shell glob in a command could expand to: each name's first segment, `*` as nothing or "x". */
const GLOB_TARGETS = PROTECTED_NAMES.flatMap((name) => {
  const first = name.split('/')[0];
  return [first.replace(/\*/g, ''), first.replace(/\*/g, 'x')];
});
// `git config …` (and `git -c … config`) writes .git/config, e.g. core.hooksPath.
const GIT_CONFIG = /(^|[\s;&|(`])git(\s+-\S+)*\s+config\b/i;

/**
 * Commands that name a protected path ask even under `rozet.bash.approval = auto`:
 * `echo … > .vscode/settings.json` must not slip past the rule writes follow. Quotes and
 * backslashes are dropped first (`.vs''code` is `.vscode` to the shell), and a word with
 * glob characters asks when it could expand to a protected name. This is a textual check
 * and so only best effort: a program can compute a path (`p=.gi; … ${p}t/hooks`). The
 * command sandbox is what actually keeps existing protected paths read-only.
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

export function normaliseRelative(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\/+/, '').replace(/\/$/, '');
}
