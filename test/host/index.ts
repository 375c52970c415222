// The mocha suite that runs INSIDE a real VS Code extension host: the module that VS
// Code's --extensionTestsPath (and code-server's `extensionTestsPath` window payload)
// loads and whose run() it calls once the extension under development is loaded.
//
// Adding a host test: create test/host/<topic>.test.ts with mocha's describe/it and
// node:assert; import `vscode` as usual (it is the host's, not bundled). Every
// test/host/*.test.ts is bundled by test/host/build.ts to dist/test/host/*.test.js and
// run here in name order, all in ONE extension host and window, sharing its state:
// activation.test.ts checks the extension is not yet active, so it must stay first.
// Give each test a fresh file name or folder in the workspace rather than relying on
// order. Each driver profile (run-code-server.ts) opens its own window: in the default
// one the workspace is a new temp folder holding README.md with Workspace Trust off
// (settings: test/e2e/support/sandbox.ts); the untrusted, multi-root and no-folder
// profiles each run only their own suite. Run: `npx tsx test/host/run-code-server.ts`
// (code-server + chromium, here and in CI) or `npx tsx test/host/run-electron.ts` (where
// VS Code can be downloaded).
// Shared helpers for tests go in test/host/helpers.ts; mocha's --grep is
// ROZET_HOST_TEST_GREP.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { type HostTestResult, type HostTestResults, resultsFileEnv } from './results';

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

function titlePath(runnable: Mocha.Runnable): string[] {
  return runnable.titlePath().filter((title) => title !== '');
}

/**
 * Records every result for the driver, which prints them (report.ts): in code-server the
 * extension host's stdout reaches no terminal, and both drivers then print alike.
 */
class HostReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options: Mocha.MochaOptions) {
    super(runner, options);
    const results: HostTestResults = { tests: [] };
    const record = (test: Mocha.Test, state: HostTestResult['state'], error?: Error): void => {
      results.tests.push({
        titlePath: titlePath(test),
        state,
        durationMs: test.duration ?? 0,
        error: error && { message: error.message, stack: error.stack },
      });
    };
    runner.on(EVENT_TEST_PASS, (test) => record(test, 'passed'));
    runner.on(EVENT_TEST_PENDING, (test) => record(test, 'pending'));
    runner.on(EVENT_TEST_FAIL, (runnable, error: Error) => {
      if (runnable.type === 'test') record(runnable as Mocha.Test, 'failed', error);
      // A failing hook fails no test of its own, and the tests it guards never run.
      else results.error = `${titlePath(runnable).join(' > ')}: ${error.stack ?? error.message}`;
    });
    runner.once(EVENT_RUN_END, () => writeResults(results));
  }
}

function writeResults(results: HostTestResults): void {
  const file = process.env[resultsFileEnv];
  if (file) writeFileSync(file, JSON.stringify(results, null, 2));
}

export async function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    // Commands round-trip through the browser workbench; first activation can take seconds.
    timeout: 30_000,
    reporter: HostReporter,
    grep: process.env.ROZET_HOST_TEST_GREP,
  });
  for (const file of readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(join(__dirname, file));
  }
  let failures: number;
  try {
    failures = await new Promise<number>((resolve) => mocha.run(resolve));
  } catch (error) {
    // mocha.run throws when a test file fails to load, before any reporter event.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    writeResults({ tests: [], error: message });
    throw error;
  }
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
