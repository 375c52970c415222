// Five bundles: the extension entry and its lazily loaded runtime (Node/CJS, `vscode`
// provided by the host), the webview and the plan graph panel (browser, loaded under a
// strict CSP; the graph carries its layout library, dagre) and the `rozet` CLI (Node,
// with a shebang).
import * as esbuild from 'esbuild';
import { chmod } from 'node:fs/promises';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  // ESM builds first: some packages' UMD builds (jsonc-parser) require their own files at
  // run time, which a bundle does not have.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const bundles = [
  // The extension entry registers commands and views and nothing more; the runtime behind
  // them is its own bundle, required on first use, so activation does not parse ~1 MB.
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', './runtime'],
  },
  {
    ...common,
    entryPoints: ['src/extension/runtime.ts'],
    outfile: 'dist/runtime.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
  {
    ...common,
    entryPoints: ['src/webview/graph/main.ts'],
    outfile: 'dist/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'text' },
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

function report(result) {
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    console.log(`${file.padEnd(22)} ${(info.bytes / 1024).toFixed(1).padStart(8)} KiB`);
  }
}

if (watch) {
  const contexts = await Promise.all(
    bundles.map((options) =>
      esbuild.context({
        ...options,
        plugins: [{ name: 'report', setup: (b) => b.onEnd((r) => r.errors.length === 0 && r.metafile && report(r)) }],
      }),
    ),
  );
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[watch] build started');
} else {
  const results = await Promise.all(bundles.map((options) => esbuild.build(options)));
  results.forEach(report);
  await chmod('dist/cli.js', 0o755);
}
