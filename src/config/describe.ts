// The "Rozet: Show Configuration" / `rozet config` table: every effective value and where
// it came from. It receives key *sources* only and never prints a key.
import type { ProviderName } from '../core/model/chat';
import type { Host } from '../core/model/fix';
import { PROVIDER_FACTS } from '../core/model/provider-facts';
import { fixSentence } from './fix-hints';
import { keySourceLabel, type ApiKeySource } from './api-keys';
import { effectiveBaseUrl, redactUrl } from './base-url';
import { envName } from './env-names';
import { baseUrlNeedsConfirmation, ROLES, type ResolvedConfig } from './resolve';
import { SETTING_KEYS, type SettingKey } from './schema';

export interface DescribeExtras {
  /** Key status per provider, e.g. resolveApiKey() results; only `source`/`variable` are read. */
  apiKeys?: Partial<Record<ProviderName, { source?: ApiKeySource; variable?: string }>>;
  /** The process environment, to say whether an HTTP proxy is configured. */
  env?: Record<string, string | undefined>;
  /** How commands are confined here (a sandbox, or why not), from src/core/sandbox. */
  commands?: string;
  /** Who reads the table (default: VS Code): fixes are worded for it. */
  host?: Host;
  /** The reader's commands stop at an error (the CLI), so a fallback value is never used. */
  errorsStop?: boolean;
}

const PROXY_VARIABLES = ['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'NO_PROXY'];

export function describeConfig(resolved: ResolvedConfig, extras: DescribeExtras = {}): string {
  const rows: string[][] = [['Setting', 'Value', 'Source', 'Environment variable']];
  for (const key of SETTING_KEYS) rows.push([key, formatValue(resolved, key), resolved.sources[key], envName(key)]);

  const lines = [
    'Rozet configuration (precedence: VS Code setting or CLI flag > ROZET_* environment > .rozet.yaml > default)',
    '',
    ...table(rows),
  ];

  if (extras.apiKeys) {
    lines.push('', 'API keys');
    const keyRows = ROLES.map((role) => {
      const provider = resolved.values[`rozet.${role}.provider`];
      return [`  ${role} (${provider})`, keyStatus(provider, extras.apiKeys?.[provider], extras.host ?? 'vscode')];
    });
    lines.push(...table(keyRows));
  }

  lines.push('', 'HTTP proxy', ...table(proxyRows(extras.env ?? {})));
  if (extras.commands) lines.push('', 'Commands', `  ${extras.commands}`);

  if (resolved.problems.length > 0) {
    lines.push('', 'Problems');
    for (const problem of resolved.problems) {
      const fallback = problem.fallback && !extras.errorsStop ? ` ${problem.fallback}` : '';
      lines.push(`  ${problem.severity}: ${problem.message}${fallback}`);
    }
    if (extras.errorsStop && resolved.problems.some((p) => p.severity === 'error'))
      lines.push('  Commands other than `rozet config` stop until the errors are fixed.');
  }
  return lines.join('\n');
}

function formatValue(resolved: ResolvedConfig, key: SettingKey): string {
  const value = resolved.values[key];
  if (key === 'rozet.orchestrator.baseUrl' || key === 'rozet.worker.baseUrl') {
    const role = key === 'rozet.worker.baseUrl' ? 'worker' : 'orchestrator';
    if (value === '') {
      const fallback = effectiveBaseUrl(resolved.values[`rozet.${role}.provider`], '');
      return fallback ? `(provider default: ${fallback})` : '(not set: required for this provider)';
    }
    const url = redactUrl(String(value));
    return baseUrlNeedsConfirmation(resolved, role) ? `${url} (from the workspace: asks before sending a key)` : url;
  }
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function keyStatus(
  provider: ProviderName,
  status: { source?: ApiKeySource; variable?: string } | undefined,
  host: Host,
): string {
  if (status?.source) return `set (${keySourceLabel(status)})`;
  return PROVIDER_FACTS[provider].keyRequired
    ? `not set: ${fixSentence({ kind: 'apiKey', provider }, host)}`
    : 'not set (optional for this provider)';
}

function proxyRows(env: Record<string, string | undefined>): string[][] {
  const rows: string[][] = [];
  for (const name of PROXY_VARIABLES) {
    // Tools disagree on case; curl and Node libraries read both spellings.
    const found = [name, name.toLowerCase()].find((n) => env[n]?.trim());
    if (!found) continue;
    const value = env[found]?.trim() ?? '';
    rows.push([`  ${found}`, name === 'NO_PROXY' ? value : `set (${proxyHost(value)})`]);
  }
  return rows.length > 0 ? rows : [['  none', 'no HTTPS_PROXY, HTTP_PROXY, ALL_PROXY or NO_PROXY in the environment']];
}

/** Host and port only: a proxy URL often carries a user name and password. */
function proxyHost(value: string): string {
  try {
    return new URL(value.includes('://') ? value : `http://${value}`).host || 'not a valid URL';
  } catch {
    return 'not a valid URL';
  }
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '));
}
