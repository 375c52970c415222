// Issue 5, no folder: in a window with no folder open, Rozet still plans, a run is
// refused with a clear "No folder is open" message, and the extension host lives on.
// The driver runs this suite in its own code-server profile, an empty window (see
// run-code-server.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { oneTaskPlan, rozetApi, useScriptedModels, type ScriptedModels } from './helpers';

const TITLE = 'Write a file with no folder open';

describe('no workspace folder', () => {
  let models: ScriptedModels;
  before(async () => {
    assert.equal(
      vscode.workspace.workspaceFolders,
      undefined,
      'this suite runs in the no-folder profile (see run-code-server.ts)',
    );
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: 'x.txt', content: 'x' } }] },
            { kind: 'text', text: 'Done.' },
          ],
        },
        { match: 'Plan with no folder open', hasTools: false, plan: oneTaskPlan(TITLE) },
      ],
    });
  });
  after(async () => {
    await models?.dispose();
  });

  it('planning works', async () => {
    const planned = await (await rozetApi()).plan('Plan with no folder open');
    assert.ok(planned.plan.tasks.length > 0);
    if (planned.source === 'llm') assert.equal(planned.plan.tasks[0].title, TITLE);
  });

  it('running a plan fails with "No folder is open", and the extension host lives on', async () => {
    await assert.rejects((await rozetApi()).run(oneTaskPlan(TITLE)), /No folder is open\. Open a folder/);
    // No worker was started.
    assert.equal(
      models.server.requests.some(
        (r) =>
          JSON.stringify(r.body ?? '').includes(TITLE) &&
          r.route === 'openai.chat' &&
          ((r.body as { tools?: unknown[] }).tools?.length ?? 0) > 0,
      ),
      false,
      'a worker ran with no folder open',
    );
    // The extension host is alive and Rozet still answers.
    const config = await (await rozetApi()).getConfiguration();
    assert.equal(config.values['rozet.worker.baseUrl'], `${models.server.url}/v1`);
    const planned = await (await rozetApi()).plan('Plan with no folder open');
    assert.ok(planned.plan.tasks.length > 0);
  });
});
