// Tool calls a model wrote as text instead of native calls, and tool arguments as JSON:
// the worker's reading of what a model sends. Sloppy JSON is repaired; arguments nested
// deeper than anything a tool needs are refused before anything serialises them.
import type { ToolCall } from '../model/chat';
import { extractJsonValues } from '../text/json-extract';
import { isRecord } from '../text/is-record';
import { isToolName } from '../tools/tools';

const MAX_ARGS_DEPTH = 64;

/**
 * Tool calls written as text. Takes the first JSON value that looks like a call (or an
 * array of them): a model told to make one call per answer that writes several is
 * usually illustrating, and the extractor does not promise text order between values.
 */
export function parseTextToolCalls(text: string, step = 0): ToolCall[] {
  if (!text.includes('{')) return [];
  for (const value of extractJsonValues(text)) {
    const items = Array.isArray(value) ? value : [value];
    const calls = items.map(asToolCall).filter((c): c is { name: string; args: unknown } => c !== undefined);
    if (calls.length && calls.length === items.length)
      return calls.map((c, i) => ({ id: `text_${step}_${i}`, name: c.name, arguments: JSON.stringify(c.args) }));
  }
  return [];
}

function asToolCall(value: unknown): { name: string; args: unknown } | undefined {
  if (!isRecord(value)) return undefined;
  const fn = isRecord(value.function) ? value.function : undefined;
  const name = [value.tool, value.name, value.tool_name, fn?.name].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  if (!name) return undefined;
  const rawArgs = [value.args, value.arguments, value.parameters, value.input, fn?.arguments].find(
    (v) => v !== undefined,
  );
  // `{"name": …}` alone is too common in ordinary JSON to be read as a call.
  if (rawArgs === undefined && value.tool === undefined && !isToolName(name)) return undefined;
  if (typeof rawArgs === 'string') {
    const parsed = parseArgs(rawArgs);
    return { name, args: parsed.error ? rawArgs : parsed.value };
  }
  return { name, args: rawArgs ?? {} };
}

export function parseArgs(text: string): { value: unknown; error?: string } {
  if (!text.trim()) return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Sloppy JSON from small models (trailing commas, single quotes) is repaired, not refused.
    value = extractJsonValues(text).find(isRecord);
    if (value === undefined)
      return { value: text, error: 'The tool arguments are not a JSON object. Send them as {"name": value, …}.' };
  }
  // Events, signatures and the UI serialise the arguments recursively: a hostile
  // `{"a":{"a":…` thousands deep would overflow the stack there.
  if (nestingDepth(value, MAX_ARGS_DEPTH) > MAX_ARGS_DEPTH)
    return {
      value: '(arguments nested too deeply)',
      error: `The tool arguments are nested more than ${MAX_ARGS_DEPTH} levels deep; send a flat JSON object.`,
    };
  return { value };
}

/** Depth of nested arrays/objects, counted iteratively and only up to `limit` + 1. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}
