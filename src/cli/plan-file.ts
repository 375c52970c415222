// Plans as files: what `rozet plan --json` prints, what `rozet run --plan FILE` reads, and
// what "e" at the review opens in $EDITOR. A file is checked as strictly as a model's
// answer (ids unique, dependencies that exist, no cycles — the cycle is named); a bad one
// is refused with what is wrong and where the file is, and nothing runs.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanResult, PlanSource } from '../core/plan/plan';
import { parsePlan } from '../core/plan/plan-parse';
import { CliError, EXIT } from './io';

/** The plan contract: {tasks, source, reason?, notes?}. */
export function planToJson(result: PlanResult): Record<string, unknown> {
  return {
    tasks: result.plan.tasks,
    source: result.source,
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.notes.length ? { notes: result.notes } : {}),
  };
}

/** A plan file's text as a plan, or why it is not one (a sentence). */
export function parsePlanFile(text: string, maxTasks: number): PlanResult | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `it is not valid JSON (${(error as Error).message})`;
  }
  const parsed = parsePlan(value, { maxTasks });
  if (!parsed.ok) return parsed.error;
  const meta = (value && typeof value === 'object' ? value : {}) as { source?: unknown; reason?: unknown };
  const source: PlanSource = meta.source === 'fallback' ? 'fallback' : 'llm';
  return {
    plan: parsed.plan,
    source,
    ...(source === 'fallback' && typeof meta.reason === 'string' ? { reason: meta.reason } : {}),
    notes: parsed.repairs,
  };
}

export async function readPlanFile(file: string, maxTasks: number): Promise<PlanResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(EXIT.usage, 'usage', `cannot read the plan file ${file}: ${(error as Error).message}.`);
  }
  const parsed = parsePlanFile(text, maxTasks);
  if (typeof parsed === 'string')
    throw new CliError(EXIT.usage, 'usage', `the plan file ${file} is refused: ${parsed} Nothing was run.`);
  return parsed;
}

/**
 * Opens the plan in the user's editor ($VISUAL, $EDITOR, else vi) as JSON and returns
 * what was saved. The file stays where it is when the editor fails or the result is no
 * plan, so no edit is lost; the error says where it is.
 */
export async function editPlan(
  planned: PlanResult,
  options: { env: Record<string, string | undefined>; maxTasks: number },
): Promise<PlanResult> {
  const dir = await mkdtemp(join(tmpdir(), 'rozet-plan-'));
  const file = join(dir, 'plan.json');
  await writeFile(file, `${JSON.stringify(planToJson(planned), null, 2)}\n`);
  const editor =
    options.env.VISUAL?.trim() || options.env.EDITOR?.trim() || (process.platform === 'win32' ? 'notepad' : 'vi');
  const keep = `Your edits are kept in ${file}; run them with \`rozet run --plan ${file}\`.`;
  const status = await runEditor(editor, file);
  if (status !== 0)
    throw new CliError(
      EXIT.usage,
      'usage',
      `the editor (${editor}) exited with ${typeof status === 'number' ? `status ${status}` : status}, so the plan was not run. ${keep}`,
    );
  const parsed = parsePlanFile(await readFile(file, 'utf8'), options.maxTasks);
  if (typeof parsed === 'string')
    throw new CliError(EXIT.usage, 'usage', `the edited plan is not a valid plan: ${parsed} Nothing was run. ${keep}`);
  await rm(dir, { recursive: true, force: true });
  return {
    ...parsed,
    source: planned.source,
    reason: planned.reason,
    notes: [...parsed.notes, 'You edited the plan.'],
  };
}

/** The editor on the real terminal; the exit status, or how it failed to start. */
function runEditor(editor: string, file: string): Promise<number | string> {
  // Through the shell: EDITOR often carries arguments ("code --wait"); the file is passed
  // as an argument, never pasted into the command line.
  const child =
    process.platform === 'win32'
      ? spawn(`${editor} "${file}"`, { shell: true, stdio: 'inherit' })
      : spawn('/bin/sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit' });
  return new Promise((resolve) => {
    child.once('error', (error) => resolve(`an error (${error.message})`));
    child.once('exit', (code, signal) => resolve(code ?? `signal ${signal}`));
  });
}
