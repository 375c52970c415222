// The REPL's slash commands. An unknown /word is an error with a suggestion, never a
// request sent to a model.
import type { RunSummary } from '../core/run/events';
import type { Plan, PlanResult } from '../core/plan/plan';
import { closest } from '../config/suggest';
import { ROLES } from '../config';
import { createChatModel, filterModels, formatHealthReport, PROVIDERS } from '../providers';
import { checkHealth } from './commands/health';
import { configCommand } from './commands/config';
import type { CliIo, Output } from './io';
import type { CliContext } from './setup';
import { errorMessage } from '../core/text/error-message';

/** What the commands need of the running REPL. */
export interface ReplSession {
  readonly ctx: CliContext;
  readonly output: Output;
  readonly io: CliIo;
  lastPlan: PlanResult | undefined;
  readonly lastRun: { planned: PlanResult; summary: RunSummary } | undefined;
  readonly history: ReadonlyArray<{ request: string; outcome: string }>;
  plan(request: string, options: { run: boolean }): Promise<void>;
  run(label: string, planned: PlanResult): Promise<void>;
}

interface Command {
  usage: string;
  what: string;
  /** True ends the session. */
  handle(session: ReplSession, arg: string): Promise<boolean | void>;
}

const COMMANDS: Record<string, Command> = {
  help: { usage: '/help', what: 'this list', handle: async (s) => void help(s.output) },
  plan: {
    usage: '/plan <request>',
    what: 'plan a request and show the plan, without running it',
    handle: async (s, arg) => {
      if (!arg) s.output.err('rozet: /plan needs a request, e.g. /plan add a --verbose flag');
      else await s.plan(arg, { run: false });
    },
  },
  run: {
    usage: '/run',
    what: 'run the last plan (asked about first, as any plan)',
    handle: async (s) => {
      if (!s.lastPlan) s.output.err('Nothing planned yet: type a request, or /plan <request>.');
      else await s.run('/run', s.lastPlan);
    },
  },
  retry: {
    usage: '/retry <task>',
    what: 'run a task of the last run again, with the tasks skipped after it',
    handle: async (s, arg) => retry(s, arg.trim()),
  },
  cancel: {
    usage: '/cancel',
    what: 'cancel the running request (Ctrl-C does too), or drop a plan not run',
    handle: async (s) => {
      if (!s.lastPlan) return void s.output.err('Nothing is running and nothing is planned.');
      s.lastPlan = undefined;
      s.output.err('Dropped the plan that was not run.');
    },
  },
  models: { usage: '/models', what: 'the models each role can use', handle: async (s) => models(s) },
  config: {
    usage: '/config',
    what: 'every setting, its value and where it came from',
    handle: async (s) => void configCommand(s.ctx, s.output, s.io, { json: false }),
  },
  health: {
    usage: '/health',
    what: 'check the planner and worker models, with fixes',
    handle: async (s) =>
      void s.output.out(formatHealthReport(await checkHealth(s.ctx, s.output, AbortSignal.timeout(120_000)))),
  },
  history: {
    usage: '/history',
    what: 'the requests of this session and how they ended',
    handle: async (s) => history(s),
  },
  exit: { usage: '/exit', what: 'leave (Ctrl-D too)', handle: async () => true },
};
const ALIASES: Record<string, string> = { quit: 'exit', '?': 'help' };

/** Runs `/word arg`; true when the session should end. */
export async function replCommandFor(word: string, arg: string, session: ReplSession): Promise<boolean> {
  const command = COMMANDS[ALIASES[word] ?? word];
  if (!command) {
    const guess = closest(word, Object.keys(COMMANDS));
    session.output.err(
      `rozet: Unknown command /${word}.${guess ? ` Did you mean /${guess}?` : ''} Type /help for the commands; a request never starts with /.`,
    );
    return false;
  }
  return (await command.handle(session, arg)) === true;
}

