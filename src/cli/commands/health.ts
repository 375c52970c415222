// `rozet health [--json]`: the shared health check for both roles, and how commands run
// (sandboxed or not); commands that would all be refused fail the check.
import { ROLES, sandboxSettingsFromConfig } from '../../config';
import { currentConfinement } from '../../core/sandbox/command-shell';
import { formatHealthReport, healthCheck } from '../../providers';
import { EXIT, type Output } from '../io';
import type { CliContext } from '../setup';

export async function healthCommand(
  ctx: CliContext,
  output: Output,
  options: { json: boolean; signal: AbortSignal },
): Promise<number> {
  const report = await healthCheck(
    ROLES.map((role) => ({ role, spec: ctx.specs[role], keySource: ctx.keySources[role] })),
    { signal: options.signal },
  );
  if (options.signal.aborted) return EXIT.cancelled;
  const { sandboxed, network, refusal, summary } = await currentConfinement(
    sandboxSettingsFromConfig(ctx.resolved.values),
  );
  const ok = report.ok && !refusal;
  output.out(
    options.json
      ? JSON.stringify({ ...report, ok, commands: { sandboxed, network, refused: !!refusal, summary } }, null, 2)
      : `${formatHealthReport(report)}\n\nCommands: ${summary}`,
  );
  return ok ? EXIT.ok : EXIT.failed;
}
