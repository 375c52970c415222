// The SecretStorage round trip: "Rozet: Set API Key" takes the key in its password box
// (typed by the driver, as a user would), keeps it in VS Code's secret storage, checks
// it with a cheap call, and the planner's requests then carry it — while no file of the
// profile or the workspace contains it.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { hasUiBridge, rozetApi, ui, useScriptedModels, workspaceFolder, type ScriptedModels } from './helpers';

const KEY = 'sk-rozet-secret-4f1c9e2b7a6d';

/** Every regular file under `dir` (the sandbox: user-data, extensions, workspace). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(path);
    return entry.isFile() && statSync(path).size < 20 * 1024 * 1024 ? [path] : [];
  });
}

describe('API key in SecretStorage', () => {
  let models: ScriptedModels;
  before(async function () {
    if (!hasUiBridge()) this.skip();
    models = await useScriptedModels({
      agent: [
        {
          match: 'Plan with the key',
          hasTools: false,
          plan: { tasks: [{ id: 't1', title: 'Use the key', dependsOn: [], files: [] }] },
        },
      ],
    });
  });
  after(async () => {
    await models?.dispose();
  });

  it('Set API Key stores the key, checks it, and planning sends it as a Bearer token', async () => {
    const command = vscode.commands.executeCommand('rozet.setApiKey', 'openaiCompatible');
    await ui({ action: 'typeInQuickInput', text: KEY });
    await command;
    // The check: a model list request with the key.
    const check = models.server.requests.find((r) => r.route === 'openai.models');
    assert.equal(check?.headers.authorization, `Bearer ${KEY}`, 'the key was not checked against the provider');

    const planned = await (await rozetApi()).plan('Plan with the key');
    assert.equal(planned.source, 'llm', `fallback plan: ${planned.reason}`);
    const chat = models.server.requests.filter((r) => r.route === 'openai.chat');
    assert.ok(chat.length > 0);
    assert.ok(
      chat.every((r) => r.headers.authorization === `Bearer ${KEY}`),
      'a planner request went without the stored key',
    );
  });

  it('the key is in no file of the profile or the workspace', () => {
    // The sandbox folder holds user-data (settings, state, logs), extensions and the workspace.
    const sandbox = dirname(workspaceFolder().fsPath);
    const leaks = filesUnder(sandbox).filter((file) => readFileSync(file).includes(KEY));
    assert.deepEqual(leaks, [], 'files containing the API key');
  });

  it('Clear the key removes it: later requests carry no key', async () => {
    const command = vscode.commands.executeCommand('rozet.setApiKey', 'openaiCompatible');
    await ui({ action: 'typeInQuickInput', text: 'Clear the key' });
    await command;
    const before = models.server.requests.length;
    await (await rozetApi()).plan('Plan with the key');
    const chat = models.server.requests.slice(before).filter((r) => r.route === 'openai.chat');
    assert.ok(chat.length > 0);
    assert.ok(
      chat.every((r) => r.headers.authorization !== `Bearer ${KEY}`),
      'the cleared key was still sent',
    );
  });
});
