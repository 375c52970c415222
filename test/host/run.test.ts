// A plan run through the API against the scripted model server: the worker's writes are
// WorkspaceEdits (new files created, an existing file replaced in its open document) and
// the replacement is on the editor's undo stack.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  oneTaskPlan,
  readText,
  revertAndCloseAllEditors,
  rozetApi,
  runPlan,
  toolResults,
  useScriptedModels,
  writeText,
  type ScriptedModels,
} from './helpers';

const TITLE = 'Write the greeting files';

describe('plan run', () => {
  let models: ScriptedModels;
  before(async () => {
    await writeText('run/greeting.txt', 'old greeting\n');
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          steps: [
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'run/hello.txt', content: 'Hello from the worker\n' } }],
            },
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'run/nested/deep/hi.md', content: '# hi\n' } }],
            },
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'run/greeting.txt' } }] },
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'run/greeting.txt', content: 'new greeting\n' } }],
            },
            { kind: 'text', text: 'Wrote run/hello.txt, run/nested/deep/hi.md and run/greeting.txt.' },
          ],
        },
        {
          match: 'Plan the greeting',
          hasTools: false,
          plan: oneTaskPlan(TITLE, ['run/hello.txt', 'run/greeting.txt']),
        },
      ],
    });
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('plans and runs a request through the API, writing files through WorkspaceEdits', async () => {
    const api = await rozetApi();
    const planned = await api.plan('Plan the greeting files');
    assert.equal(planned.source, 'llm', `fallback plan: ${planned.reason}`);
    const { summary, events } = await runPlan(planned.plan);
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    assert.deepEqual(
      toolResults(events).map((r) => [r.name, r.ok]),
      [
        ['write_file', true],
        ['write_file', true],
        ['read_file', true],
        ['write_file', true],
      ],
    );
    assert.deepEqual([...summary.filesChanged].sort(), ['run/greeting.txt', 'run/hello.txt', 'run/nested/deep/hi.md']);
    assert.equal(await readText('run/hello.txt'), 'Hello from the worker\n');
    assert.equal(await readText('run/nested/deep/hi.md'), '# hi\n');
    assert.equal(await readText('run/greeting.txt'), 'new greeting\n');
    // rozet.saveAfterEdit (default true): nothing is left unsaved.
    assert.deepEqual(
      vscode.workspace.textDocuments.filter((d) => d.isDirty).map((d) => d.uri.path),
      [],
    );
  });

  it("the edit is on the editor's undo stack: Undo brings the old text back", async () => {
    const document = await vscode.workspace.openTextDocument(
      vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'run', 'greeting.txt'),
    );
    assert.equal(document.getText(), 'new greeting\n');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), 'old greeting\n', 'Undo in the editor did not revert the worker edit');
    await vscode.commands.executeCommand('redo');
    assert.equal(document.getText(), 'new greeting\n');
    assert.equal(document.isDirty, false, 'redo should land on the saved state');
  });
});
