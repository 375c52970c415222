// Who may write which file while a plan runs, through the real tools over NodeWorkspace,
// and the run as a whole through the coordinator: the reproduction of a running task's
// file overwritten by an independent one, and why a queued task waits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Plan } from '../../src/core/plan/plan';
import { Coordinator } from '../../src/core/run/coordinator';
import type { RunEvent } from '../../src/core/run/events';
import { FileOwnership, ReadVersions, type TaskPhase } from '../../src/core/run/file-ownership';
import { runTool } from '../../src/core/tools/tools';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { ScriptedChatModel } from '../support/scripted-chat-model';

const task = (id: string, files: string[], dependsOn: string[] = []) => ({
  id,
  title: `Task ${id}`,
  description: '',
  dependsOn,
  files,
});

describe('file ownership: every write checked against who owns the file', () => {
  let root: string;
  let workspace: NodeWorkspace;
  const phases = new Map<string, TaskPhase>();
  const plan: Plan = {
    tasks: [task('t1', ['a.py']), task('t2', ['b.py']), task('t3', ['c.py'], ['t2']), task('t4', [], ['t3'])],
  };
  let ownership: FileOwnership;
  const ctx = (taskId: string, versions = new ReadVersions()) =>
    toolContext(root, { taskId, workspace, ownership, versions });
  const read = (name: string) => fs.readFileSync(path.join(root, name), 'utf8');

  beforeEach(() => {
    root = tempDir('rozet-own-');
    for (const name of ['a.py', 'b.py', 'c.py', 'free.txt']) fs.writeFileSync(path.join(root, name), `${name}\n`);
    workspace = new NodeWorkspace(root);
    for (const t of plan.tasks) phases.set(t.id, 'running');
    ownership = new FileOwnership({
      plan,
      keyOf: (p) => workspace.lockKey(p),
      phaseOf: (id) => phases.get(id) ?? 'done',
    });
  });
  afterEach(() => removeDir(root));

  it('refuses a write to a file a task running beside declared, naming the owner, and writes nothing', async () => {
    for (const tool of ['write_file', 'replace_in_file'] as const) {
      const args =
        tool === 'write_file'
          ? { path: 'b.py', content: 'clobbered' }
          : { path: './B.py'.toLowerCase(), old_string: 'b.py', new_string: 'x' };
      const result = await runTool(tool, args, ctx('t1'));
      assert.equal(result.ok, false);
      assert.match(result.output, /b\.py belongs to t2 \("Task t2"\), which runs beside this task/);
      assert.match(result.output, /Nothing was written/);
    }
    assert.equal(read('b.py'), 'b.py\n');
  });

  it('says so when the owner has not run yet, or ran but is no dependency', async () => {
    phases.set('t2', 'waiting');
    assert.match((await runTool('write_file', { path: 'b.py', content: 'x' }, ctx('t1'))).output, /has not run yet/);
    phases.set('t2', 'done');
    assert.match((await runTool('write_file', { path: 'b.py', content: 'x' }, ctx('t1'))).output, /does not depend on/);
    assert.equal(read('b.py'), 'b.py\n');
  });

  it('lets a task write files of the tasks it depends on, directly or through others', async () => {
    phases.set('t2', 'done');
    phases.set('t3', 'done');
    const t3 = await runTool('write_file', { path: 'b.py', content: 'from t3' }, ctx('t3'));
    assert.ok(t3.ok, t3.output);
    const t4 = await runTool('write_file', { path: 'c.py', content: 'from t4' }, ctx('t4'));
    assert.ok(t4.ok, t4.output);
    const t4b = await runTool('write_file', { path: 'b.py', content: 'from t4' }, ctx('t4', new ReadVersions(0)));
    assert.equal(t4b.ok, false, 'b.py changed (t3 wrote it) after t4 started and t4 never read it');
    assert.match(t4b.output, /written by t3 \("Task t3"\) after this task started/);
  });

  it('gives an undeclared file to the first task that writes it, until that task ends', async () => {
    assert.ok((await runTool('write_file', { path: 'new.txt', content: 'one' }, ctx('t1'))).ok);
    const other = await runTool('write_file', { path: 'new.txt', content: 'two' }, ctx('t2'));
    assert.equal(other.ok, false);
    assert.match(other.output, /new\.txt is being written by t1 \("Task t1"\), which runs beside this task/);
    assert.equal(read('new.txt'), 'one');
    ownership.release('t1');
    const versions = new ReadVersions();
    assert.ok((await runTool('read_file', { path: 'new.txt' }, ctx('t2', versions))).ok);
    const after = await runTool('write_file', { path: 'new.txt', content: 'two' }, ctx('t2', versions));
    assert.ok(after.ok, after.output);
    assert.equal(read('new.txt'), 'two');
  });

  it('refuses a write based on an older read than the file holds, in the same words whoever changed it', async () => {
    const versions = new ReadVersions();
    assert.ok((await runTool('read_file', { path: 'a.py' }, ctx('t1', versions))).ok);
    fs.writeFileSync(path.join(root, 'a.py'), 'changed by a command or the user\n');
    for (const args of [
      { tool: 'write_file', args: { path: 'a.py', content: 'stale rewrite' } },
      { tool: 'replace_in_file', args: { path: 'a.py', old_string: 'changed', new_string: 'x' } },
    ]) {
      const result = await runTool(args.tool, args.args, ctx('t1', versions));
      assert.equal(result.ok, false);
      assert.match(result.output, /a\.py changed since this task read it\. Nothing was written: read it again/);
    }
    assert.equal(read('a.py'), 'changed by a command or the user\n');
    assert.ok((await runTool('read_file', { path: 'a.py' }, ctx('t1', versions))).ok);
    assert.ok((await runTool('write_file', { path: 'a.py', content: 'fresh\r\n' }, ctx('t1', versions))).ok);
    // Its own last write is the text it knows: the next edit needs no new read.
    const again = await runTool(
      'replace_in_file',
      { path: 'a.py', old_string: 'fresh', new_string: 'again' },
      ctx('t1', versions),
    );
    assert.ok(again.ok, again.output);
  });

  it('a file nobody declared or claimed, never read, may be written (a new or a whole file)', async () => {
    assert.ok((await runTool('write_file', { path: 'free.txt', content: 'whole' }, ctx('t1'))).ok);
    assert.ok((await runTool('write_file', { path: 'brand/new.txt', content: 'x' }, ctx('t2'))).ok);
  });
});

