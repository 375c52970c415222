import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeShell, withoutSecrets } from '../../src/core/workspace/node-shell';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

/** Running, not a zombie waiting for a parent that does not reap (as in containers). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

describe('NodeShell', function () {
  if (process.platform === 'win32') return;
  let root: string;
  let shell: NodeShell;
  beforeEach(() => {
    root = tempDir();
    shell = new NodeShell(root);
  });
  afterEach(() => removeDir(root));

  it('runs in the workspace root and reports the exit code with stdout and stderr', async () => {
    const result = await shell.run('pwd; echo oops >&2; exit 3', { timeoutMs: 5000, maxOutputBytes: 10_000 });
    assert.equal(result.exitCode, 3);
    assert.match(result.output, new RegExp(`${root}\\n`));
    assert.match(result.output, /oops/);
    assert.equal(result.timedOut, false);
  });

  it('kills a command that never ends at its timeout, with its whole process tree, keeping its output', async () => {
    const started = Date.now();
    const result = await shell.run('echo started; (sleep 30 & echo $! > child.pid; wait) ; sleep 30', {
      timeoutMs: 300,
      maxOutputBytes: 10_000,
    });
    assert.equal(result.timedOut, true);
    assert.match(result.output, /started/);
    assert.ok(Date.now() - started < 2000, `returned after ${Date.now() - started} ms`);
    const childPid = Number(fs.readFileSync(path.join(root, 'child.pid'), 'utf8'));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(alive(childPid), false, 'the background child was killed too');
  });

  it('keeps head and tail of a flood of output under the cap', async () => {
    const result = await shell.run('echo FIRST; yes middle | head -c 2000000; echo; echo LAST', {
      timeoutMs: 10_000,
      maxOutputBytes: 4000,
    });
    assert.equal(result.truncated, true);
    assert.ok(result.output.length < 4200);
    assert.match(result.output, /^FIRST/);
    assert.match(result.output, /LAST\n$/);
    assert.match(result.output, /bytes of output omitted/);
  });

  it('stops at once when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await shell.run('sleep 30', { timeoutMs: 60_000, maxOutputBytes: 1000, signal: controller.signal });
    assert.equal(result.cancelled, true);
    assert.ok(Date.now() - started < 1000);
  });

  it('does not wait for background jobs that outlive the command', async () => {
    const started = Date.now();
    const result = await shell.run('sleep 30 & echo done', { timeoutMs: 10_000, maxOutputBytes: 1000 });
    assert.equal(result.exitCode, 0);
    assert.match(result.output, /done/);
    assert.ok(Date.now() - started < 2000);
  });

  it('hides API keys and secrets from commands', async () => {
    const env = withoutSecrets({
      PATH: process.env.PATH,
      OPENAI_API_KEY: 'sk-x',
      GITHUB_TOKEN: 'ghp',
      ROZET_WORKER_MODEL: 'm',
      HOME: '/h',
    });
    assert.deepEqual(Object.keys(env).sort(), ['HOME', 'PATH']);
    const own = new NodeShell(root, { env: { ...env } });
    const result = await own.run('echo "[$OPENAI_API_KEY]"', { timeoutMs: 5000, maxOutputBytes: 1000 });
    assert.equal(result.output.trim(), '[]');
  });
});
