// `rozet undo RUN [TASK] [--json] [--yes]`: reverts what one task of a saved run wrote (or
// the whole run, without TASK), keeping later edits where they touch other lines. Where
// undoing would lose later edits, the diff of what would be lost is shown and the user
// asked (--yes: undo anyway; without a terminal and --yes: that file is left alone). A
// file deleted since is named and nothing is restored there. Writes are atomic and keep
// the file's encoding and line endings (NodeWorkspace).
import { rm, stat } from 'node:fs/promises';
import type { RunJournal } from '../../core/run-state/run-journal';
import type { RunRecord } from '../../core/run-state/run-record';
import { describeStep, planUndo, runChanges, taskChanges, type UndoStep } from '../../core/run-state/undo';
import { NodeWorkspace } from '../../core/workspace/node-workspace';
import { confineToRoot, normaliseRelative } from '../../core/workspace/path-confinement';
import { ToolError } from '../../core/workspace/workspace';
import { errorMessage } from '../../core/text/error-message';
import { UsageError } from '../args';
import { EXIT, type Output } from '../io';
import type { Prompter } from '../prompt';
import { openSavedRun, savedRunStore } from '../saved-runs';
import type { CliContext } from '../setup';

/** Files as large as this are compared whole (reads for workers stop at 256 KiB). */
const MAX_COMPARE_BYTES = 64 * 1024 * 1024;

export interface UndoOptions {
  json: boolean;
  yes: boolean;
  signal: AbortSignal;
  prompter?: Prompter;
}

type Outcome = { path: string; action: 'restored' | 'removed' | 'kept'; reason?: string };

export async function undoCommand(
  ctx: CliContext,
  words: string[],
  output: Output,
  options: UndoOptions,
): Promise<number> {
  const [runArg, taskId] = words;
  if (!runArg) throw new UsageError('rozet undo needs the run id (see `rozet runs`), and optionally a task id.');
  const store = savedRunStore(ctx);
  const record = await openSavedRun(store, runArg, () => false, runArg);
  if (taskId && !record.tasks[taskId])
    throw new UsageError(
      `Run ${record.runId.slice(0, 8)} has no task "${taskId}"; it has ${Object.keys(record.tasks).join(', ')}.`,
    );
  const changes = taskId ? taskChanges(record, taskId) : runChanges(record);
  const steps = await planUndo(changes, (path) => readWorkspaceText(ctx.root, path));
  const workspace = new NodeWorkspace(ctx.root);
  const outcomes: Outcome[] = [];
  for (const step of steps) outcomes.push(await apply(step, workspace, ctx.root, output, options));
  const journal = store.reopen(record);
  journalUndo(journal, record, taskId, outcomes);
  await journal.flush();

  if (options.json)
    output.out(JSON.stringify({ runId: record.runId, ...(taskId ? { taskId } : {}), files: outcomes }, null, 2));
  else if (outcomes.length === 0) output.out(`${taskId ?? 'The run'} wrote no file; nothing to undo.`);
  else
    for (const o of outcomes)
      output.out(`${o.path}: ${o.action === 'kept' ? `not undone — ${o.reason ?? ''}` : o.action}`);
  return outcomes.some((o) => o.action === 'kept' && o.reason !== 'it already holds its text from before')
    ? EXIT.failed
    : EXIT.ok;
}

async function apply(
  step: UndoStep,
  workspace: NodeWorkspace,
  root: string,
  output: Output,
  options: UndoOptions,
): Promise<Outcome> {
  if (step.kind === 'skip') return { path: step.path, action: 'kept', reason: step.reason };
  let target: { text: string | undefined } = { text: step.kind === 'restore' ? step.text : undefined };
  if (step.kind === 'conflict') {
    if (!(await confirmLoss(step, output, options)))
      return { path: step.path, action: 'kept', reason: 'later edits touch the same lines; kept as it is' };
    target = { text: step.text };
  }
  try {
    if (target.text === undefined) {
      await rm(confineToRoot(workspace.root, normaliseRelative(step.path, root)).real, { force: true });
      return { path: step.path, action: 'removed' };
    }
    await workspace.write(step.path, target.text, options.signal);
    return { path: step.path, action: 'restored' };
  } catch (error) {
    return { path: step.path, action: 'kept', reason: `could not be written: ${errorMessage(error)}` };
  }
}

async function confirmLoss(
  step: Extract<UndoStep, { kind: 'conflict' }>,
  output: Output,
  options: UndoOptions,
): Promise<boolean> {
  output.err(`rozet: ${describeStep(step)}. Undoing it would lose these edits:`);
  output.err(step.lost.trimEnd());
  if (options.yes) return true;
  if (!options.prompter || !output.interactive) {
    output.err(`rozet: ${step.path} was left as it is (pass --yes to undo it anyway).`);
    return false;
  }
  const answer = await options.prompter.ask(`Undo ${step.path} anyway and lose them? [y/N]: `, options.signal);
  return answer?.trim().toLowerCase().startsWith('y') === true;
}

/** Records what was undone, so the run's list and a second undo know. */
function journalUndo(journal: RunJournal, record: RunRecord, taskId: string | undefined, outcomes: Outcome[]): void {
  const done = outcomes.filter((o) => o.action !== 'kept').map((o) => o.path);
  if (done.length === 0) return;
  for (const id of taskId ? [taskId] : Object.keys(record.tasks)) {
    const paths = record.tasks[id].changes.map((c) => c.path).filter((p) => done.includes(p));
    if (paths.length) journal.append({ t: 'undo', id, paths, at: Date.now() });
  }
}

/** A workspace file's whole text now; undefined when it does not exist. */
export async function readWorkspaceText(root: string, path: string): Promise<string | undefined> {
  const workspace = new NodeWorkspace(root, { maxReadBytes: MAX_COMPARE_BYTES });
  try {
    return (await workspace.read(path)).content;
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    const exists = await stat(confineToRoot(workspace.root, normaliseRelative(path, root)).real).then(
      () => true,
      () => false,
    );
    // Binary or unreadable: something that matches no saved text.
    return exists ? '\u0000(unreadable)' : undefined;
  }
}
