// Provider `vscode` is VS Code's own language models: the rozet CLI cannot use it, and
// says so — as a failed health check with the reason and the setting to change, and as a
// configuration error (exit 2) before anything runs.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCliCaptured } from '../support/cli-capture';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

const REPO = path.resolve(__dirname, '..', '..');

describe('provider vscode in the CLI', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir('rozet-vscode-cli-');
  });
  afterEach(() => removeDir(root));

  const env = { ROZET_WORKER_PROVIDER: 'vscode', ROZET_WORKER_MODEL: 'gpt-4o', HOME: '/nonexistent' };

  it('rozet health lists it as unavailable with the reason and the fix', async () => {
    const r = await runCliCaptured(['health', '--json', '-w', root], env, REPO);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as {
      roles: Array<{ role: string; checks: Array<{ name: string; status: string; message: string; fix?: string }> }>;
    };
    const worker = report.roles.find((role) => role.role === 'worker');
    assert.equal(worker?.checks[0].name, 'provider');
    assert.equal(worker?.checks[0].status, 'fail');
    assert.match(worker?.checks[0].message ?? '', /only available in the Rozet extension, not in the rozet CLI/);
    assert.match(worker?.checks[0].fix ?? '', /ROZET_WORKER_PROVIDER/);
  });

  it('rozet run stops with a configuration error before planning', async () => {
    const r = await runCliCaptured(['run', '--yes', '-w', root, 'do something'], env, REPO);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /The "vscode" provider is the language models of VS Code .* Pick another provider for the CLI/,
    );
  });
});
