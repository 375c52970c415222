// `rozet runs [--json]`: this workspace's saved runs, newest first, with what each did and
// cost; and the saved runs that cannot be used (unreadable, from another version of Rozet,
// for a workspace that moved), with how to delete them: `rozet runs delete RUN`, or
// `rozet runs prune` for all the unusable ones.
import { describeUsage, emptyUsage, addUsage } from '../../core/run/budget';
import { errorMessage } from '../../core/text/error-message';
import type { RunRecord } from '../../core/run-state/run-record';
import type { RunStateStore, SavedRunProblem } from '../../core/run-state/run-store';
import { UsageError } from '../args';
import { oneLine } from '../format';
import { EXIT, type Output } from '../io';
import { savedRunStore } from '../saved-runs';
import type { CliContext } from '../setup';

export async function runsCommand(
  ctx: CliContext,
  words: string[],
  output: Output,
  options: { json: boolean },
): Promise<number> {
  const store = savedRunStore(ctx);
  const [action, target] = words;
  if (action === 'delete' || action === 'prune') return remove(store, action, target, output, options);
  if (action !== undefined)
    throw new UsageError(`rozet runs takes no "${action}": use rozet runs, rozet runs delete RUN or rozet runs prune.`);
  const { runs, problems } = await store.list();
  if (options.json) {
    output.out(JSON.stringify({ runs: runs.map(runJson), problems: problems.map(problemJson) }, null, 2));
    return EXIT.ok;
  }
  if (runs.length === 0) output.out(`No saved runs for ${ctx.root}.`);
  for (const run of runs) output.out(runLine(run));
  if (runs.some((r) => r.state !== 'succeeded'))
    output.out(
      '\n`rozet resume RUN` goes on with one (succeeded tasks kept); `rozet undo RUN [TASK]` reverts its writes.',
    );
  reportProblems(problems, output);
  return EXIT.ok;
}

export function runState(run: RunRecord): string {
  if (run.state !== 'running') return run.state;
  return run.pid !== undefined && run.pid !== process.pid && alive(run.pid) ? 'running' : 'interrupted';
}

export function runUsage(run: RunRecord) {
  return Object.values(run.tasks).reduce((sum, t) => addUsage(sum, t.usage), emptyUsage());
}

function runLine(run: RunRecord): string {
  const tasks = Object.values(run.tasks);
  const done = tasks.filter((t) => t.status === 'succeeded').length;
  const when = new Date(run.updatedAt).toISOString().replace('T', ' ').slice(0, 16);
  return `${run.runId.slice(0, 8)}  ${when}  ${runState(run).padEnd(11)}  ${done}/${tasks.length} tasks  ${describeUsage(runUsage(run))}  ${oneLine(run.title).slice(0, 60)}`;
}

function runJson(run: RunRecord) {
  return {
    runId: run.runId,
    title: run.title,
    state: runState(run),
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    usage: runUsage(run),
    tasks: run.plan.tasks.map((t) => {
      const saved = run.tasks[t.id];
      return {
        id: t.id,
        title: t.title,
        status: saved?.status ?? 'pending',
        usage: saved?.usage ?? emptyUsage(),
        filesChanged: saved?.changes.map((c) => c.path) ?? [],
        ...(saved?.undone ? { undone: true } : {}),
      };
    }),
  };
}

function problemJson(problem: SavedRunProblem) {
  return { runId: problem.runId, kind: problem.kind, message: problem.message, file: problem.file };
}

function reportProblems(problems: SavedRunProblem[], output: Output): void {
  if (problems.length === 0) return;
  output.err(`rozet: ${problems.length} saved run${problems.length === 1 ? '' : 's'} cannot be used:`);
  for (const p of problems) output.err(`  ${p.runId}: ${p.message}`);
  output.err('Delete them with `rozet runs prune` (or one with `rozet runs delete RUN`).');
}

async function remove(
  store: RunStateStore,
  action: 'delete' | 'prune',
  target: string | undefined,
  output: Output,
  options: { json: boolean },
): Promise<number> {
  let removed: string[];
  if (action === 'prune') {
    const { problems } = await store.list();
    for (const problem of problems) await store.delete(problem);
    removed = problems.map((p) => p.runId);
  } else {
    if (!target) throw new UsageError('rozet runs delete needs the run id (see `rozet runs`).');
    const { problems } = await store.list();
    const unusable = problems.find((p) => p.runId === target);
    try {
      const runId = unusable ? target : await store.find(target);
      await store.delete(unusable ?? runId);
      removed = [runId];
    } catch (error) {
      throw new UsageError(`Cannot delete "${target}": ${errorMessage(error)}.`);
    }
  }
  if (options.json) output.out(JSON.stringify({ deleted: removed }));
  else output.out(removed.length ? `Deleted ${removed.join(', ')}.` : 'Nothing to delete.');
  return EXIT.ok;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
