// Activation and the programmatic API. Runs first (file name order): it is the only
// place that sees the extension before anything activated it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { rozetExtension, waitFor } from './helpers';

describe('activation', () => {
  it('is lazy: not active until one of its commands runs, then active', async () => {
    const extension = rozetExtension();
    assert.equal(
      extension.isActive,
      false,
      'Rozet activated before anything asked for it (activation must be on its commands/views only)',
    );
    // Cancel with no run in progress is a no-op, so it leaves no prompt open for later
    // tests; not awaited, as a command may wait for the user.
    void vscode.commands.executeCommand('rozet.cancel');
    await waitFor('Rozet to activate', () => extension.isActive);
  });

  it('activate() returns the versioned API', async () => {
    const api = await rozetExtension().activate();
    assert.ok(typeof api === 'object' && api !== null, 'activate() returned no API object');
    const members = api as Record<string, unknown>;
    assert.equal(typeof members.version, 'number', 'API has no numeric version');
    for (const method of ['plan', 'run', 'listModels', 'getConfiguration', 'healthCheck']) {
      assert.equal(typeof members[method], 'function', `API.${method} is not a function`);
    }
  });
});
