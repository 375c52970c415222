// Environment names for settings and parsing of text values (environment variables and
// CLI flags arrive as strings; the schema wants numbers, booleans and lists).
import { settingShape, type SettingKey } from './schema';
import { errorMessage } from '../core/text/error-message';

/**
 * `rozet.worker.idleTimeoutSeconds` → `ROZET_WORKER_IDLE_TIMEOUT_SECONDS`: a setting's public
 * environment name (docs/ARCHITECTURE.md, "Settings").
 */
export function envName(key: SettingKey): string {
  const rest = key.replace(/^rozet\./, '');
  return `ROZET_${rest
    .replace(/\./g, '_')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

export type TextParse = { ok: true; value: unknown } | { ok: false; reason: string };

const TRUE = new Set(['true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

/**
 * Turns a text value into the setting's type. Only the type is checked here; ranges,
 * enums and URL shape are the schema's job, so every source gets the same messages.
 */
export function parseTextValue(key: SettingKey, raw: string): TextParse {
  const text = raw.trim();
  const shape = settingShape(key);
  if (shape.anyOf) {
    // "auto" or a number: a number is the number, anything else stays text for the schema to judge.
    if (/^[+-]?\d+(\.\d+)?$/.test(text)) return { ok: true, value: Number(text) };
    return { ok: true, value: text.toLowerCase() === 'auto' ? 'auto' : text };
  }
  switch (shape.type) {
    case 'number':
    case 'integer': {
      const n = Number(text);
      // Number('') is 0 and Number('0x10') is 16; only plain decimal numbers are meant.
      if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(text) || !Number.isFinite(n)) {
        return { ok: false, reason: 'not a number' };
      }
      return { ok: true, value: n };
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (TRUE.has(lower)) return { ok: true, value: true };
      if (FALSE.has(lower)) return { ok: true, value: false };
      return { ok: false, reason: 'not a boolean (use true/false, 1/0 or yes/no)' };
    }
    case 'array':
      return parseList(text);
    case 'object':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch (error) {
        return { ok: false, reason: `not a valid JSON object (${errorMessage(error)})` };
      }
    default:
      return { ok: true, value: text };
  }
}

function parseList(text: string): TextParse {
  if (text.startsWith('[')) {
    // Text starting with '[' can only parse to an array; its items are the schema's job.
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch (error) {
      return { ok: false, reason: `not a valid JSON array (${errorMessage(error)})` };
    }
  }
  return {
    ok: true,
    value: text
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  };
}
