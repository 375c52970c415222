// Issue 12, "keys readable by commands": `tr '\0' '\n' < /proc/$PPID/environ` gave a
// command the API keys in Rozet's environment, a provider not used in the run included.
// The real `rozet run` entry point is spawned with keys in its environment; the worker's
// command copies what it can read of its parent's and grandparent's (the process the
// test started) /proc/<pid>/environ into the workspace. Sandbox off and on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serverEnv } from '../support/cli-harness';
import { oneCommandScenario, runCliProcess } from '../support/cli-process';
import { removeDir, tempDir } from '../support/run-engine-fixtures';
import { startModelServer, type ModelServer } from '../support/model-server';
const KEYS = {
  OPENAI_COMPATIBLE_API_KEY: 'sk-handoff-used-0123456789abcdefghijkl',
  OPENAI_API_KEY: 'sk-proj-handoff-unused-0123456789abcdefgh',
  DB_PASSWORD: 'handoff-db-password-42',
};

const LOOK = [
  'env > own.env',
  "tr '\\0' '\\n' < /proc/$PPID/environ > parent.env",
  "gp=$(sed 's/.*) //' /proc/$PPID/stat | cut -d' ' -f2)",
  'echo $gp > grandparent.pid',
  // Output first: the file exists (empty) even where the grandparent cannot be read.
  "tr '\\0' '\\n' > grandparent.env < /proc/$gp/environ 2>/dev/null",
  "for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < $f; done > visible.env 2>/dev/null",
  'true',
].join('; ');

describe('API keys out of reach of commands (the CLI restarts without them)', function () {
  if (process.platform !== 'linux') return;
  this.timeout(60_000);
  let server: ModelServer;
  let root: string;
  beforeEach(async () => {
    server = await startModelServer({ scenario: oneCommandScenario('Look around', LOOK) });
    root = tempDir('rozet-keys-');
  });
  afterEach(async () => {
    await server.close();
    removeDir(root);
  });

  function run(sandbox: 'off' | 'auto') {
    return runCliProcess(['run', '--yes', '--approve-commands', '--json', '-w', root, 'look around'], {
      ...KEYS,
      ...serverEnv(server.url),
      ROZET_BASH_SANDBOX: sandbox,
    });
  }

  function read(name: string): string {
    return fs.readFileSync(path.join(root, name), 'utf8');
  }

  function assertNoKey(where: string, text: string): void {
    for (const [name, value] of Object.entries(KEYS)) assert.ok(!text.includes(value), `${where} holds ${name}`);
  }

  it('without the sandbox: neither the spawning process nor the one the user started shows a key', async () => {
    const { pid, code, stderr } = await run('off');
    assert.equal(code, 0, stderr);
    assert.equal(
      server.requests.find((r) => r.route === 'openai.chat')?.headers.authorization,
      `Bearer ${KEYS.OPENAI_COMPATIBLE_API_KEY}`,
      'the key still reached its provider',
    );
    assert.match(read('parent.env'), /^PATH=/m, 'the command could read its parent environment');
    for (const file of ['own.env', 'parent.env']) assertNoKey(file, read(file));
    assert.equal(Number(read('grandparent.pid')), pid, 'the grandparent is the process the user started');
    assert.match(read('grandparent.env'), /^PATH=/m, 'and could read that one too');
    assertNoKey('grandparent.env', read('grandparent.env'));
    assert.doesNotMatch(read('parent.env'), /^ROZET_(?!HANDOFF_FD=)/m, 'nor Rozet settings');
  });

  it('in the sandbox: its own processes only, none with a key', async () => {
    const { code, stderr } = await run('auto');
    assert.equal(code, 0, stderr);
    assert.match(read('visible.env'), /^PATH=/m);
    for (const file of ['own.env', 'parent.env', 'visible.env']) assertNoKey(file, read(file));
    assert.equal(read('grandparent.env'), '', 'nothing above the sandbox is visible');
  });
});
