// Issue 12: commands in the bubblewrap sandbox (installed by .ci/run), through the shell
// both hosts build with createCommandShell. Each claim is checked by what the command
// could actually do — a file that does or does not appear, a connection that is or is not
// made — not by the arguments handed to bwrap.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createCommandShell } from '../../src/core/sandbox/command-shell';
import type { SandboxSettings } from '../../src/core/sandbox/confinement';
import { runTool } from '../../src/core/tools/tools';
import type { NodeShell } from '../../src/core/workspace/node-shell';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

const AUTO: SandboxSettings = { sandbox: 'auto', network: 'off' };
const RUN = { timeoutMs: 20_000, maxOutputBytes: 64 * 1024 };
/** Outside the workspace and not under /tmp (which is the sandbox's own), so the host sees it. */
const OUTSIDE = '/var/tmp';

describe('sandbox (bubblewrap)', function () {
  if (process.platform !== 'linux') return;
  this.timeout(60_000);
  let root: string;
  let shell: NodeShell;
  beforeEach(async () => {
    root = tempDir('rozet-sbx-');
    shell = await createCommandShell(root, AUTO);
  });
  afterEach(() => removeDir(root));

  it('is used under auto here, and the first command says so', async () => {
    assert.equal(shell.sandboxed, true, 'bubblewrap is installed (.ci/run installs it) and works');
    const first = await shell.run('true', RUN);
    assert.match(first.notes?.join(' ') ?? '', /^Sandboxed \(bubblewrap\).*no network \(rozet\.bash\.network = off\)/);
    const second = await shell.run('true', RUN);
    assert.equal(second.notes, undefined, 'said once per run');
  });

  it('a command that asks tells the user how it would run: in the sandbox, or not', async () => {
    for (const [settings, where] of [
      [AUTO, /^Sandboxed \(bubblewrap\).*no network/],
      [{ sandbox: 'off', network: 'off' } as SandboxSettings, /^Not sandboxed \(rozet\.bash\.sandbox = off\)/],
    ] as const) {
      const approver = new RecordingApprover(false);
      const ctx = toolContext(root, {
        shell: await createCommandShell(root, settings),
        approver,
        policy: { bashApproval: 'ask', allowlist: [], writeApproval: 'auto' },
      });
      await runTool('execute_bash', { command: 'ls' }, ctx);
      assert.equal(approver.asked.length, 1);
      assert.match(approver.asked[0].where ?? '', where);
    }
  });

  it('can write inside the workspace, but not outside it, nor remount the root', async () => {
    const marker = path.join(OUTSIDE, `rozet-sbx-${process.pid}-${Date.now()}`);
    const result = await shell.run(
      `echo inside > made.txt; mkdir -p sub && echo deeper > sub/x; echo out > ${marker}; echo tmp > /tmp/x; ` +
        `mount -o remount,rw / 2>&1; echo home > "$HOME/rozet-sbx-home" 2>&1; true`,
      RUN,
    );
    assert.equal(fs.readFileSync(path.join(root, 'made.txt'), 'utf8'), 'inside\n');
    assert.equal(fs.readFileSync(path.join(root, 'sub', 'x'), 'utf8'), 'deeper\n');
    assert.equal(fs.existsSync(marker), false, `${marker} was written: ${result.output}`);
    assert.equal(fs.existsSync(path.join(os.homedir(), 'rozet-sbx-home')), false);
    assert.match(result.output, /Read-only file system/);
    assert.match(result.output, /permission denied|not permitted/i, 'remount refused');
  });

  it('a write to /tmp/x stays in the sandbox: the host /tmp/x is untouched', async () => {
    const name = `rozet-sbx-tmp-${process.pid}-${Date.now()}`;
    const result = await shell.run(`echo x > /tmp/${name} && cat /tmp/${name}`, RUN);
    assert.equal(result.exitCode, 0, result.output);
    assert.equal(fs.existsSync(path.join('/tmp', name)), false);
  });

  it("cannot see or read another process's environment: its own PID namespace and /proc", async () => {
    const marker = `ROZET_SBX_MARK_${Date.now()}`;
    const other = spawn('sleep', ['30'], { env: { ...process.env, SBX_SECRET: marker }, stdio: 'ignore' });
    try {
      const result = await shell.run(
        `cat /proc/${other.pid}/environ 2>&1; cat /proc/${process.pid}/environ 2>&1; ` +
          `for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < "$f"; done 2>/dev/null | grep -c ${marker}; ls -d /proc/[0-9]* | wc -l`,
        RUN,
      );
      assert.doesNotMatch(result.output, new RegExp(`SBX_SECRET=${marker}`));
      assert.match(result.output, /No such file or directory/, 'the host pids do not exist in there');
      const [count, pids] = result.output.trim().split('\n').slice(-2).map(Number);
      assert.equal(count, 0, 'no process in view holds the marker');
      assert.ok(pids < 10, `only the sandbox's own processes are visible (${pids})`);
    } finally {
      other.kill();
    }
  });

  it('cannot reach 127.0.0.1 unless rozet.bash.network is on; the failure names the setting', async () => {
    const server = net.createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const connect =
      `node -e "require('net').connect(${port}, '127.0.0.1').on('data', d => { process.stdout.write('GOT ' + d); process.exit(0) })` +
      `.on('error', e => { console.log(e.code); process.exit(3) })"`;
    try {
      const offline = await shell.run(connect, RUN);
      assert.equal(offline.exitCode, 3, offline.output);
      assert.match(offline.output, /ECONNREFUSED/);
      assert.match(offline.notes?.join(' ') ?? '', /rozet\.bash\.network.*"on"/);

      const online = await (await createCommandShell(root, { sandbox: 'auto', network: 'on' })).run(connect, RUN);
      assert.equal(online.exitCode, 0, online.output);
      assert.match(online.output, /GOT hello/);
    } finally {
      server.close();
    }
  });

  it('cannot write .git/hooks, .git/config, .vscode or other existing protected paths, at any depth', async () => {
    for (const dir of ['.git/hooks', 'pkg/.git/hooks', '.vscode', '.husky', 'app/.github/workflows'])
      fs.mkdirSync(path.join(root, dir), { recursive: true });
    for (const file of ['.git/config', '.npmrc', '.env', 'app/.yarnrc.yml', '.gitattributes', '.rozet.yaml'])
      fs.writeFileSync(path.join(root, file), 'original\n');
    const attempts = [
      'echo x > .git/hooks/pre-commit',
      'echo x > pkg/.git/hooks/pre-commit',
      'echo x >> .git/config',
      'echo x > .vscode/settings.json',
      'echo x > .husky/pre-commit',
      'echo x > app/.github/workflows/ci.yml',
      'echo x >> .npmrc',
      'echo x >> .env',
      'echo x >> app/.yarnrc.yml',
      'echo x >> .gitattributes',
      'echo x >> .rozet.yaml',
      'rm -f .npmrc',
      'mv .git/config .git/config.old',
    ];
    for (const command of attempts) {
      const result = await shell.run(command, RUN);
      assert.notEqual(result.exitCode, 0, `${command}: ${result.output}`);
      assert.match(result.output, /Read-only file system|Device or resource busy/, command);
    }
    assert.deepEqual(fs.readdirSync(path.join(root, '.git', 'hooks')), []);
    assert.equal(fs.readFileSync(path.join(root, '.git', 'config'), 'utf8'), 'original\n');
    assert.equal(fs.readFileSync(path.join(root, '.npmrc'), 'utf8'), 'original\n');
    // git itself still works: it writes objects, refs and the index, not its hooks or config.
    fs.rmSync(path.join(root, '.git'), { recursive: true });
    await shell.run('git init -q . && git config user.email a@b && git config user.name n', RUN);
    const git = await shell.run(
      'echo a > a.txt && git add a.txt && git -c commit.gpgsign=false commit -qm a && git log --oneline',
      RUN,
    );
    assert.equal(git.exitCode, 0, git.output);
  });

  it('a protected name that is a link: covered where it leads; a dangling one does not stop commands', async () => {
    fs.mkdirSync(path.join(root, 'editor-config'));
    fs.symlinkSync('editor-config', path.join(root, '.vscode'));
    fs.symlinkSync('nowhere', path.join(root, '.env'));
    fs.symlinkSync('/etc/hostname', path.join(root, '.npmrc'));
    const result = await shell.run('echo ran; echo x > editor-config/settings.json', RUN);
    assert.match(result.output, /^ran\n/, result.output);
    assert.match(result.output, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(root, 'editor-config', 'settings.json')), false);
  });

  it('the ${p}t/hooks trick: a computed path the text check cannot see is still read-only', async () => {
    fs.mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, { shell, approver });
    const result = await runTool(
      'execute_bash',
      { command: 'p=.gi; echo "touch PWNED" > ${p}t/hooks/pre-commit' },
      ctx,
    );
    assert.equal(approver.asked.length, 0, 'the text check did not catch it (auto approval)');
    assert.equal(result.ok, false, result.output);
    assert.match(result.output, /Read-only file system/);
    assert.equal(fs.existsSync(path.join(root, '.git', 'hooks', 'pre-commit')), false);
  });

  it('hides the secret places of the home folder', async () => {
    const home = fs.mkdtempSync(path.join(OUTSIDE, 'rozet-home-'));
    const saved = process.env.HOME;
    try {
      fs.mkdirSync(path.join(home, '.ssh'));
      fs.writeFileSync(path.join(home, '.ssh', 'id_rsa'), 'PRIVATE-KEY');
      fs.mkdirSync(path.join(home, '.aws'));
      fs.writeFileSync(path.join(home, '.aws', 'credentials'), 'AWS-SECRET');
      fs.writeFileSync(path.join(home, '.netrc'), 'machine x password NETRC-SECRET');
      fs.writeFileSync(path.join(home, 'notes.txt'), 'visible');
      process.env.HOME = home;
      const own = await createCommandShell(root, AUTO);
      const result = await own.run(
        `cat ${home}/.ssh/id_rsa ${home}/.aws/credentials ${home}/.netrc ${home}/notes.txt 2>&1; ls -A ${home}/.ssh`,
        RUN,
      );
      assert.doesNotMatch(result.output, /PRIVATE-KEY|AWS-SECRET|NETRC-SECRET/);
      assert.match(result.output, /visible/, 'the rest of the home folder is readable');
    } finally {
      process.env.HOME = saved;
      removeDir(home);
    }
  });

  it('a protected path that did not exist is caught after the command: kept only if the user agrees', async () => {
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, { shell, approver });
    const result = await runTool(
      'execute_bash',
      { command: 'p=.vs; mkdir ${p}code && echo "{}" > ${p}code/tasks.json; q=.np; echo x > ${q}mrc; true' },
      ctx,
    );
    assert.equal(approver.asked.length, 1);
    assert.equal(approver.asked[0].kind, 'write');
    assert.match(approver.asked[0].subject, /\.vscode/);
    assert.match(result.output, /declined them and they were removed/);
    assert.equal(fs.existsSync(path.join(root, '.vscode')), false);
  });

  it('kills the whole sandbox at the timeout, background jobs included', async () => {
    const tag = `${40 + (process.pid % 17)}.${Date.now() % 1000}`;
    const result = await shell.run(`sleep ${tag} & sleep ${tag}`, { ...RUN, timeoutMs: 500 });
    assert.equal(result.timedOut, true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const survivors = fs
      .readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(tag);
        } catch {
          return false;
        }
      });
    assert.deepEqual(survivors, []);
  });
});
