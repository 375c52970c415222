// `npm run bench`: runs every benchmark, prints each result as it comes and writes the
// report (machine details first) to bench/out/results.md, which git ignores. The tracked
// bench/results.md, which the README quotes, changes only with --write-results. A
// benchmark that fails is reported as failed and makes the command exit non-zero; the
// others still run.
//   npm run bench -- [--out DIR] [--only NAME[,NAME]] [--write-results]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { benchActivation } from './activation';
import { benchCancellation } from './cancellation';
import { benchGraphLayout } from './graph-layout';
import { benchJsonRepair } from './json-repair';
import { benchMemory } from './memory';
import { benchParallelSlots } from './parallel-slots';
import { benchRateLimitStorm } from './rate-limit-storm';
import { benchRunEngine } from './run-engine';
import { benchSandbox } from './sandbox';
import { benchSavedRuns } from './saved-runs';
import { benchSearch } from './search';
import { benchSizes } from './sizes';
import { benchWebview } from './webview';
import { errorMessage } from '../src/core/text/error-message';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Array<[name: string, slug: string, Bench]> = [
  ['Activation', 'activation', benchActivation],
  ['Run engine', 'run-engine', benchRunEngine],
  ['Parallel requests on servers with K slots', 'parallel-slots', benchParallelSlots],
  ['Webview', 'webview', benchWebview],
  ['Bundle and .vsix size', 'sizes', benchSizes],
  ['JSON-repair throughput', 'json-repair', benchJsonRepair],
  ['Memory per 1,000 tasks', 'memory', benchMemory],
  ['Cancellation latency', 'cancellation', benchCancellation],
  ['429 storm', 'rate-limit-storm', benchRateLimitStorm],
  ['Command sandbox', 'sandbox', benchSandbox],
  ['search_files over 10,000 files', 'search', benchSearch],
  ['Saving run state', 'saved-runs', benchSavedRuns],
  ['Plan graph layout', 'graph-layout', benchGraphLayout],
];

function options(): { out: string; only?: string[]; writeResults: boolean } {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      only: { type: 'string' },
      'write-results': { type: 'boolean' },
    },
  });
  const only = values.only?.split(',').map((s) => s.trim());
  const unknown = only?.filter((slug) => !BENCHES.some(([, known]) => known === slug));
  if (unknown?.length)
    throw new Error(`Unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.map(([, slug]) => slug).join(', ')}.`);
  return {
    out: path.resolve(values.out ?? path.join(__dirname, 'out')),
    only,
    writeResults: values['write-results'] ?? false,
  };
}

function render(value: unknown, indent = ''): string[] {
  if (Array.isArray(value) && value.every((row) => row && typeof row === 'object' && !Array.isArray(row))) {
    const rows = value as Record<string, unknown>[];
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return [
      `${indent}| ${columns.join(' | ')} |`,
      `${indent}|${columns.map(() => '---').join('|')}|`,
      ...rows.map((r) => `${indent}| ${columns.map((c) => format(r[c])).join(' | ')} |`),
    ];
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([k, v]) =>
      v && typeof v === 'object'
        ? [`${indent}- **${k}**`, ...render(v, `${indent}  `)]
        : [`${indent}- **${k}**: ${format(v)}`],
    );
  }
  return [`${indent}${format(value)}`];
}

function format(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

async function main(): Promise<void> {
  const { out, only, writeResults } = options();
  const benches = BENCHES.filter(([, slug]) => !only || only.includes(slug));
  const machine = {
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' '),
    date: new Date().toISOString(),
  };
  const lines = [
    '# Rozet benchmarks',
    '',
    'Written by `npm run bench`. Targets are in each section.',
    '',
    '## Machine',
    '',
    ...render(machine),
    '',
  ];
  let failed = 0;
  for (const [name, , bench] of benches) {
    process.stdout.write(`== ${name}\n`);
    try {
      const result = await bench();
      console.log(JSON.stringify(result, null, 2));
      lines.push(`## ${name}`, '', ...render(result), '');
    } catch (error) {
      failed++;
      console.error(`${name} failed:`, error);
      lines.push(`## ${name}`, '', `Failed: ${errorMessage(error)}`, '');
    }
  }
  fs.mkdirSync(out, { recursive: true });
  const written = [path.join(out, 'results.md')];
  if (writeResults) written.push(path.join(__dirname, 'results.md'));
  for (const file of written) fs.writeFileSync(file, lines.join('\n'));
  console.log(`${written.join(' and ')} written; ${benches.length - failed} of ${benches.length} benchmarks ran.`);
  if (failed) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
