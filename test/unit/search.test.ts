// search_files / find_files over a fixture tree with every awkward case, through both
// engines: the JavaScript walk on its own, and ripgrep (the `rg` on PATH, which CI
// installs). Each query's expected answer is written out for the JavaScript engine, and
// ripgrep must give exactly the same answer.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeSearch, TextQuery } from '../../src/core/search/code-search';
import { JsSearch } from '../../src/core/search/js-search';
import { nodeSearchFs } from '../../src/core/search/node-search-fs';
import { RipgrepSearch } from '../../src/core/search/ripgrep';
import { findRipgrep, folderSearch, multiRootSearch } from '../../src/core/search/workspace-search';
import { runTool, toolSpecsFor } from '../../src/core/tools/tools';
import { removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { NEEDLE, writeSearchFixture } from '../support/search-fixture';

const query = (pattern: string, extra: Partial<TextQuery> = {}): TextQuery => ({
  pattern,
  regex: false,
  caseSensitive: false,
  maxResults: 100,
  ...extra,
});

describe('search tools', () => {
  let root: string;
  let outside: string;
  let js: JsSearch;
  let rg: CodeSearch;

  before(() => {
    root = tempDir('rozet-search-');
    outside = tempDir('rozet-search-outside-');
    writeSearchFixture(root, outside);
    js = new JsSearch(nodeSearchFs(root));
    const rgPath = findRipgrep();
    assert.ok(rgPath, 'ripgrep (rg) must be on PATH for this suite: apt-get install ripgrep (.ci/run does)');
    rg = folderSearch(root, rgPath);
    assert.equal(rg.engine, 'ripgrep');
  });
  after(() => {
    removeDir(root);
    removeDir(outside);
  });

  async function both(q: TextQuery) {
    const fromJs = await js.searchText(q);
    assert.deepEqual(await rg.searchText(q), fromJs, `ripgrep and JavaScript differ for ${JSON.stringify(q)}`);
    return fromJs;
  }

  it('finds text in visible files only, in the same order and with the same context from both engines', async () => {
    const result = await both(query(NEEDLE));
    const files = [...new Set(result.lines.map((l) => l.path))];
    assert.deepEqual(files, [
      '.hidden/notes.md',
      'a/z.txt',
      'a-b.txt',
      'bom.txt',
      'crlf.txt',
      'keep.log',
      'latin1.txt',
      'minified.js',
      'mixed.txt',
      'packages/app/main.ts',
      'src/client.ts',
      'src/deep/a/b/c.ts',
      'src/retry.ts',
      'sub/real.ts',
      'utf16.txt',
      'ünï.txt',
    ]);
    assert.equal(result.truncated, false);
    const retry = result.lines.filter((l) => l.path === 'src/retry.ts');
    assert.deepEqual(
      retry.map((l) => [l.kind, l.line, l.text]),
      [
        ['context', 1, '// Retry policy'],
        ['match', 2, `export function ${NEEDLE}(attempt: number): number {`],
        ['context', 3, '  return 500 * 2 ** attempt;'],
      ],
    );
    const text = (file: string) => result.lines.find((l) => l.path === file && l.kind === 'match')?.text;
    assert.equal(text('latin1.txt'), `café ${NEEDLE}`, 'a non-UTF-8 line reads as Latin-1');
    assert.equal(text('mixed.txt'), `bad ÿ ${NEEDLE}`);
    assert.equal(text('utf16.txt'), `${NEEDLE} in utf16`, 'UTF-16 with a BOM is decoded');
    assert.equal(text('bom.txt'), `${NEEDLE} after a BOM`, 'the UTF-8 BOM is not part of the line');
    assert.equal(text('crlf.txt'), `${NEEDLE} two`, 'CR is not part of the line');
  });

  it('case, regex and literal modes agree across engines', async () => {
    const sensitive = await both(query(NEEDLE, { caseSensitive: true }));
    assert.ok(!sensitive.lines.some((l) => l.path === 'src/deep/a/b/c.ts'), 'lower-case line left out');
    const regex = await both(query(`${NEEDLE}\\(\\d\\)`, { regex: true }));
    assert.deepEqual(
      regex.lines.filter((l) => l.kind === 'match').map((l) => l.line),
      [3, 4],
    );
    const literal = await both(query(`${NEEDLE}(`));
    assert.ok(literal.matches >= 3, 'a literal "(" is just a character');
  });

  it('a regex ripgrep cannot compile (lookbehind) is answered by the JavaScript engine', async () => {
    const result = await both(query('(?<=const )\\w+', { regex: true, caseSensitive: true }));
    assert.deepEqual(
      result.lines.filter((l) => l.kind === 'match').map((l) => `${l.path}:${l.line}`),
      ['src/client.ts:3', 'src/client.ts:4'],
    );
  });

  it('cuts at maxResults identically, knows there is more, and keeps only the context of kept matches', async () => {
    const cut = await both(query(NEEDLE, { caseSensitive: true, maxResults: 3 }));
    assert.equal(cut.matches, 3);
    assert.equal(cut.truncated, true);
    assert.equal(cut.lines.at(-1)?.kind, 'match', 'the next match’s context line is not kept');
    const exact = await both(query('Retry policy', { maxResults: 1 }));
    assert.equal(exact.truncated, false, 'exactly maxResults matches is not "cut"');
  });

  it('a glob narrows the search; globs into node_modules or ignored folders still find nothing there', async () => {
    const include = (glob: string) => ({ include: (p: string) => p.startsWith(glob) });
    assert.deepEqual(
      [...new Set((await both(query(NEEDLE, include('src/')))).lines.map((l) => l.path))],
      ['src/client.ts', 'src/deep/a/b/c.ts', 'src/retry.ts'],
    );
    for (const prefix of [
      'node_modules/',
      'packages/app/node_modules/',
      '.git/',
      'dist/',
      'secrets/',
      'config/',
      'sub/gen',
    ])
      assert.equal((await both(query(NEEDLE, include(prefix)))).matches, 0, prefix);
  });

  it('find_files lists visible files (not through links) from both engines alike', async () => {
    const all = await js.findFiles(() => true, 1000);
    assert.deepEqual(await rg.findFiles(() => true, 1000), all);
    assert.ok(all.paths.includes('huge.txt') && all.paths.includes('image.png'), 'names of any file are found');
    assert.ok(all.paths.includes('.env'), 'a secret file’s name may be found, not its content');
    for (const hidden of [
      'node_modules',
      '.git/',
      'dist/',
      'secrets/',
      'config/',
      'sub/generated.ts',
      'link',
      'out.txt',
    ])
      assert.ok(!all.paths.some((p) => p.startsWith(hidden)), `${hidden} listed: ${all.paths.join(', ')}`);
    const cut = await js.findFiles(() => true, 4);
    assert.deepEqual(await rg.findFiles(() => true, 4), cut);
    assert.deepEqual(cut, { paths: all.paths.slice(0, 4), truncated: true });
  });

  it('falls back to the JavaScript engine when rg cannot run', async () => {
    const broken = new RipgrepSearch({ rgPath: path.join(root, 'no-such-rg'), root, fallback: js });
    assert.deepEqual(await broken.searchText(query(NEEDLE)), await js.searchText(query(NEEDLE)));
    assert.deepEqual(await broken.findFiles(() => true, 50), await js.findFiles(() => true, 50));
  });

  it('a multi-root workspace is searched folder by folder, each path starting with its folder name', async () => {
    const other = tempDir('rozet-search-lib-');
    try {
      fs.writeFileSync(path.join(other, 'lib.ts'), `export const x = ${NEEDLE};\n`);
      const both = multiRootSearch([
        { name: 'app', search: js },
        { name: 'lib', search: folderSearch(other, null) },
      ]);
      const all = await both.searchText(query(NEEDLE, { caseSensitive: true }));
      assert.equal(all.lines.at(-1)?.path, 'lib/lib.ts');
      assert.ok(all.lines.every((l) => l.path.startsWith('app/') || l.path.startsWith('lib/')));
      const onlyLib = await both.searchText(query(NEEDLE, { include: (p) => p.startsWith('lib/') }));
      assert.deepEqual(
        onlyLib.lines.map((l) => `${l.path}:${l.line}`),
        ['lib/lib.ts:1'],
      );
      const cut = await both.findFiles(() => true, 3);
      assert.deepEqual(cut, { paths: ['app/.env', 'app/.gitignore', 'app/.hidden/notes.md'], truncated: true });
      const files = await both.findFiles((p) => p.endsWith('lib.ts') || p === 'app/a-b.txt', 10);
      assert.deepEqual(files, { paths: ['app/a-b.txt', 'lib/lib.ts'], truncated: false });
    } finally {
      removeDir(other);
    }
  });

  describe('as tools', () => {
    const ctx = (search: CodeSearch) => toolContext(root, { search });

    it('are offered only where there is a search, and need no approval', async () => {
      assert.ok(!toolSpecsFor(toolContext(root), {}).some((s) => s.name === 'search_files'));
      const names = toolSpecsFor(ctx(js), {}).map((s) => s.name);
      assert.ok(names.includes('search_files') && names.includes('find_files'), names.join(', '));
      const context = ctx(rg);
      await runTool('search_files', { pattern: NEEDLE }, context);
      assert.equal((context.approver as unknown as { asked: unknown[] }).asked.length, 0);
    });

    it('search_files prints path:line: text with context and a count, the same for both engines', async () => {
      const args = { pattern: NEEDLE, glob: 'src/**/*.ts', caseSensitive: true };
      const fromJs = await runTool('search_files', args, ctx(js));
      assert.equal((await runTool('search_files', args, ctx(rg))).output, fromJs.output);
      assert.equal(
        fromJs.output,
        [
          `src/client.ts:1: import { ${NEEDLE} } from './retry';`,
          'src/client.ts-2- ',
          `src/client.ts:3: const first = ${NEEDLE}(1);`,
          `src/client.ts:4: const second = ${NEEDLE}(2);`,
          'src/client.ts-5- export { first, second };',
          '--',
          'src/retry.ts-1- // Retry policy',
          `src/retry.ts:2: export function ${NEEDLE}(attempt: number): number {`,
          'src/retry.ts-3-   return 500 * 2 ** attempt;',
          '[4 matching lines in 2 files]',
        ].join('\n'),
      );
    });

    it('says when results were cut, and cuts a very long line around its match', async () => {
      const cut = await runTool('search_files', { pattern: NEEDLE, maxResults: 2 }, ctx(rg));
      assert.match(cut.output, /only the first 2 matching lines are shown and there are more/);
      const long = await runTool('search_files', { pattern: NEEDLE, glob: '*.js' }, ctx(js));
      const line = long.output.split('\n')[0];
      assert.ok(line.length < 300, `line of ${line.length} characters`);
      assert.match(line, new RegExp(`^minified\\.js:1: ….*${NEEDLE}.*…$`));
    });

    it('a regex that does not compile is a tool error with the reason', async () => {
      for (const search of [js, rg]) {
        const result = await runTool('search_files', { pattern: 'retry(', regex: true }, ctx(search));
        assert.equal(result.ok, false);
        assert.match(
          result.output,
          /"retry\(" is not a valid regular expression: .*Unterminated group.*regex to false/,
        );
      }
    });

    it('a glob over node_modules finds nothing there; an escaping glob is refused', async () => {
      for (const search of [js, rg]) {
        for (const glob of ['node_modules/**', '**/node_modules/**', '.git/**']) {
          const result = await runTool('search_files', { pattern: NEEDLE, glob }, ctx(search));
          assert.match(result.output, /^No matches/, `${glob}: ${result.output}`);
          const files = await runTool('find_files', { glob }, ctx(search));
          assert.match(files.output, /^No files match/, `${glob}: ${files.output}`);
        }
      }
      const escape = await runTool('find_files', { glob: '../**' }, ctx(js));
      assert.equal(escape.ok, false);
      assert.match(escape.output, /relative to the workspace root/);
    });

    it('find_files globs: a name anywhere, a folder, case-insensitive', async () => {
      const run = async (glob: string) => (await runTool('find_files', { glob }, ctx(rg))).output.split('\n');
      assert.deepEqual(await run('*.ts'), [
        'packages/app/main.ts',
        'src/client.ts',
        'src/deep/a/b/c.ts',
        'src/retry.ts',
        'sub/real.ts',
      ]);
      assert.deepEqual(await run('src/deep'), ['src/deep/a/b/c.ts']);
      assert.deepEqual(await run('SRC/RETRY*'), ['src/retry.ts']);
    });

    it('never searches secret files, even when asked by name', async () => {
      const result = await runTool('search_files', { pattern: 'TOKEN', glob: '.env' }, ctx(rg));
      assert.match(result.output, /^No matches/);
      assert.ok(fs.readFileSync(path.join(root, '.env'), 'utf8').includes('TOKEN'), 'the fixture has it');
    });
  });
});
