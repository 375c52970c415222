// The contract between the driver outside the extension host and the tests inside it:
// the results the in-host runner (index.ts) hands back — a JSON file, because the driver
// cannot see the extension host's stdout in code-server — and the UI bridge through
// which tests ask the driver to act in the browser (ui-bridge.ts, helpers.ts ui()).

/** Environment variable naming the JSON file the in-host runner writes its results to. */
export const resultsFileEnv = 'ROZET_HOST_TEST_RESULTS';

export interface HostTestResult {
  /** Suite titles, outermost first, then the test's own title. */
  titlePath: string[];
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: { message: string; stack?: string };
}

export interface HostTestResults {
  tests: HostTestResult[];
  /** A failure outside any test: a test file that throws while loading, a broken hook. */
  error?: string;
}

/** Environment variable with the URL of the driver's UI bridge; unset where there is none. */
export const uiBridgeEnv = 'ROZET_HOST_UI_BRIDGE';

/** What a test can ask the driver to do in the workbench, as a person would. */
export type UiAction =
  /** A button of the Rozet sidebar's webview, by its exact text. */
  | { action: 'clickViewButton'; label: string }
  /** Type into the open input box or quick pick and press Enter. */
  | { action: 'typeInQuickInput'; text: string };
