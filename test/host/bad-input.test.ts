// Bad input from issue 5, each a clear message with nothing lost and the extension host
// alive: a read-only file, a path in .rozetignore, a key the provider rejects, and a
// provider that goes down mid-run. (Unsaved editor text: editor-buffers.test.ts.)
import * as assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import * as vscode from 'vscode';
import { startModelServer } from '../support/model-server';
import {
  exists,
  fileUri,
  oneTaskPlan,
  readText,
  revertAndCloseAllEditors,
  rozetApi,
  runPlan,
  setUserSettings,
  scriptedModelSettings,
  toolResults,
  useScriptedModels,
  writeText,
  type ScriptedModels,
} from './helpers';

const READ_ONLY_TITLE = 'Edit the read-only file';
const IGNORED_TITLE = 'Touch the ignored secrets';

describe('bad input', () => {
  let models: ScriptedModels;
  before(async () => {
    models = await useScriptedModels({
      agent: [
        {
          match: READ_ONLY_TITLE,
          hasTools: true,
          steps: [
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'bad/locked.txt', content: 'overwritten\n' } }],
            },
            { kind: 'text', text: 'Could not write it.' },
          ],
        },
        {
          match: IGNORED_TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'bad/private/token.txt' } }] },
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'bad/private/new.txt', content: 'x' } }],
            },
            { kind: 'text', text: 'Not allowed.' },
          ],
        },
      ],
    });
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('a read-only file: the write is refused with a clear message and the file is unchanged', async () => {
    // Read-only as VS Code sees it. (chmod 444 alone does not stop root, which CI runs as.)
    const uri = await writeText('bad/locked.txt', 'keep me\n');
    chmodSync(uri.fsPath, 0o444);
    const restore = await setUserSettings({ 'files.readonlyInclude': { 'bad/locked.txt': true } });
    try {
      const { events } = await runPlan(oneTaskPlan(READ_ONLY_TITLE, ['bad/locked.txt']));
      const [write] = toolResults(events);
      assert.equal(write.ok, false, `the write to a read-only file was reported as done: ${write.summary}`);
      assert.match(write.summary, /read-only/i);
      assert.equal(await readText('bad/locked.txt'), 'keep me\n');
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      assert.ok(!open?.isDirty, 'a refused write left an unsaved edit behind in the editor');
      assert.equal(open?.getText() ?? 'keep me\n', 'keep me\n', 'the editor shows text that will never be saved');
    } finally {
      await restore();
      chmodSync(uri.fsPath, 0o644);
    }
  });

  it('a path in .rozetignore: reads and writes are refused, naming .rozetignore', async () => {
    await writeText('bad/private/token.txt', 'secret token\n');
    await writeText('.rozetignore', 'bad/private/\n');
    try {
      const { events } = await runPlan(oneTaskPlan(IGNORED_TITLE));
      const results = toolResults(events);
      assert.deepEqual(
        results.map((r) => [r.name, r.ok]),
        [
          ['read_file', false],
          ['write_file', false],
        ],
      );
      for (const result of results) assert.match(result.summary, /listed in \.rozetignore/);
      assert.ok(!results[0].summary.includes('secret token'));
      assert.equal(await exists('bad/private/new.txt'), false, 'bad/private/new.txt was created');
    } finally {
      await vscode.workspace.fs.delete(fileUri('.rozetignore'));
    }
  });

  it('a key the provider rejects (401): the plan falls back, and the reason says how to fix the key', async () => {
    models.server.scriptRoute('openai.chat', {
      kind: 'error',
      status: 401,
      body: {
        error: {
          message: 'Incorrect API key provided: sk-bad***',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      },
    });
    const planned = await (await rozetApi()).plan('Add a --verbose flag to the CLI');
    assert.equal(planned.source, 'fallback');
    assert.match(planned.reason ?? '', /key/i);
    assert.match(planned.reason ?? '', /Rozet: Set API Key/, `the reason names no VS Code fix: ${planned.reason}`);
    assert.ok(planned.plan.tasks.length > 0);
  });

  it('a provider that goes down mid-run: the task fails with a clear message, the host lives on', async function () {
    // Retries with backoff before the task gives up.
    this.timeout(60_000);
    const doomed = await startModelServer({
      scenario: {
        agent: [
          {
            match: 'Read before the outage',
            hasTools: true,
            steps: [
              { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
              { kind: 'text', text: 'unreachable' },
            ],
          },
        ],
      },
    });
    const restore = await setUserSettings(scriptedModelSettings(doomed));
    let closed: Promise<void> | undefined;
    try {
      const { summary } = await runPlan(oneTaskPlan('Read before the outage'), (event) => {
        if (event.type === 'task.toolResult') closed ??= doomed.close();
      });
      await closed;
      assert.equal(summary.outcome, 'failed');
      const error = summary.tasks[0].error ?? '';
      assert.match(error, /127\.0\.0\.1|connect|reach|refused/i, `unclear failure: ${error}`);
    } finally {
      await restore();
      await doomed.close();
    }
    // The extension host is alive and Rozet still answers.
    const config = await (await rozetApi()).getConfiguration();
    assert.equal(config.values['rozet.worker.baseUrl'], `${models.server.url}/v1`);
    const planned = await (await rozetApi()).plan('Touch the ignored secrets');
    assert.ok(planned.plan.tasks.length > 0);
  });
});
