// Workers see what the user sees and never overwrite what the user typed: reads return
// unsaved editor text, and a write checked against the version the worker read is
// refused when the user changed the document in between.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  oneTaskPlan,
  readText,
  revertAndCloseAllEditors,
  runPlan,
  toolMessages,
  toolResults,
  useScriptedModels,
  workerRequests,
  writeText,
  type ScriptedModels,
} from './helpers';

const DIRTY_TITLE = 'Uppercase the dirty notes';
const STALE_TITLE = 'Rewrite the stale file';

describe('editor buffers', () => {
  let models: ScriptedModels;
  before(async () => {
    models = await useScriptedModels({
      agent: [
        {
          match: DIRTY_TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'buffers/notes.txt' } }] },
            {
              kind: 'tools',
              calls: [
                { name: 'write_file', arguments: { path: 'buffers/notes.txt', content: 'UNSAVED LINE\nSAVED LINE\n' } },
              ],
            },
            { kind: 'text', text: 'Uppercased buffers/notes.txt.' },
          ],
        },
        {
          match: STALE_TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'buffers/stale.txt' } }] },
            // The model "thinks" for a while: the user types meanwhile.
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'buffers/stale.txt', content: 'worker version\n' } }],
              firstTokenDelayMs: 1500,
            },
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'buffers/stale.txt' } }] },
            {
              kind: 'tools',
              calls: [
                {
                  name: 'write_file',
                  arguments: { path: 'buffers/stale.txt', content: 'user typing\nworker version\n' },
                },
              ],
            },
            { kind: 'text', text: 'Rewrote buffers/stale.txt after re-reading it.' },
          ],
        },
      ],
    });
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('read_file returns the unsaved text of an open editor', async () => {
    const uri = await writeText('buffers/notes.txt', 'saved line\n');
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'unsaved line\n'));
    assert.equal(editor.document.isDirty, true);

    const { summary, events } = await runPlan(oneTaskPlan(DIRTY_TITLE, ['buffers/notes.txt']));
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    // What the model was given as the read_file result: the request after that call.
    const [, afterRead] = workerRequests(models.server, DIRTY_TITLE);
    assert.ok(afterRead, 'the worker made no request after read_file');
    assert.deepEqual(toolMessages(afterRead), ['unsaved line\nsaved line\n']);
    assert.deepEqual(
      toolResults(events).map((r) => [r.name, r.ok]),
      [
        ['read_file', true],
        ['write_file', true],
      ],
    );
    assert.equal(editor.document.getText(), 'UNSAVED LINE\nSAVED LINE\n');
    assert.equal(editor.document.isDirty, false, 'the edited document was not saved (rozet.saveAfterEdit)');
    assert.equal(await readText('buffers/notes.txt'), 'UNSAVED LINE\nSAVED LINE\n');
  });

  it('a write after the user changed the document is refused, and the user text is kept', async () => {
    const uri = await writeText('buffers/stale.txt', 'original\n');
    let typed: Promise<boolean> | undefined;
    let textWhenRefused: string | undefined;
    const { summary, events } = await runPlan(oneTaskPlan(STALE_TITLE, ['buffers/stale.txt']), (event) => {
      if (event.type !== 'task.toolResult') return;
      // The user types while the model works on the text it just read.
      if (event.record.name === 'read_file' && !typed) {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(uri, new vscode.Position(0, 0), 'user typing\n');
        typed = Promise.resolve(vscode.workspace.applyEdit(edit));
      }
      if (event.record.name === 'write_file' && !event.record.ok)
        textWhenRefused = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.getText();
    });
    assert.equal(await typed, true, 'the test could not type into the document');
    const results = toolResults(events);
    assert.deepEqual(
      results.map((r) => [r.name, r.ok]),
      [
        ['read_file', true],
        ['write_file', false],
        ['read_file', true],
        ['write_file', true],
      ],
    );
    // The run's own check (the text read vs the editor's text now) refuses it first.
    assert.match(results[1].summary, /changed since this task read it\. Nothing was written/);
    assert.equal(textWhenRefused, 'user typing\noriginal\n', "the refused write touched the user's text");
    // The worker re-read and saw the user's text, then wrote on top of it.
    const requests = workerRequests(models.server, STALE_TITLE);
    assert.equal(toolMessages(requests[3]).at(-1), 'user typing\noriginal\n');
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(await readText('buffers/stale.txt'), 'user typing\nworker version\n');
  });
});
