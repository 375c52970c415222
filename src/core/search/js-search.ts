// The JavaScript search engine: walks the workspace in ripgrep's order (each folder's
// entries by name, depth first), applies the same ignore rules, reads one file at a
// time and stops as soon as the answer is known. It runs over a small file-system
// interface, so the CLI uses it over node:fs and the extension over workspace.fs.
import { ModelError } from '../model/chat';
import {
  enterFolder,
  GITIGNORE_FILE,
  isHidden,
  layersAbove,
  type IgnoreLayer,
  type ReadText,
} from '../workspace/ignore-rules';
import { byteOrderMark, isBinary } from '../workspace/file-content';
import {
  collectHits,
  compareNames,
  compilePattern,
  isSearchable,
  MAX_SEARCH_FILE_BYTES,
  type CodeSearch,
  type FileResult,
  type SearchLine,
  type TextQuery,
  type TextResult,
} from './code-search';

export interface SearchEntry {
  name: string;
  /** Symbolic links and anything else that is not a plain file or folder are 'other': never followed. */
  type: 'file' | 'dir' | 'other';
}

export interface SearchFs {
  /** The entries of a workspace-relative folder ('' for the root). */
  readDir(relative: string): Promise<SearchEntry[]>;
  /** The file's bytes; undefined when it is larger than `maxBytes` or cannot be read. */
  readFile(relative: string, maxBytes: number): Promise<Uint8Array | undefined>;
  readText: ReadText;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const READ_AHEAD = 16;

export class JsSearch implements CodeSearch {
  readonly engine = 'javascript';

  constructor(private readonly fs: SearchFs) {}

  searchText(query: TextQuery, signal?: AbortSignal): Promise<TextResult> {
    const regex = compilePattern(query);
    return collectHits(this.lines(regex, query.include, signal), query.maxResults);
  }

  async findFiles(include: (path: string) => boolean, maxResults: number, signal?: AbortSignal): Promise<FileResult> {
    const paths: string[] = [];
    for await (const path of this.files(signal)) {
      if (!include(path)) continue;
      if (paths.length >= maxResults) return { paths, truncated: true };
      paths.push(path);
    }
    return { paths, truncated: false };
  }

  private async *files(signal?: AbortSignal): AsyncGenerator<string> {
    yield* this.walk('', await layersAbove(this.fs.readText, ''), signal);
  }

  private async *walk(dir: string, around: readonly IgnoreLayer[], signal?: AbortSignal): AsyncGenerator<string> {
    if (signal?.aborted) throw new ModelError('cancelled', 'Cancelled.');
    const entries = await this.fs.readDir(dir).catch(() => []);
    const own = entries.some((e) => e.name === GITIGNORE_FILE && e.type === 'file');
    const layers = await enterFolder(around, dir, own, this.fs.readText);
    entries.sort((a, b) => compareNames(a.name, b.name));
    for (const entry of entries) {
      if (entry.type === 'other') continue;
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (isHidden(layers, relative, entry.name, entry.type === 'dir')) continue;
      if (entry.type === 'dir') yield* this.walk(relative, layers, signal);
      else yield relative;
    }
  }

  /** Files are read a few ahead of the one being matched (over an asynchronous file system such as workspace.fs, reading is what takes time), in walk order. */
  private async *lines(
    regex: RegExp,
    include: ((path: string) => boolean) | undefined,
    signal?: AbortSignal,
  ): AsyncGenerator<SearchLine> {
    const files = this.files(signal);
    const ahead: Array<{ path: string; bytes: Promise<Uint8Array | undefined> }> = [];
    let walked = false;
    try {
      for (;;) {
        while (!walked && ahead.length < READ_AHEAD) {
          const next = await files.next();
          if (next.done) walked = true;
          else if ((!include || include(next.value)) && isSearchable(next.value))
            ahead.push({ path: next.value, bytes: this.fs.readFile(next.value, MAX_SEARCH_FILE_BYTES) });
        }
        const file = ahead.shift();
        if (!file) return;
        const bytes = await file.bytes;
        if (!bytes) continue;
        const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        if (isBinary(buffer)) continue;
        yield* fileHits(file.path, textLines(buffer), regex);
      }
    } finally {
      await files.return(undefined);
    }
  }
}

/** Matches with one line of context either side, each line once, as `rg -C 1` reports them. */
function* fileHits(path: string, lines: readonly string[], regex: RegExp): Generator<SearchLine> {
  const hit = (kind: SearchLine['kind'], index: number): SearchLine => ({
    kind,
    path,
    line: index + 1,
    text: lines[index].replace(/\r$/, ''),
  });
  let emitted = -1;
  for (let i = 0; i < lines.length; i++) {
    if (!regex.test(lines[i])) continue;
    if (i - 1 > emitted) yield hit('context', i - 1);
    yield hit('match', i);
    emitted = i;
    if (i + 1 < lines.length && !regex.test(lines[i + 1])) {
      yield hit('context', i + 1);
      emitted = i + 1;
    }
  }
}

/**
 * A file's lines: UTF-16 by its BOM, else UTF-8 (BOM dropped), and where the file is not
 * valid UTF-8, each line that is not is read as Latin-1, as ripgrep reports such lines.
 */
export function textLines(bytes: Buffer): string[] {
  const bom = byteOrderMark(bytes);
  let lines: string[];
  if (bom === 'utf16le' || bom === 'utf16be') {
    lines = new TextDecoder(bom === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(2)).split('\n');
  } else {
    const body = bom === 'utf8bom' ? bytes.subarray(3) : bytes;
    try {
      lines = UTF8.decode(body).split('\n');
    } catch {
      lines = splitLines(body).map((line) => {
        try {
          return UTF8.decode(line);
        } catch {
          return line.toString('latin1');
        }
      });
    }
  }
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function splitLines(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, start)) {
    out.push(bytes.subarray(start, at));
    start = at + 1;
  }
  out.push(bytes.subarray(start));
  return out;
}
