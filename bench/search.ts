// search_files / find_files over a generated 10,000-file workspace (plus 2,000 files in
// node_modules and a .gitignored folder that must be skipped): median time of each
// engine — the JavaScript walk and ripgrep (the `rg` on PATH) — for a full scan with few
// matches, a common pattern cut at maxResults, and a glob listing. Both engines must give
// identical answers; the bench fails if they do not.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { CodeSearch } from '../src/core/search/code-search';
import { globMatcher } from '../src/core/search/glob';
import { JsSearch } from '../src/core/search/js-search';
import { nodeSearchFs } from '../src/core/search/node-search-fs';
import { findRipgrep, folderSearch } from '../src/core/search/workspace-search';
import { percentile, round } from './support';

const FOLDERS = 200;
const FILES_PER_FOLDER = 50;
const RUNS = 7;

function generate(root: string): void {
  const line = (i: number) => `export function helper${i}(value: number): number { return value * ${i}; }\n`;
  const body = Array.from({ length: 40 }, (_, i) => line(i)).join('');
  fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n');
  for (let d = 0; d < FOLDERS; d++) {
    const dir = path.join(root, 'src', `module${d}`);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < FILES_PER_FOLDER; f++) {
      const rare = (d * FILES_PER_FOLDER + f) % 500 === 0 ? 'const delay = computeRetryDelay(attempt);\n' : '';
      fs.writeFileSync(path.join(dir, f % 5 === 0 ? `file${f}.test.ts` : `file${f}.ts`), body + rare);
    }
  }
  for (const skipped of ['node_modules/pkg', 'dist']) {
    const dir = path.join(root, skipped);
    fs.mkdirSync(dir, { recursive: true });
    for (let f = 0; f < 1000; f++) fs.writeFileSync(path.join(dir, `f${f}.js`), `computeRetryDelay();\n${body}`);
  }
}

async function time<T>(run: () => Promise<T>): Promise<{ medianMs: number; p95Ms: number; result: T }> {
  const result = await run(); // warm-up (file cache), and the answer compared across engines
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return { medianMs: round(percentile(times, 0.5), 1), p95Ms: round(percentile(times, 0.95), 1), result };
}

export async function benchSearch(): Promise<Record<string, unknown>> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-search-')));
  try {
    generate(root);
    const rgPath = findRipgrep();
    if (!rgPath) throw new Error('ripgrep (rg) is not on PATH: install it (apt-get install ripgrep) to compare');
    const engines: Array<[string, CodeSearch]> = [
      ['javascript', new JsSearch(nodeSearchFs(root))],
      ['ripgrep', folderSearch(root, rgPath)],
    ];
    const queries: Array<[string, (search: CodeSearch) => Promise<unknown>]> = [
      [
        'rare literal, full scan (20 matches)',
        (s) => s.searchText({ pattern: 'computeRetryDelay', regex: false, caseSensitive: true, maxResults: 50 }),
      ],
      [
        'common regex, cut at 50 matches',
        (s) => s.searchText({ pattern: 'helper\\d+\\(', regex: true, caseSensitive: false, maxResults: 50 }),
      ],
      ['find_files **/*.test.ts (2,000 of 10,000)', (s) => s.findFiles(globMatcher('**/*.test.ts'), 5000)],
    ];
    const rows: Array<Record<string, unknown>> = [];
    for (const [query, run] of queries) {
      const row: Record<string, unknown> = { query };
      const answers: unknown[] = [];
      for (const [name, search] of engines) {
        const measured = await time(() => run(search));
        row[`${name} median ms`] = measured.medianMs;
        row[`${name} p95 ms`] = measured.p95Ms;
        answers.push(measured.result);
      }
      if (!isDeepStrictEqual(answers[0], answers[1])) throw new Error(`the engines answered "${query}" differently`);
      rows.push(row);
    }
    return {
      tree: { files: FOLDERS * FILES_PER_FOLDER, skippedFiles: 2000, runsPerQuery: RUNS },
      ripgrep: rgPath,
      rows,
      note: 'Both engines return identical results for every query (checked).',
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
