// Resume, undo of one task and budgets in a real extension host, against the scripted
// model server: a run cut off part way is resumed and the task that had succeeded is not
// run again (the server sees no request for it; the e2e suite does the same across a real
// window reload, from the sidebar's Resume button); undoing one
// of two tasks reverts only its file, through a WorkspaceEdit; a task budget stops a task
// between steps and Continue finishes it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEvent } from '../../src/core/run/events';
import type { Plan } from '../../src/core/plan/plan';
import type { AgentRule } from '../support/model-server';
import {
  readText,
  revertAndCloseAllEditors,
  rozetApi,
  setUserSettings,
  useScriptedModels,
  waitFor,
  workerRequests,
  writeText,
  type ScriptedModels,
} from './helpers';

const writes = (title: string, path: string, content: string, extra: Partial<AgentRule> = {}): AgentRule => ({
  match: title,
  hasTools: true,
  steps: [
    {
      kind: 'tools',
      calls: [{ name: 'write_file', arguments: { path, content } }],
      usage: { prompt: 100, completion: 20 },
    },
    { kind: 'text', text: `Wrote ${path}.`, usage: { prompt: 100, completion: 20 } },
  ],
  ...extra,
});
const plan = (...tasks: Array<[string, string, string]>): Plan => ({
  tasks: tasks.map(([id, title, file]) => ({ id, title, description: `${title}.`, dependsOn: [], files: [file] })),
});

describe('saved runs: resume, undo one task, budgets', () => {
  let models: ScriptedModels;
  before(async () => {
    models = await useScriptedModels({});
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('resumes a run that was cut off: the finished task is not run again, the rest finish', async () => {
    const first = 'Resume first task';
    const second = 'Resume second task';
    models.server.load({
      models: ['scripted-planner', 'scripted-worker'],
      // The second task never answers while the first run goes: the run is cut off in it.
      agent: [
        writes(first, 'resume/one.txt', 'one\n'),
        { match: second, hasTools: true, steps: [{ kind: 'text', text: 'late', firstTokenDelayMs: 120_000 }] },
      ],
    });
    const api = await rozetApi();
    const handle = await api.run(plan(['t1', first, 'resume/one.txt'], ['t2', second, 'resume/two.txt']));
    const events: RunEvent[] = [];
    handle.onEvent((e) => events.push(e));
    await waitFor('t2 to start', () => events.some((e) => e.type === 'task.started' && e.taskId === 't2'), 20_000);
    handle.cancel();
    assert.equal((await handle.done).outcome, 'cancelled');

    models.server.load({
      models: ['scripted-planner', 'scripted-worker'],
      agent: [writes(first, 'resume/one.txt', 'one again\n'), writes(second, 'resume/two.txt', 'two\n')],
    });
    const before = workerRequests(models.server, first).length;
    const resumed = await api.resume(handle.runId);
    assert.ok(resumed, 'resumed');
    assert.equal(resumed.runId, handle.runId, 'the same run goes on');
    const summary = await resumed.done;
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(workerRequests(models.server, first).length, before, 'the succeeded task was not run again');
    assert.equal(await readText('resume/one.txt'), 'one\n');
    assert.equal(await readText('resume/two.txt'), 'two\n');
  });

  it('undoes one of two tasks: only its file reverts, through an edit on the undo stack', async () => {
    await writeText('undo/a.txt', 'a before\n');
    await writeText('undo/b.txt', 'b before\n');
    models.server.load({
      models: ['scripted-planner', 'scripted-worker'],
      agent: [writes('Undo task A', 'undo/a.txt', 'a after\n'), writes('Undo task B', 'undo/b.txt', 'b after\n')],
    });
    const api = await rozetApi();
    const handle = await api.run(plan(['t1', 'Undo task A', 'undo/a.txt'], ['t2', 'Undo task B', 'undo/b.txt']));
    assert.equal((await handle.done).outcome, 'succeeded');
    const report = await api.undoTask(handle.runId, 't2');
    assert.deepEqual(report, { undone: ['undo/b.txt'], kept: [] });
    assert.equal(await readText('undo/b.txt'), 'b before\n');
    assert.equal(await readText('undo/a.txt'), 'a after\n', 'the other task keeps its change');

    // Deleted since: said so, nothing restored.
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'undo', 'a.txt'));
    const gone = await api.undoTask(handle.runId, 't1');
    assert.deepEqual(gone, {
      undone: [],
      kept: [{ path: 'undo/a.txt', reason: 'it was deleted since; nothing restored' }],
    });
  });

  it('stops a task at its token budget between steps, and Continue finishes it', async () => {
    const restore = await setUserSettings({ 'rozet.budget.tokensPerTask': 150 });
    try {
      const title = 'Budget task';
      models.server.load({
        models: ['scripted-planner', 'scripted-worker'],
        agent: [
          {
            match: title,
            hasTools: true,
            steps: [
              {
                kind: 'tools',
                calls: [{ name: 'write_file', arguments: { path: 'budget/1.txt', content: '1' } }],
                usage: { prompt: 100, completion: 20 },
              },
              {
                kind: 'tools',
                calls: [{ name: 'write_file', arguments: { path: 'budget/2.txt', content: '2' } }],
                usage: { prompt: 100, completion: 20 },
              },
              { kind: 'text', text: 'Both written.', usage: { prompt: 100, completion: 20 } },
            ],
          },
        ],
      });
      const api = await rozetApi();
      const handle = await api.run(plan(['t1', title, 'budget/1.txt']));
      const first = await handle.done;
      assert.equal(first.outcome, 'overBudget');
      assert.equal(first.tasks[0].status, 'overBudget');
      assert.equal(workerRequests(models.server, title).length, 2, 'stopped after the step that reached the budget');
      const second = await api.continueTask(handle.runId, 't1', 1000);
      assert.equal(second?.outcome, 'succeeded');
      assert.equal(await readText('budget/2.txt'), '2');
      assert.equal(workerRequests(models.server, title).length, 3);
    } finally {
      await restore();
    }
  });

  it('opens the plan graph in an editor tab (Rozet: Open Plan Graph)', async () => {
    await vscode.commands.executeCommand('rozet.openPlanGraph');
    await waitFor('the plan graph tab', () =>
      vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.label === 'Rozet: Plan Graph')),
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
