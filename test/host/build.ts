// Bundles the host suite for the extension host: index.js (the runner, mocha inlined so
// the bundle needs nothing at run time but Node and `vscode`) and one <name>.test.js per
// test/host/*.test.ts, under dist/test/host/ (built, never committed).
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from '../e2e/support/paths';

export const hostTestsOutDir = join(repoRoot, 'dist', 'test', 'host');

export async function buildHostTests(): Promise<string> {
  const sourceDir = join(repoRoot, 'test', 'host');
  const tests = readdirSync(sourceDir).filter((name) => name.endsWith('.test.ts'));
  // A test deleted from the source must not keep running from a stale bundle.
  rmSync(hostTestsOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(sourceDir, 'index.ts'), ...tests.map((name) => join(sourceDir, name))],
    outdir: hostTestsOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // mocha's parallel mode (never used here) require.resolve()s its worker files.
    logOverride: { 'require-resolve-not-external': 'silent' },
  });
  return join(hostTestsOutDir, 'index.js');
}
