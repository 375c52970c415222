// search_files and find_files: read-only, so they never ask; confined to the workspace and
// its ignore rules by the CodeSearch behind them. Their output is bounded (matches, line
// length, total size) and always says when it was cut, so a small model knows to narrow
// the search instead of trusting an incomplete list.
import { z } from 'zod';
import { compilePattern, SearchPatternError, type SearchLine, type TextResult } from '../search/code-search';
import { globMatcher } from '../search/glob';
import { ToolError } from '../workspace/workspace';
import type { ToolContext, ToolResult } from './tools';

const DEFAULT_MATCHES = 50;
const MAX_MATCHES = 200;
const MAX_FILES = 200;
const MAX_LINE_CHARS = 240;
const MAX_OUTPUT_CHARS = 16_000;

export const SEARCH_ARGS = {
  search_files: z.object({
    pattern: z.string().min(1).describe('The text to find; a JavaScript regular expression when regex is true.'),
    regex: z.boolean().optional().describe('Treat pattern as a regular expression (default: plain text).'),
    glob: z
      .string()
      .min(1)
      .optional()
      .describe('Only files whose path matches, e.g. "src/**/*.ts"; without "/" any folder ("*.md").'),
    caseSensitive: z.boolean().optional().describe('Match upper/lower case exactly (default: ignore case).'),
    maxResults: z
      .number()
      .int()
      .min(1)
      .max(MAX_MATCHES)
      .optional()
      .describe(`Most matching lines returned (default ${DEFAULT_MATCHES}).`),
  }),
  find_files: z.object({
    glob: z
      .string()
      .min(1)
      .describe('Glob of paths relative to the workspace root, e.g. "**/*.test.ts", "src/**/config*", "README*".'),
  }),
} as const;

export const SEARCH_DESCRIPTIONS: Record<keyof typeof SEARCH_ARGS, string> = {
  search_files:
    'Search the text of the workspace files. Returns matching lines as "path:line: text" with the line before and after. Use it to find where something is defined or used before reading whole files.',
  find_files: 'Find files whose path matches a glob. Returns their paths.',
};

export const SEARCH_HANDLERS: {
  [K in keyof typeof SEARCH_ARGS]: (args: z.infer<(typeof SEARCH_ARGS)[K]>, ctx: ToolContext) => Promise<ToolResult>;
} = {
  search_files: async (args, ctx) => {
    const search = searchOf(ctx);
    const maxResults = args.maxResults ?? DEFAULT_MATCHES;
    const query = { pattern: args.pattern, regex: args.regex ?? false, caseSensitive: args.caseSensitive ?? false };
    let matcher: RegExp;
    try {
      matcher = compilePattern(query);
    } catch (error) {
      if (!(error instanceof SearchPatternError)) throw error;
      throw new ToolError(
        `"${args.pattern}" is not a valid regular expression: ${error.message}. Fix it, or set regex to false to search for the text as written.`,
      );
    }
    const include = args.glob ? globMatcher(args.glob) : undefined;
    const result = await search.searchText({ ...query, maxResults, include }, ctx.signal);
    const where = args.glob ? ` in files matching "${args.glob}"` : '';
    if (result.matches === 0)
      return {
        ok: true,
        output: `No matches for "${args.pattern}"${where}. (node_modules, .git, ignored files, binary files and files over 5 MB are not searched.)`,
      };
    return { ok: true, output: formatHits(result, maxResults, matcher) };
  },
  find_files: async (args, ctx) => {
    const found = await searchOf(ctx).findFiles(globMatcher(args.glob), MAX_FILES, ctx.signal);
    if (found.paths.length === 0)
      return {
        ok: true,
        output: `No files match "${args.glob}". (node_modules, .git and ignored files are left out.)`,
      };
    const note = found.truncated ? `\n[… more than ${MAX_FILES} files match; use a narrower glob …]` : '';
    return { ok: true, output: found.paths.join('\n') + note };
  },
};

function searchOf(ctx: ToolContext) {
  if (!ctx.search) throw new ToolError('Searching is not available here; use list_files and read_file instead.');
  return ctx.search;
}

/** grep's layout: `path:line: text` for matches, `path-line- text` for context, `--` between groups. */
function formatHits(result: TextResult, maxResults: number, matcher: RegExp): string {
  const out: string[] = [];
  let size = 0;
  let shownMatches = 0;
  let previous: SearchLine | undefined;
  let cut = false;
  for (const line of result.lines) {
    const gap = previous && (previous.path !== line.path || previous.line + 1 !== line.line);
    const text = `${gap ? '--\n' : ''}${line.path}${line.kind === 'match' ? ':' : '-'}${line.line}${line.kind === 'match' ? ':' : '-'} ${excerpt(line.text, line.kind === 'match' ? matcher : undefined)}`;
    if (size + text.length > MAX_OUTPUT_CHARS) {
      cut = true;
      break;
    }
    out.push(text);
    size += text.length + 1;
    if (line.kind === 'match') shownMatches++;
    previous = line;
  }
  const files = new Set(result.lines.slice(0, out.length).map((l) => l.path)).size;
  if (cut)
    out.push(
      `[… output cut after ${shownMatches} of ${result.matches}${result.truncated ? '+' : ''} matching lines to keep it short; narrow the pattern or add a glob …]`,
    );
  else if (result.truncated)
    out.push(
      `[… only the first ${maxResults} matching lines are shown and there are more; narrow the pattern or add a glob …]`,
    );
  else
    out.push(
      `[${result.matches} matching line${result.matches === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}]`,
    );
  return out.join('\n');
}

/** A long line (minified code, data) cut to a window around its match. */
function excerpt(text: string, matcher: RegExp | undefined): string {
  if (text.length <= MAX_LINE_CHARS) return text;
  const at = matcher ? Math.max(0, text.search(matcher)) : 0;
  const start = Math.max(0, Math.min(at - 80, text.length - MAX_LINE_CHARS));
  return `${start > 0 ? '…' : ''}${text.slice(start, start + MAX_LINE_CHARS)}${start + MAX_LINE_CHARS < text.length ? '…' : ''}`;
}
