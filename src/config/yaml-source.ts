// Workspace `.rozet.yaml`: the same keys as the VS Code settings, flat or nested.
//   rozet.worker.model: x   |   worker.model: x   |   worker: { model: x }
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import type { ConfigProblem, FilePosition } from './problems';
import { isSettingKey, SETTING_KEYS, type SettingKey } from './schema';
import { closest } from './suggest';
import { errorMessage } from '../core/text/error-message';
import { isRecord } from '../core/text/is-record';

export const YAML_FILE = '.rozet.yaml';

export interface YamlSettings {
  values: Partial<Record<SettingKey, unknown>>;
  /** Where each value is written, for messages about it. */
  positions: Partial<Record<SettingKey, FilePosition>>;
  problems: ConfigProblem[];
}

const SHORT_KEYS = SETTING_KEYS.map((key) => key.slice('rozet.'.length));

export function readYamlSettings(text: string): YamlSettings {
  const problems: ConfigProblem[] = [];
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const none = { values: {}, positions: {}, problems };
  if (doc.errors.length > 0) {
    // One broken file must not half-apply: report the first error and ignore the file.
    const { what, offset } = describeSyntaxError(doc, doc.errors[0], text);
    const pos = lines.linePos(offset);
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE} line ${pos.line}, column ${pos.col}: ${what}.`,
      fallback: 'The file was ignored; fix it to apply its settings.',
      line: pos.line,
      column: pos.col,
    });
    return none;
  }

  let root: unknown;
  try {
    root = doc.toJS();
  } catch (error) {
    // toJS throws on alias bombs (yaml's maxAliasCount) rather than expanding them.
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE} could not be read: ${errorMessage(error)}.`,
      fallback: 'The file was ignored.',
    });
    return none;
  }
  if (root === null || root === undefined) return none;
  if (!isRecord(root)) {
    problems.push({
      severity: 'error',
      source: YAML_FILE,
      message: `${YAML_FILE} must be a mapping of settings (e.g. "worker.model: qwen2.5-coder:7b").`,
      fallback: 'The file was ignored.',
    });
    return none;
  }

  const writtenAt = valuePositions(doc, lines);
  const values: Partial<Record<SettingKey, unknown>> = {};
  const positions: Partial<Record<SettingKey, FilePosition>> = {};
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
        const at = writtenAt.get(written);
        if (at) positions[key] = at;
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
  return { values, positions, problems };
}

/**
 * The error's text and where to point. An unclosed bracket or quote is reported by yaml at
 * the end of the input, which can be a line past the end of the file; the place it was
 * opened is what the user has to fix.
 */
function describeSyntaxError(doc: Document, error: YAMLError, text: string): { what: string; offset: number } {
  const what = error.message.split(' at line ')[0].split('\n')[0];
  const at = error.pos[0];
  if (error.code === 'MISSING_CHAR' || /^Flow (sequence|map)/.test(what)) {
    const opener = unclosedAt(doc, at);
    if (opener !== undefined) return { what: `${what} (opened here and never closed)`, offset: opener };
  }
  // Never past the last character of the file.
  const end = text.trimEnd().length;
  return { what, offset: Math.max(0, Math.min(at, end > 0 ? end - 1 : 0)) };
}

/** Start of the innermost flow collection or quoted scalar that runs on to `offset`. */
function unclosedAt(doc: Document, offset: number): number | undefined {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const range = (node as { range?: [number, number, number] }).range;
    const opens =
      ((isMap(node) || isSeq(node)) && node.flow === true) ||
      (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE'));
    if (opens && range && range[1] >= offset && (found === undefined || range[0] > found)) found = range[0];
    for (const item of (node as { items?: unknown[] }).items ?? []) {
      visit(item);
      visit((item as { key?: unknown }).key);
      visit((item as { value?: unknown }).value);
    }
  };
  visit(doc.contents);
  return found;
}

/** Position of every value by its key path as written ("worker.model"), 1-based. */
function valuePositions(doc: Document, lines: LineCounter): Map<string, FilePosition> {
  const out = new Map<string, FilePosition>();
  const walk = (node: unknown, prefix: string): void => {
    if (!isMap(node)) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const path = prefix ? `${prefix}.${String(pair.key.value)}` : String(pair.key.value);
      const value = pair.value as { range?: [number, number, number] } | null;
      const offset = value?.range?.[0] ?? pair.key.range?.[0];
      if (offset !== undefined) {
        const pos = lines.linePos(offset);
        out.set(path, { line: pos.line, column: pos.col });
      }
      walk(pair.value, path);
    }
  };
  walk(doc.contents, '');
  return out;
}
