// execute_bash under each rozet.bash.approval (a user setting): deny refuses with the
// reason, auto runs and the output reaches the model, and ask waits for the user — here
// the real modal dialog HostApprover shows when no Rozet view is on screen, answered by
// the driver clicking its button in the browser.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { hasUiBridge, oneTaskPlan, rozetApi, setUserSettings, toolMessages, toolResults, ui, useScriptedModels, workerRequests, type ScriptedModels } from './helpers';
import type { RunEvent } from '../../src/core/events';

const TITLE = 'Run the marker command';
const COMMAND = 'echo rozet-bash-$((6 * 7))';

describe('execute_bash approval', () => {
  let models: ScriptedModels;
  let restore: (() => Promise<void>) | undefined;
  before(async () => {
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          steps: [{ kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: COMMAND } }] }, { kind: 'text', text: 'Ran it.' }],
        },
      ],
    });
    // The approval must not go to a sidebar nobody looks at: close it, so the modal asks.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.closePanel');
  });
  afterEach(async () => {
    await restore?.();
    restore = undefined;
  });
  after(async () => {
    await models.dispose();
  });

  async function runWith(approval: string, answer?: 'Approve' | 'Deny') {
    restore = await setUserSettings({ 'rozet.bash.approval': approval });
    const requestsBefore = workerRequests(models.server, TITLE).length;
    const handle = await (await rozetApi()).run(oneTaskPlan(TITLE));
    const events: RunEvent[] = [];
    const subscription = handle.onEvent((event) => events.push(event));
    if (answer) await ui({ action: 'clickDialogButton', label: answer });
    const summary = await handle.done;
    subscription.dispose();
    const requests = workerRequests(models.server, TITLE).slice(requestsBefore);
    return { summary, results: toolResults(events), seenByModel: requests.length > 1 ? toolMessages(requests[1]).join('\n') : '' };
  }

  it('deny: the command is refused with the reason, not run', async () => {
    const { summary, results, seenByModel } = await runWith('deny');
    assert.equal(results.length, 1);
    assert.equal(results[0].ok, false);
    assert.match(results[0].summary, /Command not run:.*deny/i);
    assert.match(seenByModel, /Command not run/);
    assert.deepEqual(summary.commandsRun, []);
  });

  it('auto: the command runs in the workspace and its output reaches the model', async () => {
    const { summary, results, seenByModel } = await runWith('auto');
    assert.equal(results[0].ok, true, results[0].summary);
    assert.match(seenByModel, /exit code 0/);
    assert.match(seenByModel, /rozet-bash-42/);
    assert.deepEqual(summary.commandsRun, [COMMAND]);
  });

  it('ask, approved in the dialog: the command runs', async function () {
    if (!hasUiBridge()) this.skip();
    const { results, seenByModel } = await runWith('ask', 'Approve');
    assert.equal(results[0].ok, true, results[0].summary);
    assert.match(seenByModel, /rozet-bash-42/);
  });

  it('ask, denied in the dialog: the model is told the user declined', async function () {
    if (!hasUiBridge()) this.skip();
    const { summary, results, seenByModel } = await runWith('ask', 'Deny');
    assert.equal(results[0].ok, false);
    assert.match(results[0].summary, /declined to run this command/);
    assert.match(seenByModel, /declined/);
    assert.deepEqual(summary.commandsRun, []);
  });
});
