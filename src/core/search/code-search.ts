// Searching the workspace for workers (search_files, find_files). Two engines give the
// same answers: ripgrep where there is one (on PATH for the CLI, the one VS Code ships in
// the extension) and a JavaScript walk otherwise. Both produce the same stream of lines
// — each match, and the line before and after it as context, in ripgrep's `--sort path`
// order — and `collectHits` cuts that stream identically for both.
//
// What is searched, in both engines: files the ignore rules leave visible
// (ignore-rules.ts), not symbolic links, not files over MAX_SEARCH_FILE_BYTES, not
// binary files (a NUL byte near the start, as read_file decides), never `.env*` files
// (secrets: read_file asks for them). Text is UTF-8, UTF-16 with a BOM, or — line by
// line, where a line is not valid UTF-8 — Latin-1. Patterns are JavaScript regular
// expressions, or literal text.
import picomatch from 'picomatch';
import { errorMessage } from '../text/error-message';

export const MAX_SEARCH_FILE_BYTES = 5 * 1024 * 1024;

export interface TextQuery {
  pattern: string;
  regex: boolean;
  caseSensitive: boolean;
  maxResults: number;
  /** Only paths it accepts are searched (the tool's glob). */
  include?: (path: string) => boolean;
}

/** One line of a result: a match, or a line of context next to one. Paths are workspace-relative with `/`. */
export interface SearchLine {
  kind: 'match' | 'context';
  path: string;
  /** 1-based. */
  line: number;
  text: string;
}

export interface TextResult {
  lines: SearchLine[];
  matches: number;
  /** More matches exist than were returned. */
  truncated: boolean;
}

export interface FileResult {
  paths: string[];
  truncated: boolean;
}

export interface CodeSearch {
  /** Which engine answers, for logs and the bench ("ripgrep 13.0.0", "javascript"). */
  readonly engine: string;
  searchText(query: TextQuery, signal?: AbortSignal): Promise<TextResult>;
  findFiles(include: (path: string) => boolean, maxResults: number, signal?: AbortSignal): Promise<FileResult>;
}

/** A regular expression the search cannot run; the message says why (the JavaScript engine's words). */
export class SearchPatternError extends Error {
  override readonly name = 'SearchPatternError';
}

/** The query as one JavaScript RegExp, the dialect both engines answer to. */
export function compilePattern(query: Pick<TextQuery, 'pattern' | 'regex' | 'caseSensitive'>): RegExp {
  const source = query.regex ? query.pattern : query.pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  try {
    return new RegExp(source, query.caseSensitive ? '' : 'i');
  } catch (error) {
    throw new SearchPatternError(errorMessage(error));
  }
}

// Secrets are never searched, whatever the ignore files say.
const isSecretFile = picomatch('**/.env*', { dot: true, nocase: true });

/** Whether a file's content may be searched (its name may still be found by find_files). */
export function isSearchable(path: string): boolean {
  return !isSecretFile(path);
}

/**
 * Takes lines in engine order until `maxResults` matches, and looks one match further
 * to know whether the result was cut. A context line is kept only next to a kept match,
 * so the line before the first match not kept is dropped. Stops reading (and so the
 * engine) as soon as the answer is known.
 */
export async function collectHits(lines: AsyncIterable<SearchLine>, maxResults: number): Promise<TextResult> {
  const out: SearchLine[] = [];
  let matches = 0;
  let last: SearchLine | undefined;
  let pending: SearchLine | undefined;
  for await (const line of lines) {
    if (line.kind === 'context') {
      if (last && last.path === line.path && last.line === line.line - 1) out.push(line);
      else pending = line;
      continue;
    }
    if (matches >= maxResults) return { lines: out, matches, truncated: true };
    if (pending && pending.path === line.path && pending.line === line.line - 1) out.push(pending);
    pending = undefined;
    out.push(line);
    last = line;
    matches++;
  }
  return { lines: out, matches, truncated: false };
}

/** Byte order of UTF-8 names, the order ripgrep's `--sort path` walks a folder in. */
export function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
