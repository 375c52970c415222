// Runs the host suite with @vscode/test-electron, for machines that can download VS Code
// (this one cannot: use run-code-server.ts). Same bundle, same run(), same output.
//
//   npx tsx test/host/run-electron.ts
//   ROZET_VSCODE_VERSION=1.90.0     VS Code to download (default: latest stable)
//   ROZET_HOST_TEST_GREP=<regexp>   run only matching tests
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { buildExtension } from '../e2e/support/build';
import { repoRoot } from '../e2e/support/paths';
import { createSandbox } from '../e2e/support/sandbox';
import { buildHostTests, lmExtensionDir } from './build';
import { printResults, runDriver } from './report';
import { type HostTestResults, resultsFileEnv } from './results';

async function main(): Promise<number> {
  buildExtension();
  const testsEntry = await buildHostTests();
  const sandbox = createSandbox('host-electron', { files: { 'README.md': '# Rozet host test workspace\n' } });
  const resultsFile = join(sandbox.root, 'results.json');
  try {
    let exitCode = 0;
    try {
      await runTests({
        version: process.env.ROZET_VSCODE_VERSION,
        extensionDevelopmentPath: [repoRoot, lmExtensionDir],
        extensionTestsPath: testsEntry,
        extensionTestsEnv: { [resultsFileEnv]: resultsFile, ROZET_HOST_TEST_GREP: process.env.ROZET_HOST_TEST_GREP },
        launchArgs: [
          sandbox.workspaceDir,
          `--user-data-dir=${sandbox.userDataDir}`,
          `--extensions-dir=${sandbox.extensionsDir}`,
          // Built-in extensions only add startup time and noise; Rozet, the extension
          // under development, is not affected by this flag.
          '--disable-extensions',
        ],
      });
    } catch (error) {
      // runTests rejects when VS Code exits non-zero, i.e. when a test failed; the
      // results file says which. No file means VS Code never got as far as run().
      if (!existsSync(resultsFile)) throw error;
      exitCode = 1;
    }
    const failed = printResults(JSON.parse(readFileSync(resultsFile, 'utf8')) as HostTestResults);
    return failed > 0 ? 1 : exitCode;
  } finally {
    sandbox.remove();
  }
}

runDriver(main);
