// A health report as plain lines, for the CLI and the extension's output channel.
import { PROVIDERS } from './catalogue';
import type { CheckStatus, HealthReport } from './health';

const MARKS: Record<CheckStatus, string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

export function formatHealthReport(report: HealthReport): string {
  const lines: string[] = [];
  for (const role of report.roles) {
    lines.push(
      `${role.role}: ${PROVIDERS[role.provider]?.displayName ?? role.provider} "${role.model}"${role.baseUrl ? ` at ${role.baseUrl}` : ''}`,
    );
    for (const check of role.checks) {
      const time = check.durationMs === undefined ? '' : seconds(check.durationMs);
      lines.push(`  ${MARKS[check.status]}  ${check.name.padEnd(8)} ${time.padStart(6)}  ${check.message}`);
      if (check.fix && (check.status === 'fail' || check.status === 'warn'))
        lines.push(`        ${''.padEnd(8)} ${''.padStart(6)}  fix: ${check.fix}`);
    }
  }
  lines.push(report.ok ? 'All checks passed.' : 'Some checks failed: see the fixes above.');
  return lines.join('\n');
}

function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}
