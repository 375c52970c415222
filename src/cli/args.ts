// Command line → a command, its request and the settings given as flags. Setting flags
// become explicit values of scope 'cli', the highest source in the documented precedence.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { apiKeyEnvNames, isSettingKey, SETTING_KEYS, type ExplicitValue, type SettingKey } from '../config';
import { SETTING_FLAGS } from '../config/cli-flags';
import { closest } from '../config/suggest';
import { errorMessage } from '../core/text/error-message';
import { PROVIDER_NAMES } from '../core/model/chat';

export const COMMANDS = ['plan', 'run', 'health', 'config', 'repl', 'runs', 'resume', 'undo'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Bad command-line input: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliArgs {
  command?: CommandName;
  /** Positionals after the command, joined: quoting the request is optional. */
  request: string;
  json: boolean;
  /** Answers the plan review (and only that). */
  yes: boolean;
  /** Approves every command a worker asks to run in this run. */
  approveCommands: boolean;
  /** `run --plan FILE`: run this plan instead of planning. */
  planFile?: string;
  help: boolean;
  version: boolean;
  workspace?: string;
  explicit: Partial<Record<SettingKey, ExplicitValue>>;
}

const OPTIONS = {
  json: { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  'approve-commands': { type: 'boolean' },
  plan: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  workspace: { type: 'string', short: 'w' },
  set: { type: 'string', multiple: true },
  ...Object.fromEntries(Object.keys(SETTING_FLAGS).map((flag) => [flag, { type: 'string' }])),
} as const satisfies ParseArgsConfig['options'];

export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    // node:util's messages are good ("Unknown option '--x'"); only the stack is unwanted.
    throw new UsageError(`${errorMessage(error)}. Run \`rozet --help\` for the options.`);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  const command = first === 'help' ? rest[0] : first;
  if (command !== undefined && !(COMMANDS as readonly string[]).includes(command)) {
    const guess = closest(command, COMMANDS);
    throw new UsageError(
      `Unknown command "${command}".${guess ? ` Did you mean "${guess}"?` : ''} Commands: ${COMMANDS.join(', ')}.`,
    );
  }

  const explicit: CliArgs['explicit'] = {};
  for (const [flag, key] of Object.entries(SETTING_FLAGS)) {
    const value = (values as Record<string, unknown>)[flag];
    if (typeof value === 'string') explicit[key] = { value, scope: 'cli', label: `CLI flag --${flag}` };
  }
  for (const assignment of values.set ?? []) {
    const [key, value] = parseAssignment(assignment);
    explicit[key] = { value, scope: 'cli', label: `CLI flag --set ${key.slice('rozet.'.length)}` };
  }
  if (values.plan !== undefined && command !== 'run')
    throw new UsageError('--plan FILE only goes with `rozet run` (e.g. rozet run --plan plan.json).');

  return {
    command: command as CommandName | undefined,
    request: first === 'help' ? '' : rest.join(' '),
    json: values.json ?? false,
    yes: values.yes ?? false,
    approveCommands: values['approve-commands'] ?? false,
    planFile: values.plan,
    help: (values.help ?? false) || first === 'help',
    version: values.version ?? false,
    workspace: values.workspace,
    explicit,
  };
}

/** `rozet.worker.model=x` or `worker.model=x`. */
function parseAssignment(text: string): [SettingKey, string] {
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(`--set needs key=value (e.g. --set worker.model=qwen2.5-coder:7b), not "${text}".`);
  const written = text.slice(0, at).trim();
  const key = written.startsWith('rozet.') ? written : `rozet.${written}`;
  if (!isSettingKey(key)) {
    const guess = closest(key, SETTING_KEYS);
    throw new UsageError(
      `Unknown setting "${written}" in --set.${guess ? ` Did you mean "${guess}"?` : ''} Run \`rozet config\` to list them.`,
    );
  }
  return [key, text.slice(at + 1)];
}

const SETTINGS_HELP = `Settings (override ROZET_* environment variables and .rozet.yaml):
  --provider NAME            planner provider: ollama, openai, openrouter, gemini, anthropic, openaiCompatible
  --model ID                 planner model
  --base-url URL             planner base URL
  --worker-provider NAME     worker provider
  --worker-model ID          worker model
  --worker-base-url URL      worker base URL
  --max-parallel-workers N   tasks run at once
  --set KEY=VALUE            any setting, e.g. --set worker.idleTimeoutSeconds=300 (repeatable)
  -w, --workspace DIR        workspace root (default: the current directory)`;

const RUN_HELP = `Run options:
  -y, --yes             run the plan without asking: answers the plan review, nothing else
  --approve-commands    approve every command (execute_bash) a worker asks to run, for this run
                        (otherwise rozet.bash.approval decides; on a terminal you are asked)
  --plan FILE           run this plan (saved with rozet plan --json > FILE) instead of planning`;

const ENV_HELP = `Environment:
  ROZET_*                    every setting (\`rozet config\` lists the names), e.g. ROZET_WORKER_MODEL
  ${PROVIDER_NAMES.flatMap(apiKeyEnvNames).join(', ')}
                             API keys (also read from the workspace .env)
  HTTPS_PROXY, HTTP_PROXY, NO_PROXY
                             proxy for model requests (rozet config also shows ALL_PROXY, which is not used)
  VISUAL, EDITOR             the editor "e" opens at the plan review
  NO_COLOR                   no colours on a terminal`;

const EXIT_HELP = `Exit codes:
  0    success (run: every task succeeded)
  1    a task failed or was skipped (run), a check failed (health)
  2    usage or configuration error (unknown command/option/setting, invalid value or .rozet.yaml, bad plan file)
  3    run: no usable worker model (unreachable, key missing or rejected); nothing was run
  4    run: not run, the plan needs review (no terminal and no --yes, or you answered no)
  130  cancelled with Ctrl-C (files are written atomically: none is left half-written)
With --json every failure also ends stdout with {"error": {"code": …, "message": …}}.`;

const SAVED_RUNS_HELP = `Runs are saved as they go in the user's state folder ($XDG_STATE_HOME/rozet, else
~/.local/state/rozet; macOS ~/Library/Application Support/rozet; Windows %LOCALAPPDATA%\\rozet),
one folder per workspace, never inside the workspace. RUN is a run id or its first characters.`;

const HELP: Record<CommandName | 'main', string> = {
  main: `rozet — plan a coding request as a task tree and run it with parallel worker agents.

Usage:
  rozet plan "<request>" [--json]        make a plan and print it (no model reachable: a heuristic plan, with the reason)
  rozet run "<request>" [--yes]          plan, show the plan and ask, then run it in the workspace
  rozet run --plan FILE [--yes]          run a plan saved with rozet plan --json > FILE
  rozet health [--json]                  per role: reachable, key, model, a test chat and tool call, with fixes
  rozet config [--json]                  show every setting, its value and where it came from
  rozet repl                             one request per line, and /commands (/help lists them)
  rozet runs [--json]                    this workspace's saved runs (and unusable ones, to delete)
  rozet resume [RUN] [--yes]             go on with a saved run: succeeded tasks kept, the rest run
  rozet undo RUN [TASK] [--yes]          revert what one task (or the whole run) wrote
  rozet <command> --help                 help for one command

${RUN_HELP}

${SETTINGS_HELP}

${ENV_HELP}

${EXIT_HELP}`,
  plan: `rozet plan "<request>" [--json]

Turns the request into a task tree and prints it. When the planner model cannot be used,
a heuristic plan is made instead and the reason is printed.
  --json   print exactly {"tasks":[…], "source": "llm" | "fallback", "reason"?, "notes"?};
           save it to run later with rozet run --plan FILE

${SETTINGS_HELP}

${EXIT_HELP}`,
  run: `rozet run "<request>" [--yes] [--approve-commands] [--json]
rozet run --plan FILE [--yes] [--approve-commands] [--json]

Plans the request, shows the plan (its source, and for a fallback plan the reason) and, on a
terminal, asks "Run these N tasks? [Y/n/e]": Enter runs it, n stops, e opens it in $EDITOR
as JSON and runs what you save. Without a terminal the plan is printed and nothing runs
unless --yes (exit 4). While it runs, a live task tree is shown; commands (execute_bash)
follow rozet.bash.approval: on a terminal you are asked y/n/a(lways), without one they are
refused unless --approve-commands.
${RUN_HELP}
  --json                one JSON run event per line on stdout

${SETTINGS_HELP}

${EXIT_HELP}`,
  health: `rozet health [--json]

Checks, for the planner (orchestrator) and the workers: provider reachable, API key present
and accepted, model available, a tiny chat request answered, and for the workers one tool
call, each with its time. Failed checks say how to fix them.
Exit code 0 when nothing failed (warnings allowed), 1 otherwise.
  --json   the report as JSON

${SETTINGS_HELP}`,
  config: `rozet config [--json]

Shows every effective setting, its source (CLI flag > ROZET_* environment > .rozet.yaml >
default), where each API key comes from (never the key), proxies and any problems.
  --json   {values, sources, problems, apiKeys}

${SETTINGS_HELP}`,
  runs: `rozet runs [--json]
rozet runs delete RUN
rozet runs prune

Lists this workspace's saved runs, newest first: id, time, state (succeeded, failed,
cancelled, overBudget, interrupted), tasks done, tokens and cost, request. Saved runs that
cannot be used (unreadable, from another version of Rozet, for a workspace that moved or is
gone) are reported; \`prune\` deletes them all, \`delete RUN\` one run.
  --json   {runs: [{runId, title, state, usage, tasks: [{id, status, usage, filesChanged}]}], problems}

${SAVED_RUNS_HELP}`,
  resume: `rozet resume [RUN] [--yes] [--approve-commands] [--json]

Goes on with a saved run that failed, was cancelled, stopped at a budget or was interrupted
(without RUN: the newest such run). Succeeded tasks are kept and their results feed their
dependents; every other task runs again. When a kept task's files changed on disk since, you
choose on a terminal to keep going or to run it again; --yes keeps going.
  -y, --yes             keep going past changed files
  --approve-commands    approve every command (execute_bash) a worker asks to run, for this run
  --json                one JSON run event per line on stdout

${SAVED_RUNS_HELP}

${SETTINGS_HELP}

${EXIT_HELP}`,
  undo: `rozet undo RUN [TASK] [--yes] [--json]

Reverts what TASK of a saved run wrote (without TASK: the whole run). Edits made since on
other lines are kept; where they touch the same lines, the diff of what would be lost is
shown and you are asked (--yes: undo anyway; without a terminal the file is left alone).
A file deleted since is named and not restored. Exit code 1 when a file could not be undone.
  --json   {runId, taskId?, files: [{path, action: restored | removed | kept, reason?}]}

${SAVED_RUNS_HELP}`,
  repl: `rozet repl [--yes] [--approve-commands]

Reads one line at a time. A plain line is a request: it is planned, shown and asked about
as in rozet run, then run; later requests see a summary of the earlier ones. Lines starting
with / are commands (/help lists them): /plan <request>, /run, /retry <task>, /cancel,
/models, /config, /health, /history, /exit. Up and down recall earlier lines.
Ctrl-C cancels the running request; a second Ctrl-C, or Ctrl-D at the prompt, leaves.
${RUN_HELP}

${SETTINGS_HELP}`,
};

export function helpText(command: CommandName | undefined): string {
  return HELP[command ?? 'main'];
}
