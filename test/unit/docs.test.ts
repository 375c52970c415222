// The repository explains itself: nothing in it points to a document outside it, every
// `(docs/ARCHITECTURE.md, "Section")` pointer in the code names a section that exists,
// links in the markdown resolve inside the repository, and docs/ARCHITECTURE.md names
// every public contract the code defines.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { SETTING_KEYS } from '../../src/config';
import { COMMANDS } from '../../src/cli/args';
import { EXIT } from '../../src/cli/io';
import { TOOL_NAMES } from '../../src/core/tools/tools';

const root = join(__dirname, '..', '..');
const ARCHITECTURE = 'docs/ARCHITECTURE.md';
const architecture = readFileSync(join(root, ARCHITECTURE), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};

const SCANNED_DIRS = ['src', 'test', 'bench', 'docs', '.ci'];
const SCANNED_FILES = ['README.md', 'CHANGELOG.md', 'package.json', 'esbuild.mjs', 'tsconfig.json'];
// Recorded model output is data, not the repository's own words.
const SKIPPED = [join('test', 'fixtures')];
// This file spells out the patterns it looks for.
const SELF = relative(root, __filename);

/** Where a text points outside the repository: the design notes it once cited, or a sibling folder. */
const OUTSIDE = [/DESIGN §/, /DESIGN\.md/, /\.\.\/shared\//, /\/work\/shared/];

function textFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (SKIPPED.includes(path)) return [];
    if (entry.isDirectory()) return textFiles(path);
    return /\.(png|jpe?g|gif|ico|vsix|woff2?)$/i.test(entry.name) ? [] : [path];
  });
}

const files = [...SCANNED_DIRS.flatMap(textFiles), ...SCANNED_FILES].filter((f) => f !== SELF);
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function headings(markdown: string): string[] {
  return [...markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) => m[1]);
}

describe('docs', () => {
  it('scans the source, tests, benchmarks and docs', () => {
    for (const expected of ['src/core/run/coordinator.ts', 'test/unit/cli.test.ts', 'bench/run.ts', ARCHITECTURE])
      assert.ok(files.includes(expected.split('/').join(sep)), `${expected} was not scanned`);
    assert.ok(!files.some((f) => f.startsWith(join('test', 'fixtures'))), 'fixtures are data and are skipped');
  });

  it('nothing refers to a document outside the repository', () => {
    const found = files.flatMap((file) =>
      read(file)
        .split('\n')
        .flatMap((line, i) => (OUTSIDE.some((p) => p.test(line)) ? [`${file}:${i + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(found, [], 'say it in the comment, or point to a section of docs/ARCHITECTURE.md');
  });

  it('every pointer to docs/ARCHITECTURE.md names one of its sections', () => {
    const titles = new Set(headings(architecture));
    const pointers = files.flatMap((file) =>
      [...read(file).matchAll(/docs\/ARCHITECTURE\.md, "([^"]+)"/g)].map((m) => ({ file, title: m[1] })),
    );
    assert.ok(pointers.length >= 10, `only ${pointers.length} pointers found`);
    const broken = pointers.filter((p) => !titles.has(p.title)).map((p) => `${p.file}: "${p.title}"`);
    assert.deepEqual(broken, [], `sections are: ${[...titles].join(' | ')}`);
  });

  it('links in the markdown files resolve to files and headings inside the repository', () => {
    const broken: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.md'))) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [path, anchor] = target.split('#');
        const resolved = path ? resolve(dirname(join(root, file)), path) : join(root, file);
        if (relative(root, resolved).startsWith('..')) broken.push(`${file}: ${target} leaves the repository`);
        else if (!existsSync(resolved)) broken.push(`${file}: ${target} does not exist`);
        else if (
          anchor &&
          resolved.endsWith('.md') &&
          !headings(readFileSync(resolved, 'utf8')).map(slug).includes(anchor)
        )
          broken.push(`${file}: ${target} names no heading`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('docs/ARCHITECTURE.md names every public contract', () => {
    const named = (text: string) => architecture.includes(`\`${text}\``);
    const missing = [
      ...SETTING_KEYS,
      ...manifest.contributes.commands.map((c) => c.command),
      ...TOOL_NAMES,
      ...COMMANDS.map((c) => `rozet ${c}`),
      ...Object.values(EXIT).map(String),
    ].filter((name) => !named(name) && !architecture.includes(`\`${name} `));
    assert.deepEqual(missing, [], `add them to ${ARCHITECTURE} ("Public contracts")`);
  });

  it('every source path the README and docs/ARCHITECTURE.md name exists', () => {
    const missing: string[] = [];
    for (const file of ['README.md', ARCHITECTURE]) {
      for (const [, path] of read(file).matchAll(/`((?:src|test|bench|docs)\/[\w./-]+\.(?:ts|css|md|mjs))`/g))
        // Output folders (bench/out/, dist/) exist only after a run.
        if (!/^(bench\/out|dist|test-results)\//.test(path) && !existsSync(join(root, path)))
          missing.push(`${file}: ${path}`);
    }
    assert.deepEqual(missing, [], 'a file moved or was split: point the text at where it is now');
  });
});
