// Parallel tasks in VS Code keep to their files, as in the CLI: the rule is checked above
// the VS Code workspace, so a WorkspaceEdit never lands on a file another running task
// owns, and a worker writing on text older than the document's is told to read again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  readText,
  revertAndCloseAllEditors,
  runPlan,
  toolResults,
  useScriptedModels,
  writeText,
  type ScriptedModels,
} from './helpers';

const write = (path: string, content: string) => ({
  kind: 'tools' as const,
  calls: [{ name: 'write_file', arguments: { path, content } }],
});

describe('file ownership in VS Code', () => {
  let models: ScriptedModels;
  before(async () => {
    await writeText('own/b.txt', 'b before\n');
    await writeText('own/c.txt', 'c before\n');
    models = await useScriptedModels(
      {
        agent: [
          {
            // t2 owns b.txt and takes its time, so t1 tries while t2 still runs.
            match: 'Task t2: Own b',
            hasTools: true,
            steps: [write('own/b.txt', 'b from t2\n'), { kind: 'text', text: 'Done.', firstTokenDelayMs: 1500 }],
          },
          {
            match: 'Task t1: Own a',
            hasTools: true,
            steps: [
              { ...write('own/b.txt', 'b from t1\n'), firstTokenDelayMs: 500 },
              { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'own/c.txt' } }] },
              // The user edits c.txt in the editor meanwhile (below); this write is then stale.
              { ...write('own/c.txt', 'c from t1\n'), firstTokenDelayMs: 1000 },
              { kind: 'text', text: 'Tried.' },
            ],
          },
        ],
      },
      { 'rozet.maxParallelWorkers': 2, 'rozet.worker.parallelRequests': 2 },
    );
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it("refuses a write to a running task's file and a write on text the user changed since", async () => {
    const plan = {
      tasks: [
        { id: 't1', title: 'Own a', description: '', dependsOn: [], files: ['own/a.txt'] },
        { id: 't2', title: 'Own b', description: '', dependsOn: [], files: ['own/b.txt'] },
      ],
    };
    let edited = false;
    const { summary, events } = await runPlan(plan, (event) => {
      if (!edited && event.type === 'task.toolResult' && event.taskId === 't1' && event.record.name === 'read_file') {
        edited = true;
        const uri = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'own', 'c.txt');
        void vscode.workspace.openTextDocument(uri).then(async (doc) => {
          const edit = new vscode.WorkspaceEdit();
          edit.insert(uri, new vscode.Position(0, 0), 'user line\n');
          await vscode.workspace.applyEdit(edit);
          await doc.save();
        });
      }
    });
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    const t1 = toolResults(events.filter((e) => e.type !== 'task.toolResult' || e.taskId === 't1'));
    const [intrude, , stale] = t1;
    assert.equal(intrude.ok, false);
    assert.match(intrude.summary, /own\/b\.txt belongs to t2 \("Own b"\), which runs beside this task/);
    assert.equal(stale.ok, false);
    assert.match(stale.summary, /own\/c\.txt changed since this task read it/);
    assert.equal(await readText('own/b.txt'), 'b from t2\n');
    assert.equal(await readText('own/c.txt'), 'user line\nc before\n');
  });
});
