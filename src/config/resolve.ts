// One place that decides every effective setting and where it came from.
// Precedence, highest first (docs/ARCHITECTURE.md, "Settings"): explicit VS Code setting
// or CLI flag > ROZET_* environment > workspace .rozet.yaml > default. A value that fails
// validation is reported and the next source down is used, so one typo never stops Rozet.
import { dotenvProblems, parseDotenv } from './dotenv-source';
import { envName, parseTextValue } from './env-names';
import type { ConfigProblem, FilePosition, ValueSource } from './problems';
import {
  defaultValue,
  describeAllowed,
  isPowerSetting,
  SETTING_KEYS,
  settingSchemas,
  settingShape,
  type RozetConfig,
  type SettingKey,
} from './schema';
import { redactUrl } from './base-url';
import { closest } from './suggest';
import { readYamlSettings, YAML_FILE, type YamlSettings } from './yaml-source';

export type ExplicitScope = 'user' | 'workspace' | 'workspaceFolder' | 'cli';

export interface ExplicitValue {
  value: unknown;
  scope: ExplicitScope;
  /** How the user wrote it, for messages (e.g. "CLI flag --max-parallel-workers"). */
  label?: string;
}

export interface ResolveInput {
  /**
   * Values set explicitly in VS Code (one per scope, as `inspect()` reports them) or as CLI
   * flags. Pass every scope that has a value: a power setting's workspace value is skipped,
   * and the user value under it must still be found.
   */
  explicit?: Partial<Record<SettingKey, ExplicitValue | readonly ExplicitValue[]>>;
  env?: Record<string, string | undefined>;
  /** Text of the workspace .rozet.yaml, if there is one. */
  yamlText?: string;
  /** Text of the workspace .env; only read to tell the user that ROZET_* lines there are ignored. */
  dotenvText?: string;
}

export interface ResolvedConfig {
  values: RozetConfig;
  sources: Record<SettingKey, ValueSource>;
  problems: ConfigProblem[];
}

interface Candidate {
  value: unknown;
  source: Exclude<ValueSource, 'default'>;
  /** How the user finds it: "workspace folder setting", "environment variable ROZET_…". */
  label: string;
  /** Came in as text (environment, CLI flag) and must be parsed to the setting's type. */
  text: boolean;
  /** Written by whoever controls the workspace (a cloned repository, say). */
  fromWorkspace: boolean;
  position?: FilePosition;
}

// Among explicit values the most specific wins, as in VS Code; a CLI flag is the user's
// own choice for this one run and beats them all.
const SCOPE_ORDER: readonly ExplicitScope[] = ['cli', 'workspaceFolder', 'workspace', 'user'];

const EXPLICIT_LAYERS: Record<ExplicitScope, Omit<Candidate, 'value' | 'text'>> = {
  cli: { source: 'cli flag', label: 'CLI flag', fromWorkspace: false },
  user: { source: 'user setting', label: 'user settings', fromWorkspace: false },
  workspace: { source: 'workspace setting', label: 'workspace settings', fromWorkspace: true },
  workspaceFolder: { source: 'workspace setting', label: 'workspace folder settings', fromWorkspace: true },
};

function candidatesFor(key: SettingKey, input: ResolveInput, yaml: YamlSettings): Candidate[] {
  const raw = input.explicit?.[key];
  const explicit = (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) as readonly ExplicitValue[];
  const list = explicit
    .filter((entry) => entry.value !== undefined)
    .sort((a, b) => SCOPE_ORDER.indexOf(a.scope) - SCOPE_ORDER.indexOf(b.scope))
    // CLI flags are text by nature; VS Code settings arrive already typed from JSON.
    .map((entry) => ({
      ...EXPLICIT_LAYERS[entry.scope],
      ...(entry.label ? { label: entry.label } : {}),
      value: entry.value,
      text: entry.scope === 'cli' && typeof entry.value === 'string',
    }));
  const name = envName(key);
  const envValue = input.env?.[name];
  // `ROZET_X= rozet run` is the usual way to unset a variable for one command.
  if (envValue !== undefined && envValue.trim() !== '') {
    list.push({
      value: envValue,
      source: 'environment',
      label: `environment variable ${name}`,
      text: true,
      fromWorkspace: false,
    });
  }
  if (key in yaml.values) {
    const position = yaml.positions[key];
    list.push({
      value: yaml.values[key],
      source: YAML_FILE,
      label: position ? `${YAML_FILE} line ${position.line}, column ${position.column}` : YAML_FILE,
      text: false,
      fromWorkspace: true,
      position,
    });
  }
  return list;
}

