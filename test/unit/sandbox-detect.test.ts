// Issue 12, bad input: no bubblewrap on PATH, a bubblewrap that is installed but fails
// (no user namespaces), and rozet.bash.sandbox = required without a sandbox. Detection
// is real: bwrap is looked up on the PATH given and a trial command is run.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCommandShell, currentConfinement } from '../../src/core/sandbox/command-shell';
import { detectSandbox } from '../../src/core/sandbox/detect-sandbox';
import { runTool } from '../../src/core/tools/tools';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

const RUN = { timeoutMs: 10_000, maxOutputBytes: 64 * 1024 };

describe('sandbox detection and the no-sandbox path', function () {
  if (process.platform !== 'linux') return;
  this.timeout(30_000);
  let root: string;
  let bin: string;
  beforeEach(() => {
    root = tempDir('rozet-det-');
    bin = tempDir('rozet-bin-');
  });
  afterEach(() => {
    removeDir(root);
    removeDir(bin);
  });

  it('bwrap hidden from PATH: no sandbox, said plainly with how to install one; commands still run under auto', async () => {
    const env = { ...process.env, PATH: bin };
    const found = await detectSandbox(env);
    assert.equal(found.kind, 'none');
    assert.match(found.problem ?? '', /bubblewrap \(bwrap\) is not installed or not on PATH/);

    const shell = await createCommandShell(root, { sandbox: 'auto', network: 'off' }, env);
    assert.equal(shell.sandboxed, false);
    assert.equal(shell.refusal, undefined);
    const result = await shell.run('echo hi > made.txt', RUN);
    assert.equal(result.exitCode, 0, result.output);
    assert.match(result.notes?.[0] ?? '', /^Not sandboxed \(bubblewrap \(bwrap\) is not installed or not on PATH\)/);
    const { summary } = await currentConfinement({ sandbox: 'auto', network: 'off' }, env);
    assert.match(summary, /without a sandbox.*not installed.*best effort.*apt-get install bubblewrap/);
    assert.ok(fs.existsSync(path.join(root, 'made.txt')));
  });

  it('required without a sandbox: every command refused with the reason and how to install one, nobody asked', async () => {
    const env = { ...process.env, PATH: bin };
    const shell = await createCommandShell(root, { sandbox: 'required', network: 'off' }, env);
    const approver = new RecordingApprover(true);
    const ctx = toolContext(root, { shell, approver });
    for (const command of ['ls', 'touch made.txt']) {
      const result = await runTool('execute_bash', { command }, ctx);
      assert.equal(result.ok, false);
      assert.match(result.output, /rozet\.bash\.sandbox is "required".*not installed.*apt-get install bubblewrap/);
      assert.match(result.output, /ROZET_BASH_SANDBOX=auto/);
    }
    assert.equal(approver.asked.length, 0);
    assert.equal(fs.existsSync(path.join(root, 'made.txt')), false);
    const confinement = await currentConfinement({ sandbox: 'required', network: 'off' }, env);
    assert.match(confinement.summary, /Commands are refused/);
  });

  it('bwrap present but failing (no user namespaces): detected once, reported with its error, treated as no sandbox', async () => {
    const calls = path.join(bin, 'calls');
    fs.writeFileSync(
      path.join(bin, 'bwrap'),
      `#!/bin/sh\necho call >> ${calls}\necho 'bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces.' >&2\nexit 1\n`,
      { mode: 0o755 },
    );
    const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
    const found = await detectSandbox(env);
    assert.equal(found.kind, 'none');
    assert.equal(found.program, path.join(bin, 'bwrap'));
    assert.match(
      found.problem ?? '',
      /installed but does not work here: bwrap: No permissions to create new namespace/,
    );

    const shell = await createCommandShell(root, { sandbox: 'auto', network: 'off' }, env);
    await createCommandShell(root, { sandbox: 'auto', network: 'on' }, env);
    assert.equal(shell.sandboxed, false);
    const result = await shell.run('echo ran', RUN);
    assert.match(result.output, /ran/);
    assert.match(result.notes?.[0] ?? '', /^Not sandboxed \(.*No permissions to create new namespace/);
    assert.equal(fs.readFileSync(calls, 'utf8'), 'call\n', 'the trial ran once for the process');
  });

  it('off: no sandbox and no detection, and the summary says the setting chose it', async () => {
    const confinement = await currentConfinement({ sandbox: 'off', network: 'off' });
    assert.equal(confinement.sandboxed, false);
    assert.match(confinement.summary, /rozet\.bash\.sandbox = off/);
    const shell = await createCommandShell(root, { sandbox: 'off', network: 'off' });
    assert.equal(shell.sandboxed, false);
  });
});
