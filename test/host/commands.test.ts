// Every contributed command is registered, and each runs without its UI when given the
// arguments keybindings and scripts pass. Set API Key's input box is driven in
// secrets.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PlanResult } from '../../src/core/plan/plan';
import type { HealthReport } from '../../src/providers';
import {
  revertAndCloseAllEditors,
  rozetExtension,
  setUserSettings,
  useScriptedModels,
  type ScriptedModels,
} from './helpers';

interface Manifest {
  contributes: { commands: Array<{ command: string }>; configuration: { properties: Record<string, unknown> } };
}

const manifest = (): Manifest => rozetExtension().packageJSON as Manifest;

describe('commands', () => {
  let models: ScriptedModels;
  before(async () => {
    await rozetExtension().activate();
    models = await useScriptedModels({
      agent: [
        {
          match: 'Plan from the command',
          hasTools: false,
          plan: { tasks: [{ id: 't1', title: 'Write commands.txt', dependsOn: [], files: ['commands.txt'] }] },
        },
      ],
    });
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('registers every command package.json contributes', async () => {
    const contributed = manifest().contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });

  it('rozet.planTask with a request argument plans it without an input box', async () => {
    const result = (await vscode.commands.executeCommand(
      'rozet.planTask',
      'Plan from the command: write commands.txt',
    )) as PlanResult | undefined;
    assert.ok(result, 'rozet.planTask returned nothing (it failed or asked for input)');
    assert.equal(result.source, 'llm', `planned with the fallback: ${result.reason}`);
    assert.deepEqual(
      result.plan.tasks.map((t) => t.title),
      ['Write commands.txt'],
    );
  });

  it('rozet.switchModel with a role and a model writes the user setting', async () => {
    const restore = await setUserSettings({ 'rozet.worker.model': 'scripted-worker' });
    try {
      await vscode.commands.executeCommand('rozet.switchModel', 'worker', 'switched-model:7b');
      assert.equal(vscode.workspace.getConfiguration().inspect('rozet.worker.model')?.globalValue, 'switched-model:7b');
    } finally {
      await restore();
    }
  });

  it('rozet.showConfiguration shows every setting with its source and no key', async () => {
    const key = 'sk-or-v1-showconfig-0123456789abcdef';
    const previous = process.env.OPENROUTER_API_KEY;
    process.env.OPENROUTER_API_KEY = key;
    const restore = await setUserSettings({ 'rozet.orchestrator.provider': 'openrouter' });
    try {
      await vscode.commands.executeCommand('rozet.showConfiguration');
      const text = vscode.window.activeTextEditor?.document.getText() ?? '';
      for (const setting of Object.keys(manifest().contributes.configuration.properties)) {
        assert.ok(
          text.split('\n').some((line) => line.startsWith(setting)),
          `${setting} is missing from the configuration shown:\n${text}`,
        );
      }
      assert.match(
        text,
        /^rozet\.worker\.baseUrl .* user setting /m,
        'the worker base URL set in user settings does not say so',
      );
      assert.match(text, /^rozet\.temperature .* default /m, 'an unset setting does not say it is the default');
      assert.match(
        text,
        /orchestrator \(openrouter\)\s+set \(environment: OPENROUTER_API_KEY\)/,
        'the key from the environment is not reported as set',
      );
      assert.ok(!text.includes(key), 'the API key itself is shown');
    } finally {
      await restore();
      if (previous === undefined) delete process.env.OPENROUTER_API_KEY;
      else process.env.OPENROUTER_API_KEY = previous;
    }
  });

  it('rozet.healthCheck returns the report for both roles', async () => {
    const report = (await vscode.commands.executeCommand('rozet.healthCheck')) as HealthReport | undefined;
    assert.ok(report, 'rozet.healthCheck returned nothing');
    assert.deepEqual(report.roles.map((r) => r.role).sort(), ['orchestrator', 'worker']);
    const failed = report.roles.flatMap((r) =>
      r.checks.filter((c) => c.status === 'fail').map((c) => `${r.role} ${c.name}: ${c.message}`),
    );
    assert.deepEqual(failed, [], 'health check failed against the scripted server');
    // It chatted: a listing alone proves little.
    for (const role of report.roles)
      assert.equal(role.checks.find((c) => c.name === 'chat')?.status, 'pass', `${role.role} chat`);
    assert.ok(
      models.server.requests.some((r) => JSON.stringify(r.body).includes('report_health')),
      'the worker was asked for a tool call',
    );
  });

  it('rozet.healthCheck words its fixes for VS Code: commands, not CLI flags or variables alone', async () => {
    const restore = await setUserSettings({ 'rozet.worker.model': 'no-such-model' });
    try {
      const report = (await vscode.commands.executeCommand('rozet.healthCheck')) as HealthReport;
      const model = report.roles.find((r) => r.role === 'worker')?.checks.find((c) => c.name === 'model');
      assert.equal(model?.status, 'fail');
      assert.match(model?.fix ?? '', /Rozet: Switch Model/);
      assert.doesNotMatch(model?.fix ?? '', /--worker-model|ROZET_WORKER_MODEL/);
      assert.deepEqual(model?.action, { kind: 'model', role: 'worker' }, 'the fix as data, for its button');
    } finally {
      await restore();
    }
  });

  it('rozet.sendSelection attaches the selection; rozet.cancel and rozet.openPanel run', async () => {
    const readme = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'README.md');
    const editor = await vscode.window.showTextDocument(readme);
    editor.selection = new vscode.Selection(0, 0, 0, 8);
    await vscode.commands.executeCommand('rozet.sendSelection');
    await vscode.commands.executeCommand('rozet.cancel');
    await vscode.commands.executeCommand('rozet.openPanel');
    // The extension host is still answering: a command that threw would have shown an
    // error and returned undefined, which the API call below would not notice; it does
    // notice a dead host.
    const config = await (
      (await rozetExtension().activate()) as { getConfiguration(): Promise<unknown> }
    ).getConfiguration();
    assert.ok(config);
  });
});