/** Forgiving spellings that are unambiguous: enum case, and `keepAlive: -1` written as a YAML number. */
function coerce(key: SettingKey, value: unknown): unknown {
  const shape = settingShape(key);
  if (shape.enum && typeof value === 'string') {
    return shape.enum.find((option) => option.toLowerCase() === value.trim().toLowerCase()) ?? value;
  }
  if (shape.type === 'string' && typeof value === 'number') return String(value);
  return value;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(redactUrl(value)) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const yaml: YamlSettings =
    input.yamlText === undefined ? { values: {}, positions: {}, problems: [] } : readYamlSettings(input.yamlText);
  problems.push(...yaml.problems);
  if (input.dotenvText !== undefined) problems.push(...dotenvProblems(parseDotenv(input.dotenvText)));

  const values: Record<string, unknown> = {};
  const sources = {} as Record<SettingKey, ValueSource>;

  for (const key of SETTING_KEYS) {
    // `value`: as parsed from text where that worked, so "99" from a flag shows as 99.
    const rejected: Array<{ candidate: Candidate; value: unknown; reason: string }> = [];
    let chosen: { value: unknown; source: ValueSource } | undefined;

    for (const candidate of candidatesFor(key, input, yaml)) {
      if (isPowerSetting(key) && candidate.fromWorkspace) {
        problems.push({
          severity: 'warning',
          key,
          source: candidate.source,
          message:
            `${key} in ${candidate.label} was ignored: only user settings can change it ` +
            `(or a CLI flag, or the ${envName(key)} environment variable), so a workspace cannot raise Rozet's powers.`,
        });
        continue;
      }
      let value = candidate.value;
      if (candidate.text && typeof value === 'string') {
        const parsed = parseTextValue(key, value);
        if (!parsed.ok) {
          rejected.push({ candidate, value, reason: parsed.reason });
          continue;
        }
        value = parsed.value;
      }
      const result = settingSchemas[key].safeParse(coerce(key, value));
      if (result.success) {
        chosen = { value: result.data, source: candidate.source };
        break;
      }
      const issue = result.error.issues[0];
      const at = issue.path.length > 0 ? `item ${Number(issue.path[0]) + 1}: ` : '';
      // zod's enum message repeats the options that "Allowed:" lists anyway.
      const reason = issue.code === 'invalid_value' ? 'not one of the allowed values' : issue.message;
      rejected.push({ candidate, value, reason: `${at}${reason}` });
    }

    chosen ??= { value: defaultValue(key), source: 'default' };
    values[key] = chosen.value;
    sources[key] = chosen.source;

    for (const { candidate, value, reason } of rejected) {
      const options = settingShape(key).enum;
      const guess =
        options && typeof candidate.value === 'string' ? closest(candidate.value.trim(), options) : undefined;
      problems.push({
        severity: 'error',
        key,
        source: candidate.source,
        ...(candidate.position ? { line: candidate.position.line, column: candidate.position.column } : {}),
        message:
          `${key} from ${candidate.label} is ${show(value)}, which is not valid (${reason}). ` +
          `Allowed: ${describeAllowed(key)}.${guess ? ` Did you mean "${guess}"?` : ''}`,
        fallback:
          chosen.source === 'default'
            ? `Using the default ${show(chosen.value)} instead.`
            : `Using ${show(chosen.value)} from ${chosen.source} instead.`,
      });
    }
  }

  const resolved: ResolvedConfig = { values: values as RozetConfig, sources, problems };
  for (const role of ROLES) problems.push(...missingBaseUrl(resolved, role));
  return resolved;
}

export const ROLES = ['orchestrator', 'worker'] as const;
export type Role = (typeof ROLES)[number];

function missingBaseUrl(resolved: ResolvedConfig, role: Role): ConfigProblem[] {
  const providerKey = `rozet.${role}.provider` as const;
  const urlKey = `rozet.${role}.baseUrl` as const;
  if (resolved.values[providerKey] !== 'openaiCompatible' || resolved.values[urlKey] !== '') return [];
  return [
    {
      severity: 'error',
      key: urlKey,
      // openaiCompatible is never a default, so someone set it and the source is real.
      source: resolved.sources[providerKey] as ConfigProblem['source'],
      message:
        `${urlKey} is empty, but ${providerKey} is openaiCompatible, which has no default address. ` +
        `Set ${urlKey} (or ${envName(urlKey)}) to your server, e.g. http://127.0.0.1:1234/v1 for LM Studio.`,
    },
  ];
}

const WORKSPACE_SOURCES: readonly ValueSource[] = ['workspace setting', YAML_FILE];

/**
 * A base URL chosen by the workspace needs the user's confirmation before any key is sent
 * there: a cloned repository could otherwise point requests at its own server.
 */
export function baseUrlNeedsConfirmation(resolved: ResolvedConfig, role: Role): boolean {
  const key = `rozet.${role}.baseUrl` as const;
  return resolved.values[key] !== '' && WORKSPACE_SOURCES.includes(resolved.sources[key]);
}

/** The same rule for rozet.worker.endpoints: a list the workspace chose gets no key unasked. */
export function endpointsNeedConfirmation(resolved: ResolvedConfig): boolean {
  const key = 'rozet.worker.endpoints';
  return resolved.values[key].length > 0 && WORKSPACE_SOURCES.includes(resolved.sources[key]);
}
