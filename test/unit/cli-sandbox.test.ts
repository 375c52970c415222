// Issue 12 through the `rozet` command: config and health say how commands run; a
// workspace .rozet.yaml cannot switch the sandbox off or the network on; `required` with
// no sandbox (bwrap hidden from PATH) refuses every command with the reason and the fix.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../src/cli/cli';
import type { CliIo } from '../../src/cli/io';
import type { RunEvent } from '../../src/core/run/events';
import { serverEnv } from '../support/cli-harness';
import { oneCommandScenario, runCliProcess } from '../support/cli-process';
import { removeDir, tempDir } from '../support/run-engine-fixtures';
import { startModelServer, type ModelServer } from '../support/model-server';

const REPO = path.resolve(__dirname, '..', '..');

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const [stdout, stderr, stdin] = [new PassThrough(), new PassThrough(), new PassThrough()];
  stdin.end();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const io: CliIo = { stdout, stderr, stdin, env, cwd: REPO, interrupt: () => {}, onInterrupt: () => () => {} };
  const code = await runCli(args, io);
  return { code, out, err };
}

describe('rozet and the command sandbox', function () {
  this.timeout(60_000);
  let server: ModelServer;
  let root: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    server = await startModelServer({ scenario: oneCommandScenario('Touch a file', 'touch made.txt') });
    root = tempDir('rozet-clisbx-');
    env = serverEnv(server.url);
  });
  afterEach(async () => {
    await server.close();
    removeDir(root);
  });

  it('config: the settings, their defaults, and a Commands section saying commands are sandboxed', async () => {
    const text = await cli(['config', '-w', root], env);
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /rozet\.bash\.sandbox\s+auto\s+default\s+ROZET_BASH_SANDBOX/);
    assert.match(text.out, /rozet\.bash\.network\s+off\s+default\s+ROZET_BASH_NETWORK/);
    assert.match(text.out, /Commands\n {2}Commands run in a bubblewrap sandbox/);
    const json = JSON.parse((await cli(['config', '--json', '-w', root], env)).out) as {
      commands: { sandboxed: boolean; network: boolean };
    };
    assert.deepEqual({ ...json.commands, summary: undefined }, { sandboxed: true, network: false, summary: undefined });
  });

  it('a workspace .rozet.yaml setting sandbox: off or network: on is ignored, with the usual notice', async () => {
    fs.writeFileSync(path.join(root, '.rozet.yaml'), 'bash:\n  sandbox: off\n  network: on\n');
    const text = await cli(['config', '-w', root], env);
    assert.match(text.out, /rozet\.bash\.sandbox\s+auto\s+default/);
    assert.match(text.out, /rozet\.bash\.network\s+off\s+default/);
    for (const key of ['rozet.bash.sandbox', 'rozet.bash.network'])
      assert.match(
        text.out,
        new RegExp(
          `${key.replace(/\./g, '\\.')} in \\.rozet\\.yaml line \\d+, column \\d+ was ignored: only user settings can change it`,
        ),
      );
    const run = await cli(['run', '--yes', '--approve-commands', '--json', '-w', root, 'touch a file'], env);
    assert.match(run.err, /rozet\.bash\.sandbox in \.rozet\.yaml line \d+, column \d+ was ignored/);
    const results = run.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunEvent)
      .filter((e) => e.type === 'task.toolResult');
    assert.match(JSON.stringify(results), /Sandboxed \(bubblewrap\)/);
  });

  it('the user may switch the sandbox off (flag or environment); config says so', async () => {
    const text = await cli(['config', '-w', root, '--set', 'rozet.bash.sandbox=off'], env);
    assert.match(text.out, /rozet\.bash\.sandbox\s+off\s+cli flag/);
    assert.match(text.out, /without a sandbox \(rozet\.bash\.sandbox = off\)/);
  });

  describe('with bwrap hidden from PATH and rozet.bash.sandbox = required', () => {
    async function spawnCli(args: string[]): Promise<{ code: number | null; out: string }> {
      const empty = tempDir('rozet-nopath-');
      try {
        const result = await runCliProcess(args, { ...env, PATH: empty, ROZET_BASH_SANDBOX: 'required' });
        return { code: result.code, out: result.stdout };
      } finally {
        removeDir(empty);
      }
    }

    it('health fails and says why and how to install bubblewrap', async () => {
      const health = await spawnCli(['health', '--json', '-w', root]);
      assert.equal(health.code, 1, health.out);
      const report = JSON.parse(health.out) as { ok: boolean; commands: { refused: boolean; summary: string } };
      assert.equal(report.ok, false);
      assert.equal(report.commands.refused, true);
      assert.match(report.commands.summary, /"required".*not installed.*apt-get install bubblewrap/);
    });

    it('run: the command is refused with the reason, and nothing ran', async () => {
      const run = await spawnCli(['run', '--yes', '--approve-commands', '--json', '-w', root, 'touch a file']);
      assert.match(run.out, /rozet\.bash\.sandbox is \\"required\\", but no sandbox is available/);
      assert.equal(fs.existsSync(path.join(root, 'made.txt')), false);
    });
  });
});
