// `rozet repl`: one line at a time. A plain line is a request, planned, reviewed and run
// as `rozet run` does; a line starting with / is a command (repl-commands.ts), never a
// request. Later requests see the earlier ones through summary-buffer memory (recent turns
// verbatim, older ones condensed by the planner model when it answers, else digested).
// Ctrl-C cancels what is running; at the prompt it drops the line, and a second one leaves.
import { SummaryBufferMemory, modelSummariser } from '../../core/run/memory';
import type { RunSummary } from '../../core/run/events';
import type { PlanResult } from '../../core/plan/plan';
import { createChatModel } from '../../providers';
import { oneLine } from '../format';
import { printFailure, toCliError } from '../failure';
import { EXIT, type CliIo, type Output } from '../io';
import { Prompter } from '../prompt';
import { replCommandFor, type ReplSession } from '../repl-commands';
import { confirmWorkspaceBaseUrls, type CliContext } from '../setup';
import { checkWorker, reviewAndRun, type RunRequestOptions, type RunRequestResult } from './run';
import { makePlan, showPlan } from '../planning';

export type ReplOptions = Pick<RunRequestOptions, 'json' | 'yes' | 'approveCommands' | 'env'>;

export interface HistoryEntry {
  request: string;
  outcome: string;
}

export async function replCommand(ctx: CliContext, output: Output, io: CliIo, options: ReplOptions): Promise<number> {
  const prompter = new Prompter(io);
  try {
    // As for every command: a base URL the workspace chose gets the key only with a yes.
    await confirmWorkspaceBaseUrls(ctx, { prompter: output.interactive ? prompter : undefined, output });
    const repl = new Repl(ctx, output, io, prompter, options);
    output.err(`Rozet REPL in ${ctx.root}. Type a request, or /help for the commands; /exit or Ctrl-D leaves.`);
    for (;;) {
      const line = await repl.prompt();
      if (line === undefined) return EXIT.ok;
      if (await repl.handle(line)) return EXIT.ok;
    }
  } finally {
    prompter.close();
  }
}

class Repl implements ReplSession {
  lastPlan: PlanResult | undefined;
  lastRun: { planned: PlanResult; summary: RunSummary } | undefined;
  readonly history: HistoryEntry[] = [];
  private readonly memory: SummaryBufferMemory;

  constructor(
    readonly ctx: CliContext,
    readonly output: Output,
    readonly io: CliIo,
    private readonly prompter: Prompter,
    private readonly options: ReplOptions,
  ) {
    this.memory = new SummaryBufferMemory({
      maxTokens: ctx.resolved.values['rozet.memory.maxTokens'],
      pinned: [],
      summarise: summariser(ctx),
    });
  }

  /** The next line; Ctrl-C meanwhile drops what was typed (a second one leaves, see main.ts). */
  async prompt(): Promise<string | undefined> {
    const off = this.io.onInterrupt(() => {
      this.output.err('\n(Ctrl-C again leaves rozet; /exit too)');
      this.prompter.dropLine();
    });
    try {
      return await this.prompter.ask('rozet> ');
    } finally {
      off();
    }
  }

  /** True when the session should end. */
  async handle(line: string): Promise<boolean> {
    const text = line.trim();
    if (!text) return false;
    if (text === 'exit' || text === 'quit') return true;
    if (text.startsWith('/')) {
      const [word, ...rest] = text.slice(1).split(/\s+/);
      return replCommandFor(word, rest.join(' '), this);
    }
    await this.plan(text, { run: true });
    return false;
  }

  /** Plans `request`; with `run`, reviews and runs it as `rozet run` does. */
  async plan(request: string, options: { run: boolean }): Promise<void> {
    await this.guarded(request, async (signal) => {
      if (options.run) await checkWorker(this.ctx, this.output, signal);
      const history = await conversation(this.memory, signal);
      this.lastPlan = await makePlan(this.ctx, request, this.output, { signal, history, json: this.options.json });
      if (!options.run) {
        showPlan(this.lastPlan, this.output, this.options);
        this.output.err('Type /run to run it, or a request to plan something else.');
        return `planned (${this.lastPlan.plan.tasks.length} tasks), not run`;
      }
      return this.runPlan(request, this.lastPlan, signal);
    });
  }

