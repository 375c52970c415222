// `rozet health [--json]`: the shared health check for both roles, with a spinner while
// the test chats wait for their models.
import { ROLES } from '../../config';
import { formatHealthReport, healthCheck, type HealthReport } from '../../providers';
import { EXIT, type Output } from '../io';
import { startProgress } from '../progress';
import { targetOf, type CliContext } from '../setup';
import { cancellable } from './run';

export async function checkHealth(ctx: CliContext, output: Output, signal: AbortSignal): Promise<HealthReport> {
  const progress = startProgress(output, 'checking the planner and worker models');
  try {
    return await cancellable(signal, () =>
      healthCheck(
        ROLES.map((role) => targetOf(ctx, role)),
        { signal },
      ),
    );
  } finally {
    progress.stop();
  }
}

export async function healthCommand(
  ctx: CliContext,
  output: Output,
  options: { json: boolean; signal: AbortSignal },
): Promise<number> {
  const report = await checkHealth(ctx, output, options.signal);
  if (!options.json) output.out(formatHealthReport(report));
  else {
    // A failing report says so in the `error` member every --json failure has.
    const failed = report.roles.flatMap((r) =>
      r.checks.filter((c) => c.status === 'fail').map((c) => `${r.role} ${c.name}`),
    );
    const error = failed.length
      ? { error: { code: 'health_failed', message: `Failed checks: ${failed.join(', ')}.` } }
      : {};
    output.out(JSON.stringify({ ...report, ...error }, null, 2));
  }
  return report.ok ? EXIT.ok : EXIT.failed;
}
