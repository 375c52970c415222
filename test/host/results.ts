// What the in-host runner (index.ts) hands to the driver outside the extension host:
// a JSON file, because the driver cannot see the extension host's stdout in code-server.

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