describe('file ownership in a run: the reproduction, and why a queued task waits', function () {
  this.timeout(20_000);
  let root: string;
  beforeEach(() => {
    root = tempDir('rozet-own-run-');
  });
  afterEach(() => removeDir(root));

  it("t1 [a.py] and t2 [b.py] run together; t1's write to b.py is refused while t2 works on it", async () => {
    let t2Wrote!: () => void;
    const t2HasWritten = new Promise<void>((resolve) => (t2Wrote = resolve));
    let t1Tried!: () => void;
    const t1HasTried = new Promise<void>((resolve) => (t1Tried = resolve));
    const models = {
      t1: new ScriptedChatModel(async (_request, call) => {
        if (call === 0) {
          await t2HasWritten;
          return { toolCalls: [{ name: 'write_file', arguments: { path: 'b.py', content: 't1 was here' } }] };
        }
        t1Tried();
        return { content: 'done' };
      }),
      t2: new ScriptedChatModel(async (_request, call) => {
        if (call === 0) return { toolCalls: [{ name: 'write_file', arguments: { path: 'b.py', content: 't2 work' } }] };
        t2Wrote();
        await t1HasTried;
        return { content: 'done' };
      }),
    };
    const events: RunEvent[] = [];
    const summary = await new Coordinator({
      plan: { tasks: [task('t1', ['a.py']), task('t2', ['b.py'])] },
      resolveModel: (t) => models[t.id as 't1' | 't2'],
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 2 },
      summaries: 'digest',
      onEvent: (e) => events.push(e),
    }).run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(fs.readFileSync(path.join(root, 'b.py'), 'utf8'), 't2 work');
    const refused = summary.tasks.find((t) => t.id === 't1')!.toolCalls[0];
    assert.equal(refused.ok, false);
    assert.match(refused.summary, /b\.py belongs to t2 \("Task t2"\), which runs beside this task/);
  });

  it('a task waiting on a file held by a running task, and on a busy model slot, says why', async () => {
    const slow = (name: string) =>
      new ScriptedChatModel([{ content: 'done', delayMs: 150 }], name, { parallelSlots: 1 });
    const events: RunEvent[] = [];
    await new Coordinator({
      plan: { tasks: [task('t1', ['a.py']), task('t2', ['a.py']), task('t3', ['c.py'])] },
      resolveModel: (t) => slow(t.id === 't2' ? 'other' : 'one-slot'),
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 3 },
      summaries: 'digest',
      onEvent: (e) => events.push(e),
    }).run();
    const waits = events.filter((e) => e.type === 'task.waiting').map((e) => `${e.taskId}: ${e.reason}`);
    assert.ok(waits.includes('t2: a.py is held by t1, which is running'), waits.join('\n'));
    assert.ok(waits.includes('t3: no free model slot (one-slot 1/1)'), waits.join('\n'));
  });
});