function help(output: Output): void {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  output.out('Type a request to plan it, see the plan and run it. Commands:');
  for (const command of Object.values(COMMANDS)) output.out(`  ${command.usage.padEnd(width)}  ${command.what}`);
  output.out('Ctrl-C cancels what is running; a second Ctrl-C leaves. Up and down recall earlier lines.');
}

async function models(session: ReplSession): Promise<void> {
  const { ctx, output } = session;
  for (const role of ROLES) {
    const spec = ctx.specs[role];
    output.out(
      `${role === 'orchestrator' ? 'planner (orchestrator)' : 'worker'}: ${PROVIDERS[spec.provider].displayName}`,
    );
    try {
      const listed = await createChatModel(spec).listModels(AbortSignal.timeout(10_000));
      const ids = filterModels(listed, ctx.resolved.values['rozet.models.exclude']).map((m) => m.id);
      for (const id of ids.includes(spec.model) ? ids : [spec.model, ...ids])
        output.out(
          `  ${id === spec.model ? '*' : ' '} ${id}${id === spec.model && !ids.includes(id) ? '  (not listed)' : ''}`,
        );
    } catch (error) {
      output.out(`  * ${spec.model}  (the list could not be fetched: ${errorMessage(error)})`);
    }
  }
  output.out('* in use. Change with --model / --worker-model, or ROZET_ORCHESTRATOR_MODEL / ROZET_WORKER_MODEL.');
}

function history(session: ReplSession): void {
  if (session.history.length === 0) return void session.output.out('Nothing yet in this session.');
  session.history.forEach((entry, i) =>
    session.output.out(`  ${String(i + 1).padStart(2)}  ${entry.request} — ${entry.outcome}`),
  );
}

async function retry(session: ReplSession, id: string): Promise<void> {
  const { output, lastRun } = session;
  if (!lastRun) return void output.err('Nothing has run yet in this session.');
  const plan = lastRun.planned.plan;
  const ids = plan.tasks.map((t) => t.id);
  if (!id || !ids.includes(id))
    return void output.err(`No task ${id || '(none given)'} in the last run; its tasks are ${ids.join(', ')}.`);
  const retried = retryPlan(plan, lastRun.summary, id);
  if (typeof retried === 'string') return void output.err(retried);
  const after = retried.tasks.slice(1).map((t) => t.id);
  output.err(`Retrying ${id}${after.length ? ` and the tasks skipped after it: ${after.join(', ')}` : ''}.`);
  await session.run(`/retry ${id}`, { ...lastRun.planned, plan: retried, notes: [] });
}

/**
 * The task and every task after it that did not succeed, as a plan of their own. Their
 * dependencies on tasks that succeeded are dropped (already done); one on a task that did
 * not succeed is refused, since that task must be retried first.
 */
export function retryPlan(plan: Plan, summary: RunSummary, id: string): Plan | string {
  const succeeded = new Set(summary.tasks.filter((t) => t.status === 'succeeded').map((t) => t.id));
  const chosen = new Set([id]);
  for (let grew = true; grew;) {
    grew = false;
    for (const task of plan.tasks)
      if (!chosen.has(task.id) && !succeeded.has(task.id) && task.dependsOn.some((d) => chosen.has(d))) {
        chosen.add(task.id);
        grew = true;
      }
  }
  const blocked = plan.tasks.find((t) => t.id === id)?.dependsOn.find((d) => !succeeded.has(d) && !chosen.has(d));
  if (blocked) return `${id} depends on ${blocked}, which did not succeed: /retry ${blocked} first.`;
  const tasks = plan.tasks
    .filter((t) => chosen.has(t.id))
    .map((t) => ({ ...t, dependsOn: t.dependsOn.filter((d) => chosen.has(d)) }));
  // The asked-for task first, so the message above names it first.
  return { tasks: [...tasks.filter((t) => t.id === id), ...tasks.filter((t) => t.id !== id)] };
}
