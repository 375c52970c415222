// Runs the host suite (test/host/*.test.ts) inside the extension host of a real VS Code:
// code-server, with Rozet loaded from this repo as the extension under development.
// code-server honours VS Code's window payload, so this is the same mechanism as
// `code --extensionDevelopmentPath --extensionTestsPath`: the workbench URL carries
// both paths and the remote (Node) extension host loads Rozet and calls index.js run().
// The extension host only starts once a browser opens the workbench, hence chromium.
// It reports back through the hook VS Code's own web test runner uses
// (window.codeAutomationExit) and the results file written by index.ts.
//
// Four profiles run side by side, each its own code-server and browser page:
//   trusted     Workspace Trust off (the sandbox default): every other suite.
//   untrusted   Workspace Trust on and the folder not trusted: only the
//               "untrusted workspace" suite.
//   multi-root  a .code-workspace with the folders "app" and "lib": only the
//               "multi-root workspace" suite.
//   no-folder   an empty window, no folder open: only the "no workspace folder" suite.
// Each suite runs in exactly one profile: the trusted profile's grep leaves out the
// suites the others own.
// Each page also gets a UI bridge (ui-bridge.ts) so tests can answer modal dialogs and
// input boxes the way a person would.
//
//   npx tsx test/host/run-code-server.ts
//   ROZET_HOST_TEST_GREP=<regexp>   run only matching tests (in every profile)
//   ROZET_HOST_PROFILES=trusted     run only these profiles (comma-separated)
//   ROZET_HOST_TIMEOUT_SECONDS=<n>  give up on a profile after n seconds (default 300)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser } from 'playwright-core';
import { launchChromium, newPage, openWorkbench, screenshot } from '../e2e/support/browser';
import { buildExtension } from '../e2e/support/build';
import { type CodeServerOptions, startCodeServer } from '../e2e/support/code-server';
import { repoRoot, testResultsDir } from '../e2e/support/paths';
import { buildHostTests, lmExtensionVsix } from './build';
import { printResults, runDriver } from './report';
import { type HostTestResults, resultsFileEnv, uiBridgeEnv } from './results';
import { startUiBridge } from './ui-bridge';

interface Profile {
  label: string;
  settings: Record<string, unknown>;
  /** Mocha grep of this profile, combined with ROZET_HOST_TEST_GREP. */
  grep?: string;
  /** Workspace files (default: a README.md). */
  files?: Record<string, string>;
  /** What the window opens (default: the workspace folder). */
  open?: CodeServerOptions['open'];
  /** Extensions installed into the profile besides Rozet (the workbench loads one under development only). */
  vsix?: string[];
}

const PROFILES: Profile[] = [
  // Every suite but those that need a window of their own.
  {
    label: 'trusted',
    settings: {},
    grep: '^(?!untrusted workspace|multi-root workspace|no workspace folder)',
    vsix: [lmExtensionVsix],
  },
  {
    label: 'untrusted',
    // A fresh temp folder is untrusted once trust is on; no startup prompt may ask.
    settings: {
      'security.workspace.trust.enabled': true,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
    },
    grep: '^untrusted workspace',
  },
  {
    label: 'multi-root',
    settings: {},
    grep: '^multi-root workspace',
    files: {
      'app/README.md': '# app\n',
      'lib/greeting.txt': 'hello from lib\n',
      'rozet.code-workspace': JSON.stringify({ folders: [{ path: 'app' }, { path: 'lib' }] }, null, 2),
    },
    open: { workspaceFile: 'rozet.code-workspace' },
  },
  { label: 'no-folder', settings: {}, grep: '^no workspace folder', files: {}, open: 'empty' },
];

