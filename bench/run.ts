// `npm run bench`: runs every benchmark, prints each result as it comes and writes
// bench/results.md (machine details first). A benchmark that fails is reported as failed
// and makes the command exit non-zero; the others still run.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchActivation } from './activation';
import { benchCancellation } from './cancellation';
import { benchJsonRepair } from './json-repair';
import { benchMemory } from './memory';
import { benchParallelSlots } from './parallel-slots';
import { benchRateLimitStorm } from './rate-limit-storm';
import { benchRunEngine } from './run-engine';
import { benchSandbox } from './sandbox';
import { benchSearch } from './search';
import { benchSizes } from './sizes';
import { benchWebview } from './webview';
import { errorMessage } from '../src/core/text/error-message';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Array<[string, Bench]> = [
  ['Activation', benchActivation],
  ['Run engine', benchRunEngine],
  ['Parallel requests on servers with K slots', benchParallelSlots],
  ['Webview', benchWebview],
  ['Bundle and .vsix size', benchSizes],
  ['JSON-repair throughput', benchJsonRepair],
  ['Memory per 1,000 tasks', benchMemory],
  ['Cancellation latency', benchCancellation],
  ['429 storm', benchRateLimitStorm],
  ['Command sandbox', benchSandbox],
  ['search_files over 10,000 files', benchSearch],
];

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
  for (const [name, bench] of BENCHES) {
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
  fs.writeFileSync(path.join(__dirname, 'results.md'), lines.join('\n'));
  console.log(`bench/results.md written; ${BENCHES.length - failed} of ${BENCHES.length} benchmarks ran.`);
  if (failed) process.exitCode = 1;
}

void main();
