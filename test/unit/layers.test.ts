// The folder rule of docs/ARCHITECTURE.md ("Layers"): which folder of src/ may import from
// which, so dependencies point one way and config and providers never import each other.
// The `vscode` half of the rule is ESLint's (no-restricted-imports in .ci/eslint.config.mjs).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const src = join(root, 'src');

const LAYERS = ['core', 'config', 'providers', 'webview', 'cli', 'extension'] as const;
type Layer = (typeof LAYERS)[number];

/**
 * What each folder may import from, besides itself. Among others: nothing below the hosts
 * imports src/extension, and src/config does not import src/providers (providers builds on
 * config, never the reverse).
 */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: [],
  config: ['core'],
  providers: ['core', 'config'],
  webview: ['core'],
  cli: ['core', 'config', 'providers'],
  extension: ['core', 'config', 'providers', 'webview'],
};

interface Edge {
  from: string;
  to: string;
  fromLayer: Layer;
  toLayer: Layer;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) ? [path] : [];
  });
}

function layerOf(path: string): Layer | undefined {
  const [first] = relative(src, path).split(sep);
  return (LAYERS as readonly string[]).includes(first) ? (first as Layer) : undefined;
}

/** Every import, export-from, require() and import() of src/ that lands in another folder of src/. */
function crossFolderImports(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(src)) {
    const fromLayer = layerOf(file);
    if (!fromLayer) continue;
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName);
      const toLayer = layerOf(target);
      if (toLayer && toLayer !== fromLayer)
        edges.push({ from: relative(root, file), to: relative(root, target), fromLayer, toLayer });
    }
  }
  return edges;
}

describe('layers', () => {
  const edges = crossFolderImports();

  it('finds the imports it checks (the scan itself works)', () => {
    assert.ok(
      edges.some((e) => e.fromLayer === 'extension' && e.toLayer === 'core'),
      'no import from src/extension into src/core was found',
    );
    assert.ok(edges.some((e) => e.fromLayer === 'providers' && e.toLayer === 'config'));
  });

  it('every folder of src/ imports only from the folders below it (no cycle between config and providers)', () => {
    const wrong = edges
      .filter((e) => !ALLOWED[e.fromLayer].includes(e.toLayer))
      .map(
        (e) =>
          `${e.from} imports ${e.to}: src/${e.fromLayer} may import only ${ALLOWED[e.fromLayer].map((l) => `src/${l}`).join(', ') || 'itself'}`,
      );
    assert.deepEqual(wrong, [], `see docs/ARCHITECTURE.md, "Layers":\n${wrong.join('\n')}`);
  });
});
