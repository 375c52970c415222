// The plan review before a run: nothing runs that nobody approved. --yes (or
// rozet.autoRun) approves in advance; on a terminal the user answers
// "Run these N tasks? [Y/n/e]", where e edits the plan as JSON first; without a terminal
// the command stops with exit 4 and the plan, which can be saved and run with --plan.
import type { PlanResult } from '../core/plan/plan';
import { planLines } from './format';
import { CliError, EXIT, type Output } from './io';
import { editPlan, planToJson } from './plan-file';
import type { Prompter } from './prompt';

export interface ReviewOptions {
  /** --yes or rozet.autoRun: approved in advance. */
  approved: boolean;
  /** Absent without a terminal. */
  prompter?: Prompter;
  output: Output;
  env: Record<string, string | undefined>;
  maxTasks: number;
  signal: AbortSignal;
}

/** The plan to run: the one shown, or the user's edit of it. Throws a CliError when nothing should run. */
export async function review(planned: PlanResult, options: ReviewOptions): Promise<PlanResult> {
  if (options.approved) return planned;
  const { prompter, output } = options;
  const count = planned.plan.tasks.length;
  if (!prompter)
    throw new CliError(
      EXIT.notRun,
      'review_needed',
      'not run: review needed, and there is no terminal to ask. Run it with --yes, or save the plan ' +
        '(rozet plan --json > plan.json), read it, and run `rozet run --plan plan.json --yes`.',
      { extra: { plan: planToJson(planned) } },
    );
  const question = `Run ${count === 1 ? 'this task' : `these ${count} tasks`}? [Y/n/e] `;
  for (;;) {
    const answer = await prompter.ask(question, options.signal);
    if (answer === undefined) {
      if (options.signal.aborted) throw new CliError(EXIT.cancelled, 'cancelled', 'Cancelled.', { quiet: true });
      throw new CliError(EXIT.notRun, 'not_approved', 'not run: the input ended before an answer.');
    }
    const word = answer.trim().toLowerCase();
    if (word === '' || word === 'y' || word === 'yes') return planned;
    if (word === 'n' || word === 'no')
      throw new CliError(EXIT.notRun, 'not_approved', 'not run: you declined the plan.');
    if (word === 'e' || word === 'edit') {
      const edited = await prompter.suspend(() => editPlan(planned, options));
      output.err('Running the edited plan:');
      planLines(edited).forEach((line) => output.out(line));
      return edited;
    }
    output.err('Answer y (run it), n (do not) or e (edit it first).');
  }
}
