// execute_bash under each rozet.bash.approval (a user setting): deny refuses with the
// reason, auto runs and the output reaches the model, and ask waits for the user. With
// the Rozet sidebar open the question is asked inline there and the driver presses its
// button, as a person would; with no Rozet view on screen HostApprover asks in a modal
// dialog, which VS Code refuses to show while extension tests run — an unanswered
// dialog must count as "no".
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunEvent } from '../../src/core/run/events';
import {
  hasUiBridge,
  oneTaskPlan,
  rozetApi,
  setUserSettings,
  toolMessages,
  toolResults,
  ui,
  useScriptedModels,
  workerRequests,
  type ScriptedModels,
} from './helpers';

const TITLE = 'Run the marker command';
const COMMAND = 'echo rozet-bash-$((40 + 2))';

describe('execute_bash approval', () => {
  let models: ScriptedModels;
  let restoreApproval: () => Promise<void>;
  before(async () => {
    restoreApproval = await setUserSettings({ 'rozet.bash.approval': 'ask' });
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: COMMAND } }] },
            { kind: 'text', text: 'Ran it.' },
          ],
        },
      ],
    });
  });
  after(async () => {
    await restoreApproval();
    await models.dispose();
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
  });

  async function runWith(approval: string, answer?: 'Approve' | 'Deny') {
    // Each test sets its mode; after() puts the user's setting back once.
    await setUserSettings({ 'rozet.bash.approval': approval });
    const requestsBefore = workerRequests(models.server, TITLE).length;
    const handle = await (await rozetApi()).run(oneTaskPlan(TITLE));
    const events: RunEvent[] = [];
    const subscription = handle.onEvent((event) => events.push(event));
    try {
      if (answer) await ui({ action: 'clickViewButton', label: answer });
    } catch (error) {
      // Nothing to answer: end the run so later tests can start theirs.
      handle.cancel();
      await handle.done.catch(() => undefined);
      throw error;
    }
    const summary = await handle.done;
    subscription.dispose();
    const requests = workerRequests(models.server, TITLE).slice(requestsBefore);
    return {
      summary,
      results: toolResults(events),
      seenByModel: requests.length > 1 ? toolMessages(requests[1]).join('\n') : '',
    };
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

  it('ask with no Rozet view on screen: the modal is not answered, so the command is not run', async () => {
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    const { summary, results } = await runWith('ask');
    assert.equal(results[0].ok, false);
    assert.match(results[0].summary, /declined to run this command/);
    assert.deepEqual(summary.commandsRun, []);
  });

  it('ask, approved in the sidebar: the command runs', async function () {
    if (!hasUiBridge()) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.rozet');
    const { summary, results, seenByModel } = await runWith('ask', 'Approve');
    assert.equal(results[0].ok, true, results[0].summary);
    assert.match(seenByModel, /rozet-bash-42/);
    assert.deepEqual(summary.commandsRun, [COMMAND]);
  });

  it('ask, denied in the sidebar: the model is told the user declined', async function () {
    if (!hasUiBridge()) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.rozet');
    const { summary, results, seenByModel } = await runWith('ask', 'Deny');
    assert.equal(results[0].ok, false);
    assert.match(results[0].summary, /declined to run this command/);
    assert.match(seenByModel, /declined/);
    assert.deepEqual(summary.commandsRun, []);
  });
});
