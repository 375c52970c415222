// Finding JSON in what models actually answer. Models wrap JSON in markdown fences,
// prose, `<think>` blocks and `<tool_call>` tags; terminal captures add ANSI codes and
// prompts; streams get cut mid-object. We locate candidate spans ourselves (that needs
// knowledge of the surrounding text) and leave the repair of each span to jsonrepair.
import { jsonrepair } from 'jsonrepair';
import type { z } from 'zod';

// Reasoning models (DeepSeek R1, Qwen3, QwQ…) put their thoughts inline in the content.
const THINK_BLOCK = /<(think|thinking|reasoning)>[\s\S]*?<\/\1>/gi;
const THINK_OPEN = /<(?:think|thinking|reasoning)>/i;
const THINK_CLOSE = /<\/(?:think|thinking|reasoning)>/gi;
// CSI sequences (colours, cursor moves), OSC sequences (titles, links) and two-byte escapes.
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;
// Chat-template tokens that leak from misconfigured local servers (`<|im_end|>`, `<|eot_id|>`).
const TEMPLATE_TOKEN = /<\|[A-Za-z0-9_]+\|>/g;
// Braille spinner frames from `ollama run` and similar CLIs.
const SPINNER = /[\u2800-\u28ff]/g;
// `ollama run` echoes the user's turn after this prompt; it is not part of the answer.
const REPL_PROMPT_LINE = /^>>> .*$/gm;

export function cleanModelText(text: string): string {
  let out = text
    .replace(/\uFEFF/g, '')
    .replace(ANSI, '')
    .replace(TEMPLATE_TOKEN, '')
    .replace(SPINNER, '');
  // A terminal shows only what follows the last carriage return of a line (progress redraws).
  out = out
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((line) => line.slice(line.lastIndexOf('\r') + 1))
    .join('\n');
  out = out.replace(REPL_PROMPT_LINE, '');
  out = out.replace(THINK_BLOCK, '');
  // Some chat templates put the opening tag in the prompt, so the answer starts mid-thought
  // and only the closing tag arrives: everything before it is reasoning.
  const closes = [...out.matchAll(THINK_CLOSE)];
  const lastClose = closes[closes.length - 1];
  if (lastClose?.index !== undefined) out = out.slice(lastClose.index + lastClose[0].length);
  // An opening tag never closed: the stream ended while the model was still thinking.
  const open = THINK_OPEN.exec(out);
  if (open) out = out.slice(0, open.index);
  return out.trim();
}

interface Candidate {
  value: unknown;
  /** jsonrepair had to change the text (or close a truncated span) to parse it. */
  repaired: boolean;
  tier: number;
  start: number;
  length: number;
}

// Preference order: what the model deliberately marked as JSON, then bare JSON among
// prose, then objects found in code blocks of other languages (examples, not answers).
const TIER_MARKED = 0;
const TIER_BARE = 1;
const TIER_OTHER_CODE = 2;

