// Workspace Trust: in an untrusted workspace Rozet plans, but workers can neither write
// nor run commands, and the refusal says why and how to trust. The driver runs this suite
// in its own code-server profile with trust on and the folder untrusted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { exists, oneTaskPlan, rozetApi, runPlan, toolResults, useScriptedModels, type ScriptedModels } from './helpers';

const TITLE = 'Write and run in the untrusted folder';

describe('untrusted workspace', () => {
  let models: ScriptedModels;
  before(async () => {
    assert.equal(
      vscode.workspace.isTrusted,
      false,
      'this suite runs in the untrusted profile (see run-code-server.ts)',
    );
    models = await useScriptedModels(
      {
        agent: [
          {
            match: TITLE,
            hasTools: true,
            steps: [
              { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'README.md' } }] },
              {
                kind: 'tools',
                calls: [{ name: 'write_file', arguments: { path: 'untrusted.txt', content: 'should not exist' } }],
              },
              { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: 'touch ran-in-untrusted' } }] },
              { kind: 'text', text: 'Refused twice.' },
            ],
          },
          { match: 'Plan in the untrusted folder', hasTools: false, plan: oneTaskPlan(TITLE) },
        ],
      },
      // Even with commands set to run unasked, trust decides.
      { 'rozet.bash.approval': 'auto' },
    );
  });
  after(async () => {
    await models?.dispose();
  });

  it('planning works', async () => {
    const planned = await (await rozetApi()).plan('Plan in the untrusted folder');
    assert.equal(planned.source, 'llm', `fallback plan: ${planned.reason}`);
    assert.equal(planned.plan.tasks[0].title, TITLE);
  });

  it('write_file and execute_bash are refused with the trust message; reads work', async () => {
    const { events } = await runPlan(oneTaskPlan(TITLE));
    const results = toolResults(events);
    assert.deepEqual(
      results.map((r) => [r.name, r.ok]),
      [
        ['read_file', true],
        ['write_file', false],
        ['execute_bash', false],
      ],
    );
    for (const refused of results.slice(1)) {
      assert.match(refused.summary, /not trusted/);
      assert.match(refused.summary, /Manage Workspace Trust/);
    }
    assert.equal(await exists('untrusted.txt'), false, 'untrusted.txt was created');
    assert.equal(await exists('ran-in-untrusted'), false, 'ran-in-untrusted was created');
  });
});
