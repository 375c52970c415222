// `rozet plan "<request>" [--json]`: always plans — with the model when it answers, else
// with the fallback planner and the reason on stderr (and in the JSON).
import { isAbortError } from '../../core/model/chat';
import type { PlanResult } from '../../core/plan/plan';
import { planLines } from '../format';
import { EXIT, type Output } from '../io';
import { planGraphLines } from '../plan-graph';
import { makePlan } from '../planning';
import type { CliContext } from '../setup';

export async function planCommand(
  ctx: CliContext,
  request: string,
  output: Output,
  options: { json: boolean; signal: AbortSignal },
): Promise<number> {
  let result: PlanResult;
  try {
    result = await makePlan(ctx, request, { signal: options.signal });
  } catch (error) {
    if (isAbortError(error) || options.signal.aborted) return EXIT.cancelled;
    throw error;
  }
  if (result.reason)
    output.err(`rozet: ${result.source === 'fallback' ? 'planned without the model' : 'note'}: ${result.reason}`);
  result.notes.forEach((note) => output.err(`rozet: note: ${note}`));
  if (options.json) {
    // Exactly the plan contract (docs/ARCHITECTURE.md, "Plan JSON"), nothing else on stdout.
    output.out(
      JSON.stringify(
        { tasks: result.plan.tasks, source: result.source, ...(result.reason ? { reason: result.reason } : {}) },
        null,
        2,
      ),
    );
  } else {
    planLines(result).forEach((line) => output.out(line));
    output.out('');
    planGraphLines(result.plan).forEach((line) => output.out(line));
  }
  return EXIT.ok;
}
