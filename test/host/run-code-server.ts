// Runs the host suite (test/host/*.test.ts) inside the extension host of a real VS Code:
// code-server, with Rozet loaded from this repo as the extension under development.
// code-server honours VS Code's window payload, so this is the same mechanism as
// `code --extensionDevelopmentPath --extensionTestsPath`: the workbench URL carries
// both paths and the remote (Node) extension host loads Rozet and calls index.js run().
// The extension host only starts once a browser opens the workbench, hence chromium.
// It reports back through the hook VS Code's own web test runner uses
// (window.codeAutomationExit) and the results file written by index.ts.
//
//   npx tsx test/host/run-code-server.ts
//   ROZET_HOST_TEST_GREP=<regexp>   run only matching tests
//   ROZET_HOST_TIMEOUT_SECONDS=<n>  give up on the whole suite after n seconds (default 300)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium, newPage, openWorkbench, screenshot } from '../e2e/support/browser';
import { buildExtension } from '../e2e/support/build';
import { startCodeServer } from '../e2e/support/code-server';
import { repoRoot, testResultsDir } from '../e2e/support/paths';
import { buildHostTests } from './build';
import { printResults } from './report';
import { type HostTestResults, resultsFileEnv } from './results';

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function main(): Promise<number> {
  const timeoutMs = Number(process.env.ROZET_HOST_TIMEOUT_SECONDS ?? 300) * 1000;
  let started = Date.now();
  buildExtension();
  const testsEntry = await buildHostTests();
  console.log(`host: built extension and tests in ${seconds(started)}`);

  started = Date.now();
  const server = await startCodeServer({ label: 'host', extensionTests: true, files: { 'README.md': '# Rozet host test workspace\n' } });
  console.log(`host: code-server ${server.port} up in ${seconds(started)}`);
  const resultsFile = join(server.sandbox.root, 'results.json');
  // The extension host's environment: where to write results, and the grep if any.
  const extensionHostEnv: Record<string, string> = { [resultsFileEnv]: resultsFile };
  if (process.env.ROZET_HOST_TEST_GREP) extensionHostEnv.ROZET_HOST_TEST_GREP = process.env.ROZET_HOST_TEST_GREP;
  const workbenchLog: string[] = [];
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    started = Date.now();
    const page = await newPage(browser);
    page.on('console', (message) => workbenchLog.push(`[${message.type()}] ${message.text()}`));
    let reportExit: (code: number) => void = () => undefined;
    const exitCode = new Promise<number>((resolve) => {
      reportExit = resolve;
    });
    // Called by the workbench when the extension host's run() settles (0: passed).
    await page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    await openWorkbench(
      page,
      server.workbenchUrl([
        ['extensionDevelopmentPath', server.remoteUri(repoRoot)],
        ['extensionTestsPath', server.remoteUri(testsEntry)],
        ['extensionEnvironment', JSON.stringify(extensionHostEnv)],
      ]),
    );
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([exitCode, timedOut]);
    clearTimeout(timer);
    console.log(
      outcome === 'timeout'
        ? `host: suite still running after ${timeoutMs / 1000} s, given up\n`
        : `host: suite ran in ${seconds(started)}, extension host test exit code ${outcome}\n`,
    );
    if (outcome !== 0) await screenshot(page, 'host-suite-end');

    if (!existsSync(resultsFile)) {
      if (outcome !== 'timeout') console.log('host: the extension host wrote no results (run() was never called or crashed first)');
      console.log(`host: see ${server.logFile} and test-results/host-workbench.log\n\n0 passed, 1 failed`);
      return 1;
    }
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as HostTestResults;
    const failed = printResults(results);
    return failed > 0 || outcome !== 0 ? 1 : 0;
  } finally {
    writeFileSync(join(testResultsDir, 'host-workbench.log'), workbenchLog.join('\n'));
    await browser?.close();
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('\n0 passed, 1 failed');
    process.exit(1);
  },
);
