// `rozet health [--json]`: the shared health check for both roles.
import { ROLES } from '../../config';
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
  output.out(options.json ? JSON.stringify(report, null, 2) : formatHealthReport(report));
  return report.ok ? EXIT.ok : EXIT.failed;
}
