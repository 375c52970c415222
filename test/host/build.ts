// Bundles the host suite for the extension host: index.js (the runner, mocha inlined so
// the bundle needs nothing at run time but Node and `vscode`) and one <name>.test.js per
// test/host/*.test.ts, under dist/test/host/ (built, never committed); and the test
// extension the suite loads next to Rozet (test/host/lm-extension) under dist/test/lm-extension/.
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createVSIX } from '@vscode/vsce';
import * as esbuild from 'esbuild';
import { repoRoot } from '../e2e/support/paths';

export const hostTestsOutDir = join(repoRoot, 'dist', 'test', 'host');
/** The test extension with scripted language models and a tool, loaded next to Rozet. */
export const lmExtensionDir = join(repoRoot, 'dist', 'test', 'lm-extension');
export const lmExtensionVsix = join(repoRoot, 'dist', 'test', 'rozet-test-lm.vsix');

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
  const lmSource = join(sourceDir, 'lm-extension');
  rmSync(lmExtensionDir, { recursive: true, force: true });
  mkdirSync(lmExtensionDir, { recursive: true });
  copyFileSync(join(lmSource, 'package.json'), join(lmExtensionDir, 'package.json'));
  await esbuild.build({
    entryPoints: [join(lmSource, 'extension.ts')],
    outfile: join(lmExtensionDir, 'extension.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    logLevel: 'warning',
  });
  // Packaged too: code-server installs it into each profile (its web workbench loads one
  // extension under development only); Electron loads the folder as a second one.
  await createVSIX({
    cwd: lmExtensionDir,
    packagePath: lmExtensionVsix,
    dependencies: false,
    allowMissingRepository: true,
    skipLicense: true,
  });
  return join(hostTestsOutDir, 'index.js');
}
