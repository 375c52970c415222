// Saved runs: written as a journal while a run goes, read back (or reported, never thrown
// at the user) when corrupt, from another version or for a workspace that moved; resumed
// keeping succeeded tasks (the model is not asked for them again; their results still feed
// their dependents); undone one task at a time without losing later edits.
import assert from 'node:assert/strict';
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel } from '../../src/core/model/chat';
import type { Plan } from '../../src/core/plan/plan';
import { Coordinator } from '../../src/core/run/coordinator';
import type { RunEvent } from '../../src/core/run/events';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { RunRecorder } from '../../src/core/run-state/run-recorder';
import { newRunRecord, type FileChange } from '../../src/core/run-state/run-record';
import { RunStateStore } from '../../src/core/run-state/run-store';
import { planResume, rerunAlso } from '../../src/core/run-state/resume';
import { planUndo, runChanges, taskChanges, undoStep } from '../../src/core/run-state/undo';
import { ScriptedChatModel } from '../support/scripted-chat-model';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir } from '../support/run-engine-fixtures';

const plan: Plan = {
  tasks: [
    { id: 'a', title: 'Write a', description: '', dependsOn: [], files: ['a.txt'] },
    { id: 'b', title: 'Write b', description: '', dependsOn: ['a'], files: ['b.txt'] },
  ],
};

