import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FileLeases, FileLocks } from '../../src/core/run/file-locks';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { runTool } from '../../src/core/tools/tools';
import { removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

describe('file locks', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  it('N workers editing the same file at once lose no update (read-modify-write under the lock)', async () => {
    fs.writeFileSync(path.join(root, 'list.md'), 'items:\n<END>\n');
    const ctx = toolContext(root);
    const n = 24;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        runTool(
          'replace_in_file',
          { path: 'list.md', old_string: '<END>', new_string: `item-${i}\n<END>` },
          { ...ctx, taskId: `w${i}` },
        ),
      ),
    );
    assert.ok(
      results.every((r) => r.ok),
      JSON.stringify(results.find((r) => !r.ok)),
    );
    const lines = fs.readFileSync(path.join(root, 'list.md'), 'utf8').trim().split('\n');
    assert.equal(lines[0], 'items:');
    assert.equal(lines[lines.length - 1], '<END>');
    assert.deepEqual(lines.slice(1, -1).sort(), Array.from({ length: n }, (_, i) => `item-${i}`).sort());
  });

  it('concurrent whole-file writes never tear: the file is exactly one of the contents written', async () => {
    const ctx = toolContext(root);
    const contents = Array.from({ length: 16 }, (_, i) => `${String.fromCharCode(65 + i)}`.repeat(200_000));
    await Promise.all(
      contents.map((content, i) => runTool('write_file', { path: 'big.txt', content }, { ...ctx, taskId: `w${i}` })),
    );
    const final = fs.readFileSync(path.join(root, 'big.txt'), 'utf8');
    assert.ok(contents.includes(final), 'final content is one complete write');
    assert.deepEqual(fs.readdirSync(root), ['big.txt'], 'no temp files left behind');
  });

  it('locks several paths in sorted order, so opposite orders do not deadlock', async () => {
    const locks = new FileLocks();
    let inside = 0;
    let maxInside = 0;
    const job = async (keys: string[]) => {
      for (let i = 0; i < 50; i++) {
        await locks.withLocks(keys, async () => {
          inside++;
          maxInside = Math.max(maxInside, inside);
          await new Promise((r) => setImmediate(r));
          inside--;
        });
      }
    };
    await Promise.all([job(['a', 'b']), job(['b', 'a']), job(['b', 'c', 'a'])]);
    assert.equal(maxInside, 1, 'overlapping key sets never run together');
    assert.equal(locks.isLocked('a'), false);
  });

  it('an aborted wait gives up at once and does not leak the lock', async () => {
    const locks = new FileLocks();
    const release = await locks.acquire(['x']);
    const controller = new AbortController();
    const waiting = locks.acquire(['x'], controller.signal);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await assert.rejects(waiting, /Cancelled/);
    assert.ok(Date.now() - started < 500);
    release();
    const again = await Promise.race([
      locks.acquire(['x']),
      new Promise<undefined>((r) => setTimeout(() => r(undefined), 500)),
    ]);
    assert.ok(again, 'the lock is free after the holder released it');
    again();
  });

  it('keys are the normalised real path: ./a, a and a symlink to a share one lock; case folds where the FS ignores case', () => {
    fs.writeFileSync(path.join(root, 'a.txt'), 'x');
    fs.symlinkSync(path.join(root, 'a.txt'), path.join(root, 'link.txt'));
    const ws = new NodeWorkspace(root, { caseInsensitive: false });
    assert.equal(ws.lockKey('./a.txt'), 'a.txt');
    assert.equal(ws.lockKey('sub/../a.txt'), 'a.txt');
    assert.equal(ws.lockKey('link.txt'), 'a.txt');
    assert.equal(ws.lockKey(path.join(root, 'a.txt')), 'a.txt');
    assert.notEqual(ws.lockKey('A.txt'), ws.lockKey('a.txt'));
    const folded = new NodeWorkspace(root, { caseInsensitive: true });
    assert.equal(folded.lockKey('SRC/Main.TS'), folded.lockKey('src/main.ts'));
  });

  it('leases: a task holds its declared files; overlapping tasks cannot lease until it releases', () => {
    const leases = new FileLeases();
    assert.equal(leases.tryLease('t1', ['a.ts', 'b.ts']), true);
    assert.equal(leases.tryLease('t2', ['b.ts', 'c.ts']), false);
    assert.equal(leases.holder('c.ts'), undefined, 'a refused lease takes nothing');
    assert.equal(leases.tryLease('t3', ['c.ts']), true);
    leases.release('t1');
    assert.equal(leases.tryLease('t2', ['b.ts']), true);
  });
});
