// axe-core in the test page only: its source is evaluated through the DevTools protocol
// (page.evaluate), which the page's CSP does not govern, so the shipped bundle and CSP
// stay as they are and the suite still proves nothing tripped the CSP.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue } from 'axe-core';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** WCAG 2.1 A and AA, the rules the issue measured with. */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface Violation {
  id: string;
  impact: ImpactValue | undefined;
  help: string;
  /** How many nodes fail the rule. */
  count: number;
  /** Selectors of the offending nodes (first few), with axe's summary for the first. */
  nodes: string[];
  summary: string;
}

export async function axeViolations(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = (await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(ctx: unknown, options: unknown): Promise<unknown> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    TAGS,
  )) as AxeResults;
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? undefined,
    help: v.help,
    count: v.nodes.length,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
    summary: v.nodes[0]?.failureSummary ?? '',
  }));
}

/** Serious and critical ones: the bar every state and theme must clear. */
export function blocking(violations: Violation[]): Violation[] {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export function describeViolations(violations: Violation[]): string {
  return violations
    .map((v) => `${v.impact} ${v.id} (${v.help}): ${v.nodes.join(' | ')}\n    ${v.summary.replace(/\n/g, '\n    ')}`)
    .join('\n');
}
