// Whether an `execute_bash` command runs, asks the user, or is refused
// (rozet.bash.approval; docs/ARCHITECTURE.md, "Security invariants"). An allowlisted
// prefix only ever vouches for one simple command with plain arguments: anything a shell
// would treat as a second command, a redirection or a substitution, and options that make
// an allowed binary run something else (`git -c core.pager=…`, `find -exec`), fall back
// to asking. When in doubt the answer is "ask", never "run".
import { mentionsProtectedPath } from './protected-paths';

export type BashApproval = 'ask' | 'allowlist' | 'auto' | 'deny';

export interface CommandDecision {
  action: 'run' | 'ask' | 'deny';
  /** Shown to the user when asked and to the model when refused. */
  reason: string;
}

export interface CommandPolicy {
  mode: BashApproval;
  /** Configured prefixes; anything not an array of plain, non-empty strings fails closed. */
  allowlist: unknown;
  /** Prefixes the user chose "always allow" for during this session. */
  sessionAllowlist?: readonly string[];
}

/** Characters that make a second command, a redirection, a substitution or an expansion. */
const SHELL_SYNTAX = /[;&|<>`$(){}\n\r\u2028\u2029\u0085\\!*?[\]#~'"]|[\u0000-\u001f\u007f]/;

/** Options that make an allowed binary execute or configure something else. */
const INJECTION: Record<string, RegExp> = {
  git: /^(-c|-C|--config-env.*|--exec-path.*|--git-dir.*|--work-tree.*|--upload-pack.*|--receive-pack.*|-u|--ext-diff|--textconv|--output.*|--template.*|--namespace.*)$|^core\./i,
  find: /^-(exec|execdir|ok|okdir|delete|fprint|fprint0|fprintf|fls)$/,
  rg: /^--(pre|pre-glob)(=.*)?$/,
  tar: /^(--to-command.*|--use-compress-program.*|-I|--checkpoint-action.*|--rsh-command.*)$/,
  zip: /^(-T|--unzip-command.*|-TT.*)$/,
  xargs: /./,
  env: /./,
  npx: /^(-c|--call.*)$/,
  npm: /^(--script-shell.*|exec|x)$/,
  sed: /^(-i.*|--in-place.*)$/,
  awk: /./,
  make: /^(-f.*|--file.*|--eval.*|-C|--directory.*)$/,
  python: /^-c$/,
  python3: /^-c$/,
  node: /^(-e|--eval|-p|--print|-r|--require)$/,
  sh: /./,
  bash: /./,
};

export function decideCommand(command: string, policy: CommandPolicy): CommandDecision {
  if (policy.mode === 'deny')
    return { action: 'deny', reason: 'Commands are switched off (rozet.bash.approval = deny).' };
  if (!command.trim()) return { action: 'deny', reason: 'The command is empty.' };
  if (mentionsProtectedPath(command))
    return {
      action: 'ask',
      reason: 'The command names a protected path (.vscode, .git, .github/workflows, .env, Rozet settings).',
    };
  if (policy.mode === 'auto') return { action: 'run', reason: 'rozet.bash.approval = auto' };

  const session = policy.sessionAllowlist ?? [];
  const configured = policy.mode === 'allowlist' ? policy.allowlist : [];
  const prefixes = parseAllowlist(configured);
  if (!prefixes)
    return {
      action: 'ask',
      reason: 'rozet.bash.allowlist is malformed (it must be a list of plain command prefixes), so every command asks.',
    };
  const sessionPrefixes = parseAllowlist(session) ?? [];
  const all = [...prefixes, ...sessionPrefixes];
  if (all.length === 0)
    return { action: 'ask', reason: policy.mode === 'ask' ? 'rozet.bash.approval = ask' : 'The allowlist is empty.' };

  if (SHELL_SYNTAX.test(command)) {
    return {
      action: 'ask',
      reason: 'The command chains, redirects, quotes or substitutes, which an allowlisted prefix never covers.',
    };
  }
  const words = command.trim().split(/[ \t]+/);
  const match = all.find((prefix) => prefix.every((word, i) => words[i] === word));
  if (!match) return { action: 'ask', reason: 'The command does not start with an allowlisted prefix.' };
  const binary = programName(words[0]);
  const rule = INJECTION[binary];
  const extra = words.slice(1);
  if (rule && extra.some((word) => rule.test(word))) {
    return { action: 'ask', reason: `An argument lets ${binary} run or configure something else.` };
  }
  if (words.slice(match.length).some(leavesWorkspace)) {
    return { action: 'ask', reason: 'An argument points outside the workspace.' };
  }
  return { action: 'run', reason: `Allowlisted prefix "${match.join(' ')}".` };
}

/**
 * Splits allowlist entries into words; undefined when any entry is not a plain command
 * prefix, so a typo'd or hostile setting never widens what runs unasked.
 */
export function parseAllowlist(value: unknown): string[][] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: string[][] = [];
  for (const entry of value) {
    if (typeof entry !== 'string' || !entry.trim() || SHELL_SYNTAX.test(entry)) return undefined;
    out.push(entry.trim().split(/[ \t]+/));
  }
  return out;
}

/** `/usr/bin/git` and `git.exe` are git. */
export function programName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1).replace(/\.exe$/i, '');
}

function leavesWorkspace(word: string): boolean {
  const value = word.includes('=') ? word.slice(word.indexOf('=') + 1) : word;
  return value.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(value);
}

/**
 * The prefix "Always allow" offers, the same in every host: the program and its
 * sub-command ("npm test", "git status"), and only when the policy agrees that prefix
 * would cover exactly this single simple command — never a chain, redirection or
 * injection form. Undefined when no prefix is safe: then the command is allowed once.
 */
export function alwaysAllowPrefix(command: string): string | undefined {
  const words = command.trim().split(/\s+/);
  const candidate = words.length > 1 && !words[1].startsWith('-') ? `${words[0]} ${words[1]}` : words[0];
  if (!candidate) return undefined;
  return decideCommand(command, { mode: 'allowlist', allowlist: [candidate] }).action === 'run' ? candidate : undefined;
}
