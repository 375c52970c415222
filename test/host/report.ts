// Prints host results the way mocha's spec reporter does, ending with the plain
// `N passed, N failed` line CI reads. Used by the code-server driver, which gets results
// as data rather than as the extension host's stdout.
import { type HostTestResults } from './results';

/** Prints the results and returns the number of failures (a suite-level error counts as one). */
export function printResults(results: HostTestResults): number {
  let openSuites: string[] = [];
  const failures: HostTestResults['tests'] = [];
  for (const test of results.tests) {
    const suites = test.titlePath.slice(0, -1);
    let common = 0;
    while (common < suites.length && suites[common] === openSuites[common]) common++;
    suites.slice(common).forEach((suite, i) => console.log(`${'  '.repeat(common + i + 1)}${suite}`));
    openSuites = suites;
    const indent = '  '.repeat(suites.length + 1);
    const title = test.titlePath[test.titlePath.length - 1];
    if (test.state === 'passed') console.log(`${indent}✔ ${title} (${test.durationMs}ms)`);
    else if (test.state === 'pending') console.log(`${indent}- ${title}`);
    else {
      failures.push(test);
      console.log(`${indent}${failures.length}) ${title}`);
    }
  }
  const indented = (text: string): string => text.replace(/\n/g, '\n     ');
  failures.forEach((test, i) => {
    console.log(
      `\n  ${i + 1}) ${test.titlePath.join(' ')}:\n     ${indented(test.error?.stack ?? test.error?.message ?? 'failed')}`,
    );
  });
  if (results.error) console.log(`\n  suite error:\n     ${indented(results.error)}`);
  const count = (state: string): number => results.tests.filter((test) => test.state === state).length;
  const failed = failures.length + (results.error ? 1 : 0);
  const pending = count('pending');
  console.log(`\n${count('passed')} passed, ${failed} failed${pending > 0 ? `, ${pending} skipped` : ''}`);
  return failed;
}

/** Runs a driver's main and exits with its code; a crash still ends on the closing count line CI reads. */
export function runDriver(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      console.log('\n0 passed, 1 failed');
      process.exit(1);
    },
  );
}
