// `rozet resume [RUN] [--json] [--yes]`: goes on with a saved run that failed, was
// cancelled, stopped at a budget or was interrupted (the newest such run when RUN is not
// given). Succeeded tasks are kept — their results feed their dependents, the model is
// not asked again — and every other task runs. A kept task whose files changed on disk
// since is named: on a terminal the user keeps going or runs it again; without one
// --yes keeps going, otherwise nothing runs.
import { planResume, rerunAlso, type ResumePlan } from '../../core/run-state/resume';
import type { RunRecord } from '../../core/run-state/run-record';
import type { RunStateStore } from '../../core/run-state/run-store';
import { EXIT, type Output } from '../io';
import { startMcp } from '../mcp/start-mcp';
import type { Prompter } from '../prompt';
import { cliRunSaver, openSavedRun, savedRunStore } from '../saved-runs';
import type { CliContext } from '../setup';
import { readWorkspaceText } from './undo';
import { executePlan, exitCodeOf } from './run';
import { runState } from './runs';

export interface ResumeOptions {
  json: boolean;
  /** Keep going past kept tasks whose files changed. */
  yes: boolean;
  approveCommands: boolean;
  signal: AbortSignal;
  prompter?: Prompter;
}

export async function resumeCommand(
  ctx: CliContext,
  id: string | undefined,
  output: Output,
  options: ResumeOptions,
): Promise<number> {
  const store = savedRunStore(ctx);
  const record = await openSavedRun(
    store,
    id,
    (r) => r.state !== 'succeeded' && runState(r) !== 'running',
    'to resume',
  );
  const state = runState(record);
  if (state === 'running') {
    output.err(`rozet: run ${record.runId} is still running (process ${record.pid}); wait for it or stop it first.`);
    return EXIT.usage;
  }
  if (record.state === 'succeeded') {
    output.err(`rozet: run ${record.runId} already succeeded; there is nothing to resume.`);
    return EXIT.ok;
  }
  const resume = await decideDrift(
    await planResume(record, (path) => readWorkspaceText(ctx.root, path)),
    output,
    options,
  );
  if (!resume) return EXIT.failed;
  output.err(
    `Resuming ${record.runId.slice(0, 8)} (${state}): ${resume.kept.size ? `keeping ${[...resume.kept.keys()].join(', ')}; ` : ''}running ${resume.rerun.join(', ')}.`,
  );
  return execute(ctx, store, record, resume, output, options);
}

/** Asks about kept tasks whose files changed since; undefined when nothing may run. */
async function decideDrift(
  resume: ResumePlan,
  output: Output,
  options: ResumeOptions,
): Promise<ResumePlan | undefined> {
  if (resume.drifted.length === 0) return resume;
  for (const d of resume.drifted)
    output.err(
      `rozet: ${d.taskId} (${d.title}) is kept, but since it ran ${d.files.map((f) => `${f.path} was ${f.why}`).join(', ')}.`,
    );
  if (options.yes) {
    output.err('rozet: --yes: keeping those tasks as they are.');
    return resume;
  }
  if (!options.prompter || !output.interactive) {
    output.err('rozet: nothing was run. On a terminal you can choose; --yes keeps going with those tasks kept.');
    return undefined;
  }
  const rerun: string[] = [];
  for (const d of resume.drifted) {
    const answer = await options.prompter.ask(
      `Keep ${d.taskId} as it is (k), or run it again (r)? [k/r]: `,
      options.signal,
    );
    if (answer === undefined) return undefined;
    if (answer.trim().toLowerCase().startsWith('r')) rerun.push(d.taskId);
  }
  return rerunAlso(resume, rerun);
}

async function execute(
  ctx: CliContext,
  store: RunStateStore,
  record: RunRecord,
  resume: ResumePlan,
  output: Output,
  options: ResumeOptions,
): Promise<number> {
  const saver = cliRunSaver(store, output, { record });
  const mcp = await startMcp(ctx, output);
  try {
    const summary = await executePlan(ctx, output, options, {
      planned: { plan: resume.plan, source: record.source, notes: [] },
      saver,
      mcp: mcp ?? null,
      runId: record.runId,
      resume: resume.kept,
    });
    return exitCodeOf(summary);
  } finally {
    await mcp?.close();
  }
}
