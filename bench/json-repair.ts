// JSON-repair throughput: extractJson (find + repair + validate) over a corpus of the
// messy answers models really give — the recorded transcripts of test/fixtures plus
// plans wrapped in fences, prose, <think> blocks, ANSI codes, trailing commas, single
// quotes and cut-off endings. Reported as MB/s and answers/s over ~1.5 s of work.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { extractJson } from '../src/core/text/json-extract';
import { PlanSchema } from '../src/core/plan/plan';
import { round } from './support';

const FIXTURES = path.join(__dirname, '..', 'test', 'fixtures', 'provider-transcripts');

function corpus(): string[] {
  const recorded = fs
    .readdirSync(FIXTURES)
    .filter((name) => name.startsWith('messy-'))
    .map((name) => fs.readFileSync(path.join(FIXTURES, name), 'utf8'));
  const plans: string[] = [];
  for (let n = 1; n <= 12; n++) {
    const tasks = Array.from({ length: n }, (_, i) => ({
      id: `t${i + 1}`,
      title: `Task ${i + 1}: update module ${i}`,
      description: `Edit src/mod${i}.ts so that it exports a helper; keep the tests green.`,
      dependsOn: i ? [`t${i}`] : [],
      files: [`src/mod${i}.ts`],
    }));
    const json = JSON.stringify({ tasks }, null, 2);
    plans.push(
      json,
      `Here is the plan:\n\`\`\`json\n${json}\n\`\`\`\nLet me know if you want changes.`,
      `<think>The user wants ${n} steps. {maybe} I should split by module.</think>\n${json}`,
      `\u001b[32m${json.replace(/\n}/g, ',\n}')}\u001b[0m`,
      json.replace(/"/g, "'"),
      json.slice(0, Math.floor(json.length * 0.8)),
      `Sure! ${json.replace(/"dependsOn"/g, '"depends_on"')} Hope this helps.`,
    );
  }
  return [...recorded, ...plans];
}

export async function benchJsonRepair(): Promise<Record<string, unknown>> {
  const answers = corpus();
  const bytes = answers.reduce((n, a) => n + Buffer.byteLength(a), 0);
  for (const answer of answers) extractJson(answer, PlanSchema); // warm-up
  let rounds = 0;
  let parsed = 0;
  const started = performance.now();
  while (performance.now() - started < 1500) {
    for (const answer of answers) if (extractJson(answer, PlanSchema).ok) parsed++;
    rounds++;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    corpus: { answers: answers.length, KiB: round(bytes / 1024, 1), validPlansPerRound: parsed / rounds },
    MBperSecond: round((bytes * rounds) / 1e6 / seconds, 1),
    answersPerSecond: Math.round((answers.length * rounds) / seconds),
  };
}