interface ProfileOutcome {
  label: string;
  results?: HostTestResults;
  /** Why there are no results, or the suite's non-zero exit. */
  problem?: string;
  exitCode?: number;
  seconds: string;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function runProfile(
  browser: Browser,
  profile: Profile,
  testsEntry: string,
  timeoutMs: number,
): Promise<ProfileOutcome> {
  const started = Date.now();
  const label = `host-${profile.label}`;
  const server = await startCodeServer({
    label,
    extensionTests: true,
    vsix: profile.vsix,
    settings: profile.settings,
    files: profile.files ?? { 'README.md': '# Rozet host test workspace\n' },
    open: profile.open,
  });
  const resultsFile = join(server.sandbox.root, 'results.json');
  const page = await newPage(browser);
  const bridge = await startUiBridge(page);
  // The extension host's environment: where to write results, the grep, the UI bridge.
  const extensionHostEnv: Record<string, string> = { [resultsFileEnv]: resultsFile, [uiBridgeEnv]: bridge.url };
  const grep = [profile.grep, process.env.ROZET_HOST_TEST_GREP].filter(Boolean);
  // Mocha takes one regexp: a profile's and the user's grep must both match.
  if (grep.length) extensionHostEnv.ROZET_HOST_TEST_GREP = grep.map((g) => `(?=.*(?:${g}))`).join('');
  const workbenchLog: string[] = [];
  page.on('console', (message) => workbenchLog.push(`[${message.type()}] ${message.text()}`));
  try {
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
    if (outcome !== 0) await screenshot(page, `${label}-suite-end`);
    const base = { label: profile.label, seconds: seconds(started) };
    if (!existsSync(resultsFile)) {
      const why =
        outcome === 'timeout'
          ? `still running after ${timeoutMs / 1000} s, given up`
          : 'the extension host wrote no results (run() was never called or crashed first)';
      return { ...base, problem: `${why}; see ${server.logFile} and test-results/${label}-workbench.log` };
    }
    const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as HostTestResults;
    return outcome === 'timeout'
      ? { ...base, results, problem: `still running after ${timeoutMs / 1000} s, given up` }
      : { ...base, results, exitCode: outcome };
  } finally {
    writeFileSync(join(testResultsDir, `${label}-workbench.log`), workbenchLog.join('\n'));
    await bridge.close();
    await page.close();
    await server.stop();
  }
}

/** Runs `work` over `items`, at most `size` at a time, keeping the items' order in the results. */
async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, lane));
  return results;
}

async function main(): Promise<number> {
  const timeoutMs = Number(process.env.ROZET_HOST_TIMEOUT_SECONDS ?? 300) * 1000;
  const wanted = process.env.ROZET_HOST_PROFILES?.split(',').map((p) => p.trim());
  const profiles = PROFILES.filter((p) => !wanted || wanted.includes(p.label));
  const started = Date.now();
  buildExtension();
  const testsEntry = await buildHostTests();
  console.log(`host: built extension and tests in ${seconds(started)}`);

  const browser = await launchChromium();
  let outcomes: ProfileOutcome[];
  try {
    // Two windows at a time: four code-servers loading at once starve a 2-core machine.
    outcomes = await inBatches(profiles, 2, (profile) => runProfile(browser, profile, testsEntry, timeoutMs));
  } finally {
    await browser.close();
  }
  const merged: HostTestResults = { tests: [] };
  const problems: string[] = [];
  for (const outcome of outcomes) {
    console.log(
      `host: ${outcome.label} profile ran in ${outcome.seconds}${outcome.exitCode ? `, extension host test exit code ${outcome.exitCode}` : ''}`,
    );
    if (outcome.problem) problems.push(`[${outcome.label}] ${outcome.problem}`);
    if (!outcome.results) continue;
    merged.tests.push(
      ...outcome.results.tests.map((t) => ({ ...t, titlePath: [`[${outcome.label}]`, ...t.titlePath] })),
    );
    if (outcome.results.error) problems.push(`[${outcome.label}] ${outcome.results.error}`);
    else if (outcome.exitCode !== 0 && outcome.results.tests.every((t) => t.state !== 'failed'))
      problems.push(`[${outcome.label}] run() failed (exit code ${outcome.exitCode}) with no failed test`);
  }
  if (problems.length) merged.error = problems.join('\n');
  console.log(`host: all profiles in ${seconds(started)}\n`);
  return printResults(merged) > 0 ? 1 : 0;
}

runDriver(main);
