import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rozetExtension } from './helpers';

interface Manifest {
  contributes: { commands: Array<{ command: string }> };
}

describe('commands', () => {
  it('registers every command package.json contributes', async () => {
    const extension = rozetExtension();
    await extension.activate();
    const contributed = (extension.packageJSON as Manifest).contributes.commands.map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
      'contributed but not registered',
    );
  });
});
