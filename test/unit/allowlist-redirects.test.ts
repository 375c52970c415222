// Issue 12, "an allow-listed command runs any code": with the allowlist ["npm test", "git
// status"], a worker rewrites package.json's test script, writes an .npmrc with
// node-options, or plants a bare repository (HEAD, config with core.fsmonitor, objects,
// refs) at the root — then runs the allow-listed command. Each payload would write a
// marker outside the workspace. Without a sandbox the command must ask again (and, denied,
// nothing runs); inside the sandbox it runs unasked and the payload cannot get out.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createCommandShell } from '../../src/core/sandbox/command-shell';
import { runTool, type ToolContext } from '../../src/core/tools/tools';
import { NodeShell } from '../../src/core/workspace/node-shell';
import type { ApprovalRequest, Approver, Shell } from '../../src/core/workspace/workspace';
import { removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { Tally } from '../support/tally';

/** Approves writes (a user who lets edits through), refuses every command it is asked about. */
class WritesOnly implements Approver {
  readonly askedCommands: ApprovalRequest[] = [];
  async approve(request: ApprovalRequest) {
    if (request.kind !== 'command') return { approved: true };
    this.askedCommands.push(request);
    return { approved: false, message: 'not now' };
  }
}

let counter = 0;
function outsideMarker(): string {
  return path.join('/var/tmp', `rozet-backdoor-${process.pid}-${Date.now()}-${counter++}`);
}

interface Attack {
  name: string;
  command: string;
  /** Tool writes a worker makes first; the payload writes `marker`. */
  plant: (marker: string) => Array<[file: string, content: string]>;
}

const ATTACKS: Attack[] = [
  {
    name: 'package.json test script rewritten',
    command: 'npm test',
    plant: (marker) => [['package.json', JSON.stringify({ name: 'x', scripts: { test: `touch ${marker}` } })]],
  },
  {
    name: '.npmrc node-options=--require',
    command: 'npm test',
    plant: (marker) => [
      ['evil.js', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`],
      ['.npmrc', 'node-options=--require=./evil.js\n'],
    ],
  },
  {
    name: 'a test file the test script runs',
    command: 'npm test',
    plant: (marker) => [['test.js', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`]],
  },
  {
    name: 'a bare repository with core.fsmonitor at the root',
    command: 'git status',
    plant: (marker) => [
      ['HEAD', 'ref: refs/heads/main\n'],
      [
        'config',
        `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n\tfsmonitor = "touch ${marker}; false"\n`,
      ],
      ['objects/.keep', ''],
      ['refs/heads/.keep', ''],
    ],
  },
];

describe('allowlist backdoors (files written in the run redirect an allow-listed command)', function () {
  this.timeout(60_000);
  const tally = new Tally('allowlist backdoors');
  tally.report();
  let root: string;
  let markers: string[];
  beforeEach(() => {
    root = tempDir('rozet-bd-');
    markers = [];
    fs.writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'x', scripts: { test: 'node test.js' } }));
    fs.writeFileSync(path.join(root, 'test.js'), "console.log('tests pass')\n");
    // The project as it was before the run: changed a minute ago, not during it.
    const before = new Date(Date.now() - 60_000);
    for (const file of ['package.json', 'test.js']) fs.utimesSync(path.join(root, file), before, before);
  });
  afterEach(() => {
    removeDir(root);
    for (const m of markers) fs.rmSync(m, { force: true });
  });

  function context(shell: Shell, approver: Approver): ToolContext {
    return toolContext(root, {
      shell,
      approver,
      policy: { bashApproval: 'allowlist', allowlist: ['npm test', 'git status', 'ls'], writeApproval: 'auto' },
      bashTimeoutMs: 30_000,
    });
  }

  async function plant(attack: Attack, ctx: ToolContext): Promise<string> {
    const marker = outsideMarker();
    markers.push(marker);
    for (const [file, content] of attack.plant(marker)) {
      const written = await runTool('write_file', { path: file, content }, ctx);
      assert.equal(written.ok, true, written.output);
    }
    return marker;
  }

  it('runs unasked while nothing was written; plain viewers run unasked whatever was written', async () => {
    const approver = new WritesOnly();
    const ctx = context(new NodeShell(root), approver);
    const first = await runTool('execute_bash', { command: 'npm test' }, ctx);
    assert.match(first.output, /tests pass/);
    await runTool('write_file', { path: 'package.json', content: '{"scripts":{"test":"echo changed"}}' }, ctx);
    const ls = await runTool('execute_bash', { command: 'ls' }, ctx);
    assert.equal(ls.ok, true, ls.output);
    assert.equal(approver.askedCommands.length, 0);
  });

  for (const attack of ATTACKS) {
    it(`without a sandbox, ${attack.name}: \`${attack.command}\` asks again; refused, nothing runs`, async () => {
      tally.add('tried without sandbox');
      const approver = new WritesOnly();
      const ctx = context(new NodeShell(root), approver);
      const marker = await plant(attack, ctx);
      const result = await runTool('execute_bash', { command: attack.command }, ctx);
      assert.equal(approver.askedCommands.length, 1, result.output);
      assert.match(approver.askedCommands[0].reason, /may run code from files changed in this run/);
      assert.equal(result.ok, false);
      assert.equal(fs.existsSync(marker), false);
      tally.add('blocked without sandbox');
    });

    it(`in the sandbox, ${attack.name}: \`${attack.command}\` runs unasked and its payload cannot get out`, async () => {
      tally.add('tried in sandbox');
      const approver = new WritesOnly();
      const shell = await createCommandShell(root, { sandbox: 'auto', network: 'off' });
      assert.equal(shell.sandboxed, true);
      const ctx = context(shell, approver);
      const marker = await plant(attack, ctx);
      const result = await runTool('execute_bash', { command: attack.command }, ctx);
      assert.equal(approver.askedCommands.length, 0, 'allow-listed, sandboxed: not asked');
      assert.match(result.output, /Read-only file system|EROFS/, 'the payload ran and was stopped');
      assert.equal(fs.existsSync(marker), false, `${marker} was written: ${result.output}`);
      tally.add('blocked in sandbox');
    });
  }

  it('a git config changed by an earlier command (not a tool) also makes `git status` ask again', async () => {
    fs.mkdirSync(path.join(root, '.git'));
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
    const before = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, '.git', 'config'), before, before);
    const approver = new WritesOnly();
    const ctx = context(new NodeShell(root), approver);
    const clean = await runTool('execute_bash', { command: 'git status' }, ctx);
    assert.equal(approver.askedCommands.length, 0, clean.output);
    // Some earlier command the user let run changed it.
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\n\tfsmonitor = "touch x"\n');
    const result = await runTool('execute_bash', { command: 'git status' }, ctx);
    assert.equal(approver.askedCommands.length, 1, result.output);
    assert.match(approver.askedCommands[0].reason, /\.git\/config/);
  });
});