describe('saved runs', () => {
  let root: string;
  let state: string;
  beforeEach(() => {
    root = tempDir();
    state = tempDir();
  });
  afterEach(() => {
    removeDir(root);
    removeDir(state);
  });

  const readNow = (path: string) =>
    Promise.resolve(existsSync(join(root, path)) ? readFileSync(join(root, path), 'utf8') : undefined);

  async function recordedRun(models: Record<string, ChatModel>, runId = 'run1') {
    const store = new RunStateStore(state, root);
    const recorder = new RunRecorder(
      await store.begin(newRunRecord({ runId, workspace: root, title: 'write a and b', plan })),
    );
    const events: RunEvent[] = [];
    const c = new Coordinator({
      plan,
      runId,
      resolveModel: (t) => models[t.id],
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 1, idleTimeoutMs: 2000, maxSteps: 5, retry: { maxAttempts: 1 } },
      onEvent: (e) => {
        events.push(e);
        recorder.event(e);
      },
      onWrite: (w) => recorder.write(w),
      summaries: 'digest',
    });
    const summary = await c.run();
    await recorder.journal.flush();
    return { store, summary, events };
  }

  const writer = (path: string, content: string, answer: string) =>
    new ScriptedChatModel([{ toolCalls: [{ name: 'write_file', arguments: { path, content } }] }, { content: answer }]);
  const failing = () => new ScriptedChatModel([{ error: new Error('the model fell over') }]);

  it('saves each task with its result, usage and the text before and after its writes', async () => {
    writeFileSync(join(root, 'b.txt'), 'old b\n');
    const { store } = await recordedRun({ a: writer('a.txt', 'A\n', 'wrote a'), b: writer('b.txt', 'B\n', 'wrote b') });
    const saved = await store.load('run1');
    assert.equal(saved.state, 'succeeded');
    assert.equal(saved.tasks.a.result, 'wrote a');
    assert.ok(saved.tasks.a.usage.completionTokens > 0);
    assert.deepEqual(
      saved.tasks.b.changes.map((c) => [c.path, c.before, c.after]),
      [['b.txt', 'old b\n', 'B\n']],
    );
    assert.deepEqual(
      saved.tasks.a.changes.map((c) => c.before),
      [null],
      'a created its file',
    );
  });

  it('resumes a failed run: the succeeded task is kept (never asked again) and its result feeds the rerun', async () => {
    const a = writer('a.txt', 'A\n', 'a is written: it says A');
    const first = await recordedRun({ a, b: failing() });
    assert.equal(first.summary.outcome, 'failed');
    const saved = await first.store.load('run1');
    const resume = await planResume(saved, readNow);
    assert.deepEqual([...resume.kept.keys()], ['a']);
    assert.deepEqual(resume.rerun, ['b']);
    assert.deepEqual(resume.drifted, []);

    const a2 = new ScriptedChatModel([{ content: 'must not be asked' }]);
    const b2 = writer('b.txt', 'B\n', 'wrote b');
    const events: RunEvent[] = [];
    const c = new Coordinator({
      plan: resume.plan,
      runId: saved.runId,
      resume: resume.kept,
      resolveModel: (t) => ({ a: a2, b: b2 })[t.id]!,
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 1, retry: { maxAttempts: 1 } },
      onEvent: (e) => events.push(e),
      summaries: 'digest',
    });
    const summary = await c.run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(a2.callCount, 0, 'the kept task was not run again');
    assert.match(b2.requests[0].messages[1].content, /a is written: it says A/);
    assert.ok(events.some((e) => e.type === 'task.succeeded' && e.taskId === 'a' && e.kept));
    assert.equal(summary.tasks[0].usage.completionTokens, saved.tasks.a.usage.completionTokens);
  });

  it('names a kept task whose file changed since, and reruns it with its dependents on request', async () => {
    const { store } = await recordedRun({ a: writer('a.txt', 'A\n', 'wrote a'), b: writer('b.txt', 'B\n', 'wrote b') });
    writeFileSync(join(root, 'a.txt'), 'edited by hand\n');
    rmSync(join(root, 'b.txt'));
    const resume = await planResume(await store.load('run1'), readNow);
    assert.deepEqual(resume.drifted, [
      { taskId: 'a', title: 'Write a', files: [{ path: 'a.txt', why: 'changed' }] },
      { taskId: 'b', title: 'Write b', files: [{ path: 'b.txt', why: 'deleted' }] },
    ]);
    const again = rerunAlso(resume, ['a']);
    assert.deepEqual(again.rerun, ['a', 'b'], 'b rests on a, so it runs again too');
    assert.deepEqual([...again.kept.keys()], []);
  });

  it('compacts the journal into one record that reads back the same', async () => {
    const store = new RunStateStore(state, root);
    const journal = await store.begin(newRunRecord({ runId: 'big', workspace: root, title: 't', plan }));
    for (let i = 0; i < 50; i++)
      journal.append({ t: 'task', id: 'a', at: i, patch: { usage: { promptTokens: i, completionTokens: 1 } } });
    await journal.flush();
    const before = await store.load('big');
    await journal.compact();
    assert.equal(readFileSync(store.fileOf('big'), 'utf8').trim().split('\n').length, 1);
    assert.deepEqual(await store.load('big'), before);
  });

  it('tolerates a journal cut in the middle of its last line (a crash while writing)', async () => {
    const { store } = await recordedRun({ a: writer('a.txt', 'A\n', 'wrote a'), b: writer('b.txt', 'B\n', 'wrote b') });
    appendFileSync(store.fileOf('run1'), '{"t":"task","id":"a","pa');
    assert.equal((await store.load('run1')).tasks.a.status, 'succeeded');
  });

  it('reports corrupt, other-version and moved-workspace runs without throwing, and deletes them on request', async () => {
    const store = new RunStateStore(state, root);
    await recordedRun({ a: writer('a.txt', 'A\n', 'wrote a'), b: writer('b.txt', 'B\n', 'wrote b') });
    writeFileSync(store.fileOf('corrupt'), 'this is not json\n{"t":"task"}\n');
    const other = newRunRecord({ runId: 'future', workspace: root, title: 't', plan });
    writeFileSync(store.fileOf('future'), `${JSON.stringify({ t: 'run', record: { ...other, version: 99 } })}\n`);
    // A run saved for a folder that has since gone away.
    const gone = join(state, 'gone-workspace');
    mkdirSync(gone);
    const strandedStore = new RunStateStore(state, gone);
    const stranded = await strandedStore.begin(newRunRecord({ runId: 'stranded', workspace: gone, title: 't', plan }));
    await stranded.flush();
    rmSync(gone, { recursive: true });

    const { runs, problems } = await store.list();
    assert.deepEqual(
      runs.map((r) => r.runId),
      ['run1'],
    );
    const byId = Object.fromEntries(problems.map((p) => [p.runId, p]));
    assert.equal(byId.corrupt.kind, 'corrupt');
    assert.match(byId.corrupt.message, /line 1/);
    assert.equal(byId.future.kind, 'version');
    assert.match(byId.future.message, /another version of Rozet/);
    assert.equal(byId.stranded.kind, 'moved');
    assert.match(byId.stranded.message, /no longer there/);
    for (const problem of problems) await store.delete(problem);
    assert.deepEqual((await store.list()).problems, []);
    await assert.rejects(store.load('nope'), /no saved run nope/);
    assert.throws(() => store.fileOf('../escape'), /not a run id/);
  });

  it('undoes one task: only its file reverts; a task it ran before keeps its file', async () => {
    writeFileSync(join(root, 'b.txt'), 'old b\n');
    const { store } = await recordedRun({ a: writer('a.txt', 'A\n', 'wrote a'), b: writer('b.txt', 'B\n', 'wrote b') });
    const saved = await store.load('run1');
    const steps = await planUndo(taskChanges(saved, 'b'), readNow);
    assert.deepEqual(steps, [{ path: 'b.txt', kind: 'restore', text: 'old b\n', merged: false }]);
    const created = await planUndo(taskChanges(saved, 'a'), readNow);
    assert.deepEqual(created, [{ path: 'a.txt', kind: 'delete' }]);
    assert.deepEqual(
      runChanges(saved).map((c) => c.path),
      ['a.txt', 'b.txt'],
    );
  });

  it('keeps later edits on other lines, and shows what would be lost when they touch the same lines', () => {
    const change: FileChange = {
      path: 'f.txt',
      before: 'one\ntwo\nthree\nfour\nfive\nsix\n',
      after: 'one\nTWO\nthree\nfour\nfive\nsix\n',
      firstSeq: 1,
      lastSeq: 1,
    };
    const elsewhere = undoStep(change, 'one\nTWO\nthree\nfour\nfive\nSIX by the user\n');
    assert.deepEqual(elsewhere, {
      path: 'f.txt',
      kind: 'restore',
      text: 'one\ntwo\nthree\nfour\nfive\nSIX by the user\n',
      merged: true,
    });
    const same = undoStep(change, 'one\nTWO and more by the user\nthree\nfour\nfive\nsix\n');
    assert.equal(same.kind, 'conflict');
    assert.match(same.kind === 'conflict' ? same.lost : '', /-TWO and more by the user/);
    assert.deepEqual(undoStep(change, undefined), {
      path: 'f.txt',
      kind: 'skip',
      reason: 'it was deleted since; nothing restored',
    });
    assert.equal(undoStep({ ...change, beforeUnknown: true }, 'x').kind, 'skip');
  });
});
