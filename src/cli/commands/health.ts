// `rozet health [--json]`: the shared health check for both roles, with a spinner while
// the test chats wait for their models; the worker's parallel slots per endpoint; and how
// commands run (sandboxed or not) — commands that would all be refused fail the check.
import { ROLES, sandboxSettingsFromConfig } from '../../config';
import { currentConfinement } from '../../core/sandbox/command-shell';
import { describeSlotReport, formatHealthReport, healthCheck, workerSlots, type HealthReport } from '../../providers';
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
  if (options.signal.aborted) return EXIT.cancelled;
  const slots = await workerSlots(ctx.specs.worker, options.signal);
  const { sandboxed, network, refusal, summary } = await currentConfinement(
    sandboxSettingsFromConfig(ctx.resolved.values),
  );
  const ok = report.ok && !refusal;
  if (!options.json) {
    output.out(formatHealthReport(report));
    output.out(
      `\nWorker slots (rozet.worker.parallelRequests):\n${slots.map((s) => `  ${describeSlotReport(s)}`).join('\n')}`,
    );
    output.out(`\nCommands: ${summary}`);
  } else {
    // A failing report says so in the `error` member every --json failure has.
    const failed = [
      ...report.roles.flatMap((r) => r.checks.filter((c) => c.status === 'fail').map((c) => `${r.role} ${c.name}`)),
      ...(refusal ? ['commands'] : []),
    ];
    const error = failed.length
      ? { error: { code: 'health_failed', message: `Failed checks: ${failed.join(', ')}.` } }
      : {};
    output.out(
      JSON.stringify(
        { ...report, ok, slots, commands: { sandboxed, network, refused: !!refusal, summary }, ...error },
        null,
        2,
      ),
    );
  }
  return ok ? EXIT.ok : EXIT.failed;
}