const FENCE = /^[ \t]*(```|~~~)[ \t]*([\w+.-]*)[^\n]*\n([\s\S]*?)(?:^[ \t]*\1[ \t]*$|(?![\s\S]))/gm;
const JSON_LANGS = new Set(['', 'json', 'jsonc', 'json5', 'javascript', 'js', 'ts', 'typescript']);
const TOOL_CALL_TAG = /<tool_call>([\s\S]*?)(?:<\/tool_call>|(?![\s\S]))/g;

function findCandidates(raw: string): Candidate[] {
  const text = cleanModelText(raw);
  const found: Candidate[] = [];
  // Regions already read as marked JSON are blanked for the bare scan, so a fenced
  // object is not found twice; positions stay the same.
  let rest = text;
  const blank = (start: number, end: number) => {
    rest = rest.slice(0, start) + ' '.repeat(end - start) + rest.slice(end);
  };
  for (const m of text.matchAll(FENCE)) {
    const body = m[3] ?? '';
    const bodyStart = (m.index ?? 0) + m[0].indexOf(body);
    const tier = JSON_LANGS.has((m[2] ?? '').toLowerCase()) ? TIER_MARKED : TIER_OTHER_CODE;
    const inFence = scanSpans(body, bodyStart, tier);
    if (inFence.length) {
      found.push(...inFence);
      blank(m.index ?? 0, (m.index ?? 0) + m[0].length);
    }
  }
  for (const m of rest.matchAll(TOOL_CALL_TAG)) {
    const body = m[1] ?? '';
    const inTag = scanSpans(body, (m.index ?? 0) + '<tool_call>'.length, TIER_MARKED);
    if (inTag.length) {
      found.push(...inTag);
      blank(m.index ?? 0, (m.index ?? 0) + m[0].length);
    }
  }
  found.push(...scanSpans(rest, 0, TIER_BARE));
  found.sort((a, b) => a.tier - b.tier || (a.tier === TIER_BARE ? b.length - a.length : 0) || a.start - b.start);
  const seen = new Set<string>();
  return found.filter((c) => {
    let key: string;
    try {
      key = JSON.stringify(c.value);
    } catch {
      // Nested too deep to serialise (a hostile `[[[[…`): no plan or tool call looks like that.
      return false;
    }
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Characters of scanning and repair allowed per character of input. A failed span is
// retried from its next bracket, which for text full of unclosed brackets (hostile or a
// huge messy answer) would be quadratic; the budget keeps every answer linear, at the
// price of not looking further into such text once it is spent.
const WORK_PER_CHAR = 8;
const BASE_WORK = 64 * 1024;
// jsonrepair is superlinear on some broken input (~1 s for 128 KB of unclosed brackets):
// larger spans are only parsed as they are, and repairs share a total per answer.
const MAX_REPAIR_CHARS = 64 * 1024;
const REPAIR_BUDGET_CHARS = 1024 * 1024;

/** Every top-level JSON object/array in `text` that parses, possibly after repair. */
function scanSpans(text: string, offset: number, tier: number): Candidate[] {
  const out: Candidate[] = [];
  let budget = BASE_WORK + WORK_PER_CHAR * text.length;
  const repairs = { left: REPAIR_BUDGET_CHARS };
  let i = 0;
  while (i < text.length && budget > 0) {
    const start = nextStart(text, i);
    if (start < 0) break;
    const { end, truncated } = spanEnd(text, start);
    const span = text.slice(start, end);
    budget -= span.length;
    const worth = plausible(span);
    if (worth) budget -= span.length;
    const parsed = worth ? parseSpan(span, truncated, repairs) : undefined;
    if (parsed) {
      out.push({ ...parsed, tier, start: offset + start, length: span.length });
      i = end;
    } else {
      // Not JSON after all (a brace in prose): look for candidates inside it.
      i = start + 1;
    }
  }
  return out;
}

const NON_SPACE = /\S/g;
const LITERAL_AFTER_BRACKET = /^\[\s*(?:true|false|null|True|False|None)\b/;

function nextStart(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '{' && ch !== '[') continue;
    NON_SPACE.lastIndex = i + 1;
    const next = NON_SPACE.exec(text)?.[0];
    if (next === undefined) return -1;
    if (ch === '{' && /["'}\u201c\w$/]/.test(next)) return i;
    if (ch === '[' && (/["'{[\]\u201c\d/-]/.test(next) || LITERAL_AFTER_BRACKET.test(text.slice(i, i + 16)))) return i;
  }
  return -1;
}

/** Where the bracket opened at `start` closes, skipping strings and comments; the end of text when it never does. */
function spanEnd(text: string, start: number): { end: number; truncated: boolean } {
  let depth = 0;
  let lastSignificant = '';
  for (let i = start; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '"' || ch === '\u201c' || (ch === "'" && /^[{[,:]$/.test(lastSignificant))) {
      const close = ch === '\u201c' ? '\u201d' : ch;
      i = skipString(text, i + 1, close);
      if (i >= text.length) return { end: text.length, truncated: true };
      lastSignificant = '"';
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? text.length : close + 1;
      continue;
    }
    if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') {
      depth--;
      if (depth === 0) return { end: i + 1, truncated: false };
    }
    if (!/\s/.test(ch)) lastSignificant = ch;
  }
  return { end: text.length, truncated: true };
}

function skipString(text: string, from: number, close: string): number {
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === close) return i;
  }
  return text.length;
}

// jsonrepair turns almost anything into JSON (`{a b}` prose included); an object must
// at least have a key/value separator to be worth reading.
function plausible(span: string): boolean {
  return span.startsWith('[') || span.includes(':') || /^\{\s*\}$/.test(span);
}

function parseSpan(
  span: string,
  truncated: boolean,
  repairs: { left: number },
): { value: unknown; repaired: boolean } | undefined {
  if (!truncated) {
    try {
      return { value: JSON.parse(span), repaired: false };
    } catch {
      // fall through to repair
    }
  }
  if (span.length > MAX_REPAIR_CHARS || repairs.left < span.length) return undefined;
  repairs.left -= span.length;
  try {
    const value: unknown = JSON.parse(jsonrepair(span));
    return typeof value === 'object' && value !== null ? { value, repaired: true } : undefined;
  } catch {
    return undefined;
  }
}

/** Every JSON object/array candidate in a model's answer, parsed (repaired where needed), most likely first. */
export function extractJsonValues(text: string): unknown[] {
  return findCandidates(text).map((c) => c.value);
}

export type ExtractResult<T> = { ok: true; value: T; repaired: boolean } | { ok: false; error: string };

/** The first candidate in the answer that validates against `schema`. */
export function extractJson<T>(text: string, schema: z.ZodType<T>): ExtractResult<T> {
  const candidates = findCandidates(text);
  if (candidates.length === 0) {
    const cleaned = cleanModelText(text);
    if (!cleaned) return { ok: false, error: 'The answer was empty: it contained no JSON.' };
    const start = cleaned.length > 80 ? `${cleaned.slice(0, 80)}…` : cleaned;
    return { ok: false, error: `The answer contained no JSON object or array (it began: "${start}").` };
  }
  let best: { issues: z.core.$ZodIssue[] } | undefined;
  for (const candidate of candidates) {
    const result = schema.safeParse(candidate.value);
    if (result.success) return { ok: true, value: result.data, repaired: candidate.repaired };
    if (!best || result.error.issues.length < best.issues.length) best = { issues: result.error.issues };
  }
  const what =
    candidates.length === 1
      ? 'The JSON in the answer does not'
      : `None of the ${candidates.length} JSON values in the answer does`;
  return { ok: false, error: `${what} have the expected shape: ${describeIssues(best?.issues ?? [])}` };
}

/** Zod issues as one readable sentence, e.g. `tasks[0].title: expected string, received undefined`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 5).map((issue) => {
    const where = formatPath(issue.path);
    const message = issue.message.replace(/^Invalid input: /, '').replace(/\.$/, '');
    return where ? `${where}: ${message}` : message;
  });
  const more = issues.length > shown.length ? `; and ${issues.length - shown.length} more` : '';
  return `${shown.join('; ')}${more}.`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
