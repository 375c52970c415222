// `rozet plan "<request>" [--json]`: always plans — with the model when it answers, else
// with the fallback planner and the reason on stderr (and in the JSON).
import type { PlanResult } from '../../core/plan/plan';
import { EXIT, type Output } from '../io';
import { startMcp } from '../mcp/start-mcp';
import { planGraphLines } from '../plan-graph';
import { planToJson } from '../plan-file';
import { makePlan, showPlan } from '../planning';
import type { CliContext } from '../setup';
import { cancellable } from './run';

export async function planCommand(
  ctx: CliContext,
  request: string,
  output: Output,
  options: { json: boolean; signal: AbortSignal },
): Promise<number> {
  // The planner names the MCP tools a task needs, as in `rozet run`: so it is shown them.
  const mcp = await startMcp(ctx, output);
  let result: PlanResult;
  try {
    result = await cancellable(options.signal, () =>
      makePlan(ctx, request, output, { signal: options.signal, json: options.json, tools: mcp?.host.tools }),
    );
  } finally {
    await mcp?.close();
  }
  showPlan(result, output, options);
  // Exactly the plan contract of docs/ARCHITECTURE.md, "Plan JSON", nothing else on stdout: `rozet run --plan` reads it back.
  if (options.json) output.out(JSON.stringify(planToJson(result), null, 2));
  else {
    output.out('');
    planGraphLines(result.plan).forEach((line) => output.out(line));
  }
  return EXIT.ok;
}
