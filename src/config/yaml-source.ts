// Workspace `.rozet.yaml`: the same keys as the VS Code settings, flat or nested.
//   rozet.worker.model: x   |   worker.model: x   |   worker: { model: x }
import { parseDocument } from 'yaml';
import type { ConfigProblem } from './problems';
import { isSettingKey, SETTING_KEYS, type SettingKey } from './schema';
import { closest } from './suggest';
import { errorMessage } from '../core/text/error-message';
import { isRecord } from '../core/text/is-record';

export const YAML_FILE = '.rozet.yaml';

export interface YamlSettings {
  values: Partial<Record<SettingKey, unknown>>;
  problems: ConfigProblem[];
}

const SHORT_KEYS = SETTING_KEYS.map((key) => key.slice('rozet.'.length));

export function readYamlSettings(text: string): YamlSettings {
  const problems: ConfigProblem[] = [];
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    // One broken file must not half-apply: report the first error and ignore the file.
    const error = doc.errors[0];
    const pos = error.linePos?.[0];
    const what = error.message.split(' at line ')[0].split('\n')[0];
    const where = pos ? ` line ${pos.line}, column ${pos.col}` : '';
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE}${where}: ${what}. The file was ignored; fix it to apply its settings.`,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
    return { values: {}, problems };
  }

  let root: unknown;
  try {
    root = doc.toJS();
  } catch (error) {
    // toJS throws on alias bombs (yaml's maxAliasCount) rather than expanding them.
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE} could not be read: ${errorMessage(error)}. The file was ignored.`,
    });
    return { values: {}, problems };
  }
  if (root === null || root === undefined) return { values: {}, problems };
  if (!isRecord(root)) {
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE} must be a mapping of settings (e.g. "worker.model: qwen2.5-coder:7b"). The file was ignored.`,
    });
    return { values: {}, problems };
  }

  const values: Partial<Record<SettingKey, unknown>> = {};
  const walk = (node: Record<string, unknown>, prefix: string): void => {
    for (const [name, value] of Object.entries(node)) {
      const written = prefix ? `${prefix}.${name}` : name;
      const key = written === 'rozet' || written.startsWith('rozet.') ? written : `rozet.${written}`;
      if (isSettingKey(key)) {
        if (key in values) {
          problems.push({
            severity: 'warning',
            key,
            source: YAML_FILE,
            message: `${key} is set more than once in ${YAML_FILE}; the last one is used.`,
          });
        }
        values[key] = value;
      } else if (isRecord(value) && SETTING_KEYS.some((k) => k.startsWith(`${key}.`))) {
        walk(value, written);
      } else {
        const guess = closest(key.slice('rozet.'.length), SHORT_KEYS);
        problems.push({
          severity: 'warning',
          key: written,
          source: YAML_FILE,
          message: `Unknown setting "${written}" in ${YAML_FILE} was ignored.${guess ? ` Did you mean "${guess}"?` : ''}`,
        });
      }
    }
  };
  walk(root, '');
  return { values, problems };
}
