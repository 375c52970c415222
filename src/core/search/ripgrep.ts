// The ripgrep search engine: `rg --json --sort path` with the ignore rule as flags, read
// as a stream and stopped once the answer is known. ripgrep speaks another regex dialect
// than JavaScript: the pattern is checked in JavaScript first (one dialect, one error
// message for both engines), and a pattern ripgrep cannot compile (lookarounds,
// backreferences), or an rg that cannot run, falls back to the JavaScript engine.
// Paths ripgrep reports are filtered once more by .rozetignore: a .gitignore negation
// must not bring back what workers may not touch.
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { ModelError } from '../model/chat';
import { ignoreLayer, isIgnored, ripgrepIgnoreArgs } from '../workspace/ignore-rules';
import { ROZETIGNORE_FILE } from '../workspace/rozet-ignore';
import {
  collectHits,
  compilePattern,
  isSearchable,
  MAX_SEARCH_FILE_BYTES,
  type CodeSearch,
  type FileResult,
  type SearchLine,
  type TextQuery,
  type TextResult,
} from './code-search';

export interface RipgrepOptions {
  rgPath: string;
  /** Real path of the folder searched. */
  root: string;
  /** Answers what ripgrep cannot. */
  fallback: CodeSearch;
}

/** ripgrep could not answer at all (not found, not runnable, pattern not in its dialect). */
class RipgrepUnusable extends Error {}

interface RgJson {
  type: string;
  data?: { path?: RgText; lines?: RgText; line_number?: number };
}
interface RgText {
  text?: string;
  bytes?: string;
}

export class RipgrepSearch implements CodeSearch {
  readonly engine = 'ripgrep';

  constructor(private readonly options: RipgrepOptions) {}

  async searchText(query: TextQuery, signal?: AbortSignal): Promise<TextResult> {
    compilePattern(query);
    const visible = await this.visible((path) => isSearchable(path) && (!query.include || query.include(path)));
    const args = [
      ...(await this.commonArgs()),
      '--json',
      '--context',
      '1',
      '--max-filesize',
      String(MAX_SEARCH_FILE_BYTES),
      query.caseSensitive ? '--case-sensitive' : '--ignore-case',
      ...(query.regex ? [] : ['--fixed-strings']),
      '--regexp',
      query.pattern,
      '--',
      '.',
    ];
    try {
      return await collectHits(this.hits(args, visible, signal), query.maxResults);
    } catch (error) {
      if (error instanceof RipgrepUnusable) return this.options.fallback.searchText(query, signal);
      throw error;
    }
  }

  async findFiles(include: (path: string) => boolean, maxResults: number, signal?: AbortSignal): Promise<FileResult> {
    const visible = await this.visible(include);
    const args = [...(await this.commonArgs()), '--files', '--null', '--', '.'];
    const paths: string[] = [];
    try {
      for await (const record of this.records(args, 0, signal)) {
        const path = relativePath(record);
        if (!visible(path)) continue;
        if (paths.length >= maxResults) return { paths, truncated: true };
        paths.push(path);
      }
    } catch (error) {
      if (error instanceof RipgrepUnusable) return this.options.fallback.findFiles(include, maxResults, signal);
      throw error;
    }
    return { paths, truncated: false };
  }

  private async commonArgs(): Promise<string[]> {
    const hasRozetignore = await fsp
      .stat(nodePath.join(this.options.root, ROZETIGNORE_FILE))
      .then((s) => s.isFile())
      .catch(() => false);
    return ['--no-config', '--no-messages', '--sort', 'path', ...ripgrepIgnoreArgs(hasRozetignore)];
  }

  private async visible(include: (path: string) => boolean): Promise<(path: string) => boolean> {
    const text = await fsp.readFile(nodePath.join(this.options.root, ROZETIGNORE_FILE), 'utf8').catch(() => '');
    const layers = text ? [ignoreLayer('', text)] : [];
    return (path) => include(path) && !isIgnored(layers, path, false);
  }

  private async *hits(
    args: string[],
    visible: (path: string) => boolean,
    signal?: AbortSignal,
  ): AsyncGenerator<SearchLine> {
    for await (const record of this.records(args, 0x0a, signal)) {
      const event = JSON.parse(record) as RgJson;
      if ((event.type !== 'match' && event.type !== 'context') || !event.data?.path || !event.data.lines) continue;
      const path = relativePath(textOf(event.data.path));
      if (!visible(path)) continue;
      yield {
        kind: event.type,
        path,
        line: event.data.line_number ?? 0,
        text: textOf(event.data.lines).replace(/\r?\n$/, ''),
      };
    }
  }

  /** ripgrep's stdout split at `separator`; stops (and kills rg) when the caller stops reading. */
  private async *records(args: string[], separator: number, signal?: AbortSignal): AsyncGenerator<string> {
    if (signal?.aborted) throw new ModelError('cancelled', 'Cancelled.');
    const child = spawn(this.options.rgPath, args, {
      cwd: this.options.root,
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => {
      if (stderr.length < 4096) stderr += text;
    });
    const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, error }));
      child.once('close', (code) => resolve({ code }));
    });
    const onAbort = () => child.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    let yielded = false;
    try {
      let rest: Buffer = Buffer.alloc(0);
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        let buffer: Buffer = rest.length ? Buffer.concat([rest, chunk]) : chunk;
        for (let at = buffer.indexOf(separator); at !== -1; at = buffer.indexOf(separator)) {
          const record = buffer.subarray(0, at).toString('utf8');
          buffer = buffer.subarray(at + 1);
          if (!record) continue;
          yielded = true;
          yield record;
        }
        rest = buffer;
      }
      if (rest.length) {
        yielded = true;
        yield rest.toString('utf8');
      }
      const { code, error } = await exited;
      if (signal?.aborted) throw new ModelError('cancelled', 'Cancelled.');
      // Exit 2 after output is a file it could not read; before any, rg could not search.
      if (error || (code === 2 && !yielded)) throw new RipgrepUnusable(error?.message ?? stderr);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null && child.signalCode === null) child.kill();
    }
  }
}

function textOf(value: RgText): string {
  return value.text ?? Buffer.from(value.bytes ?? '', 'base64').toString('latin1');
}

/** rg prints `./src/a.ts` (`.\src\a.ts` on Windows). */
function relativePath(printed: string): string {
  return printed.replace(/\\/g, '/').replace(/^\.\//, '');
}