  /** Reviews and runs a plan made earlier (/run, /retry). */
  async run(label: string, planned: PlanResult): Promise<void> {
    await this.guarded(label, async (signal) => {
      await checkWorker(this.ctx, this.output, signal);
      return this.runPlan(label, planned, signal);
    });
  }

  private async runPlan(request: string, planned: PlanResult, signal: AbortSignal): Promise<string> {
    const result = await reviewAndRun(this.ctx, planned, request, this.output, {
      ...this.options,
      signal,
      prompter: this.output.interactive ? this.prompter : undefined,
    });
    this.lastPlan = undefined;
    this.lastRun = { planned: result.planned, summary: result.summary };
    this.memory.add({ role: 'user', content: request }, { role: 'assistant', content: outcome(result) });
    return describeRun(result);
  }

  /**
   * Runs one piece of work with Ctrl-C (and /cancel typed on a terminal) cancelling it;
   * a failure is printed and the session goes on. `work` returns the history's outcome.
   */
  private async guarded(request: string, work: (signal: AbortSignal) => Promise<string>): Promise<void> {
    const controller = new AbortController();
    const cancel = () => {
      this.output.err('Cancelling… (Ctrl-C again leaves rozet)');
      controller.abort();
    };
    const off = this.io.onInterrupt(cancel);
    if (this.output.interactive) this.prompter.onUnasked = (line) => line.trim() === '/cancel' && (cancel(), true);
    let result: string;
    try {
      result = await work(controller.signal);
    } catch (error) {
      // Whatever went wrong, the session goes on.
      const failure = toCliError(error);
      printFailure(this.output, failure);
      result = failure.code === 'cancelled' ? 'cancelled' : failure.message;
    } finally {
      off();
      this.prompter.onUnasked = undefined;
    }
    this.history.push({ request, outcome: result });
  }
}

function summariser(ctx: CliContext) {
  try {
    return modelSummariser(createChatModel(ctx.specs.orchestrator), {
      idleTimeoutMs: 30_000,
      retry: { maxAttempts: 1 },
    });
  } catch {
    // No usable planner model: the memory's deterministic digest does the condensing.
    return undefined;
  }
}

async function conversation(memory: SummaryBufferMemory, signal: AbortSignal): Promise<string | undefined> {
  const messages = await memory.messages(signal);
  if (messages.length === 0) return undefined;
  const turns = messages.map((m) => `${m.role === 'user' ? 'User asked' : 'Rozet did'}: ${m.content}`);
  return `Earlier in this session (the new request may refer to it):\n${turns.join('\n')}`;
}

/** What the planner is told about a finished turn. */
function outcome({ summary }: RunRequestResult): string {
  const tasks = summary.tasks.map((t) => {
    const detail = t.status === 'succeeded' ? t.result : t.error;
    return `${t.id} ${t.title}: ${t.status}${detail ? ` (${oneLine(detail).slice(0, 200)})` : ''}`;
  });
  const files = summary.filesChanged.length ? ` Files changed: ${summary.filesChanged.join(', ')}.` : '';
  return `Run ${summary.outcome}: ${tasks.join('; ')}.${files}`;
}

/** A history line's outcome: "succeeded: t1, t2" or "failed: t1 failed, t2 skipped". */
function describeRun({ summary }: RunRequestResult): string {
  const bad = summary.tasks.filter((t) => t.status !== 'succeeded');
  return bad.length === 0
    ? `${summary.outcome}: ${summary.tasks.map((t) => t.id).join(', ')}`
    : `${summary.outcome}: ${bad.map((t) => `${t.id} ${t.status}`).join(', ')}`;
}
