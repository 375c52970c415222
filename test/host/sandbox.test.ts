// Issue 12 in the real extension host: a worker's execute_bash runs through the same
// sandboxed shell as the CLI — it can write in the workspace but not outside it, cannot
// read the extension host's environment, and the model hears that it ran sandboxed. A
// workspace .rozet.yaml cannot switch the sandbox off; a user setting can. Show
// Configuration says how commands run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import {
  exists,
  oneTaskPlan,
  runPlan,
  setUserSettings,
  toolResults,
  useScriptedModels,
  workerRequests,
  toolMessages,
  writeText,
  type ScriptedModels,
} from './helpers';

const TITLE = 'Try to get out';
const OUTSIDE = `/var/tmp/rozet-host-sbx-${process.pid}`;
const COMMAND = [
  'mkdir -p sbx && echo inside > sbx/made.txt',
  `echo out > ${OUTSIDE} 2>&1`,
  `cat /proc/${process.pid}/environ 2>&1 | head -c 200`,
  'true',
].join('; ');

describe('execute_bash in the sandbox (VS Code host)', function () {
  if (process.platform !== 'linux') return;
  let models: ScriptedModels;
  before(async () => {
    models = await useScriptedModels(
      {
        agent: [
          {
            match: TITLE,
            hasTools: true,
            steps: [
              { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: COMMAND } }] },
              { kind: 'text', text: 'Tried.' },
            ],
          },
        ],
      },
      { 'rozet.bash.approval': 'auto' },
    );
  });
  after(async () => {
    await models.dispose();
    fs.rmSync(OUTSIDE, { force: true });
    await vscode.workspace.fs
      .delete(vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, '.rozet.yaml'), {
        useTrash: false,
      })
      .then(undefined, () => undefined);
  });

  async function attempt(): Promise<{ ok: boolean; seen: string }> {
    const before = workerRequests(models.server, TITLE).length;
    const { events } = await runPlan(oneTaskPlan(TITLE));
    const results = toolResults(events);
    const requests = workerRequests(models.server, TITLE).slice(before);
    return { ok: results[0]?.ok ?? false, seen: toolMessages(requests[1]).join('\n') };
  }

  it('writes inside the workspace only, cannot read the host process, and says it is sandboxed', async () => {
    await writeText('.rozet.yaml', 'bash:\n  sandbox: off\n  network: on\n');
    const { seen } = await attempt();
    assert.match(seen, /Sandboxed \(bubblewrap\).*no network/, 'the workspace could not switch it off');
    assert.ok(await exists('sbx/made.txt'), 'wrote inside the workspace');
    assert.equal(fs.existsSync(OUTSIDE), false, `${OUTSIDE} was written`);
    assert.match(seen, /Read-only file system/);
    assert.match(seen, /No such file or directory/, 'the extension host is not visible');
    assert.doesNotMatch(seen, /PATH=/);
  });

  it('a user setting can switch it off, and the model hears so', async () => {
    const restore = await setUserSettings({ 'rozet.bash.sandbox': 'off' });
    try {
      const { seen } = await attempt();
      assert.match(seen, /Not sandboxed \(rozet\.bash\.sandbox = off\)/);
    } finally {
      await restore();
      fs.rmSync(OUTSIDE, { force: true });
    }
  });

  it('Show Configuration says how commands run', async () => {
    await vscode.commands.executeCommand('rozet.showConfiguration');
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.match(text, /^Commands\n {2}Commands run in a bubblewrap sandbox/m);
    assert.match(text, /^rozet\.bash\.sandbox +auto /m);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
