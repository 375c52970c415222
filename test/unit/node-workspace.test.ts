import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { ToolError } from '../../src/core/workspace/workspace';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

describe('NodeWorkspace', () => {
  let root: string;
  let outside: string;
  let ws: NodeWorkspace;
  beforeEach(() => {
    root = tempDir();
    outside = tempDir('rozet-outside-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
    ws = new NodeWorkspace(root);
  });
  afterEach(() => {
    removeDir(root);
    removeDir(outside);
  });

  describe('confinement', () => {
    const escapes = (o: () => string) => [
      '../secret.txt',
      'a/../../secret.txt',
      '/etc/passwd',
      '~/secret.txt',
      '~',
      'C:\\Windows\\win.ini',
      '\\\\server\\share\\x',
      '//server/share/x',
      'file.txt::$DATA',
      '.git.',
      'x\u0000.txt',
      '%2e%2e/secret.txt',
      '..%2fsecret.txt',
      'a/'.repeat(5000) + 'x',
      'x'.repeat(300),
      path.join(o(), 'secret.txt'),
    ];

    it('refuses every lexical escape for read, write, list, stat and lockKey', async () => {
      for (const p of escapes(() => outside)) {
        await assert.rejects(ws.read(p), ToolError, `read ${p.slice(0, 40)}`);
        await assert.rejects(ws.write(p, 'x'), ToolError, `write ${p.slice(0, 40)}`);
        await assert.rejects(ws.list(p, false), ToolError, `list ${p.slice(0, 40)}`);
        await assert.rejects(ws.stat(p), ToolError, `stat ${p.slice(0, 40)}`);
        assert.throws(() => ws.lockKey(p), ToolError, `lockKey ${p.slice(0, 40)}`);
      }
      assert.deepEqual(fs.readdirSync(root), [], 'nothing was created');
      assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'SECRET');
    });

    it('refuses a symlinked directory leading out, for reads and for writes of new files under it', async () => {
      fs.symlinkSync(outside, path.join(root, 'out'));
      await assert.rejects(ws.read('out/secret.txt'), /outside the workspace/);
      await assert.rejects(ws.write('out/new.txt', 'x'), /outside the workspace/);
      await assert.rejects(ws.write('out/deeper/new.txt', 'x'), /outside the workspace/);
      assert.deepEqual(fs.readdirSync(outside), ['secret.txt']);
    });

    it('refuses a file symlink leading out and a dangling final symlink', async () => {
      fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
      fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'));
      await assert.rejects(ws.read('leak.txt'), ToolError);
      await assert.rejects(ws.write('leak.txt', 'owned'), ToolError);
      await assert.rejects(ws.write('dangling.txt', 'owned'), /does not exist/);
      assert.equal(fs.existsSync(path.join(outside, 'not-yet.txt')), false);
      assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'SECRET');
    });

    it('accepts paths inside the root in any spelling, including absolute ones and links that stay inside', async () => {
      fs.mkdirSync(path.join(root, 'src'));
      fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'A');
      fs.symlinkSync(path.join(root, 'src'), path.join(root, 'alias'));
      assert.equal((await ws.read('./src/a.ts')).content, 'A');
      assert.equal((await ws.read('src\\a.ts')).content, 'A');
      assert.equal((await ws.read(path.join(root, 'src/a.ts'))).content, 'A');
      assert.equal((await ws.read('alias/a.ts')).content, 'A');
      assert.equal((await ws.read('x/../src/a.ts')).content, 'A');
    });
  });

  describe('reading', () => {
    it('refuses binary files and cuts large ones with the truncated flag', async () => {
      fs.writeFileSync(
        path.join(root, 'img.png'),
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      );
      await assert.rejects(ws.read('img.png'), /binary/);
      const small = new NodeWorkspace(root, { maxReadBytes: 1000 });
      fs.writeFileSync(path.join(root, 'big.txt'), 'é'.repeat(5000));
      const result = await small.read('big.txt');
      assert.equal(result.truncated, true);
      assert.ok(result.content.length <= 1000);
      await assert.rejects(small.read('img.png'), /binary/, 'binary detection does not depend on the read limit');
    });

    it('reads UTF-8 with BOM and UTF-16 without the BOM in the text; directories are refused', async () => {
      fs.writeFileSync(
        path.join(root, 'bom.txt'),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo')]),
      );
      fs.writeFileSync(
        path.join(root, 'u16.txt'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('wide ✓', 'utf16le')]),
      );
      assert.equal((await ws.read('bom.txt')).content, 'héllo');
      assert.equal((await ws.read('u16.txt')).content, 'wide ✓');
      fs.mkdirSync(path.join(root, 'd'));
      await assert.rejects(ws.read('d'), /directory/);
      await assert.rejects(ws.read('missing.txt'), /no such file/);
    });
  });

  describe('writing', () => {
    it('creates parent folders, writes atomically and leaves no temp file', async () => {
      const result = await ws.write('deep/er/file.ts', 'export {};\n');
      assert.deepEqual(result, { created: true, bytes: 11 });
      assert.equal(fs.readFileSync(path.join(root, 'deep/er/file.ts'), 'utf8'), 'export {};\n');
      assert.deepEqual(fs.readdirSync(path.join(root, 'deep/er')), ['file.ts']);
      assert.equal((await ws.write('deep/er/file.ts', 'x')).created, false);
    });

    it('keeps BOM, CRLF, UTF-16 and Latin-1 encodings of the file it rewrites', async () => {
      fs.writeFileSync(
        path.join(root, 'bom.txt'),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nb\r\n')]),
      );
      await ws.write('bom.txt', 'a\nB\nc\n');
      assert.deepEqual(
        fs.readFileSync(path.join(root, 'bom.txt')),
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a\r\nB\r\nc\r\n')]),
      );

      fs.writeFileSync(
        path.join(root, 'u16.txt'),
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('ab', 'utf16le').swap16()]),
      );
      await ws.write('u16.txt', 'abc✓');
      assert.deepEqual(
        fs.readFileSync(path.join(root, 'u16.txt')),
        Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('abc✓', 'utf16le').swap16()]),
      );

      const gbk = Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a, 0x78, 0x0a]); // "你好\nx\n" in GBK
      fs.writeFileSync(path.join(root, 'gbk.txt'), gbk);
      const read = await ws.read('gbk.txt');
      await ws.write('gbk.txt', read.content.replace('x', 'y'));
      assert.deepEqual(
        fs.readFileSync(path.join(root, 'gbk.txt')),
        Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0x0a, 0x79, 0x0a]),
        'bytes outside the edit unchanged',
      );
      await assert.rejects(ws.write('gbk.txt', '✓'), /encoding/);
      assert.deepEqual(fs.readFileSync(path.join(root, 'gbk.txt')).at(-2), 0x79, 'a refused write changes nothing');
    });

    it('keeps a file with mixed line endings byte for byte outside the edit', async () => {
      fs.writeFileSync(path.join(root, 'mixed.txt'), 'a\r\nb\nc\r\n');
      const { content } = await ws.read('mixed.txt');
      await ws.write('mixed.txt', content.replace('b', 'B'));
      assert.equal(fs.readFileSync(path.join(root, 'mixed.txt'), 'utf8'), 'a\r\nB\nc\r\n');
    });

    it('a write cancelled before its rename leaves the old file whole', async () => {
      fs.writeFileSync(path.join(root, 'keep.txt'), 'old');
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(ws.write('keep.txt', 'new', controller.signal), /Cancelled/);
      assert.equal(fs.readFileSync(path.join(root, 'keep.txt'), 'utf8'), 'old');
      assert.deepEqual(fs.readdirSync(root), ['keep.txt']);
    });
  });

  describe('listing', () => {
    it('skips node_modules and .git, honours nested .gitignore files and .rozetignore', async () => {
      for (const f of [
        'src/a.ts',
        'src/gen/out.js',
        'node_modules/x/index.js',
        '.git/HEAD',
        'dist/bundle.js',
        'secret.log',
        'pkg/tmp/x',
        'pkg/keep.ts',
      ]) {
        fs.mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
        fs.writeFileSync(path.join(root, f), '');
      }
      fs.writeFileSync(path.join(root, '.gitignore'), 'dist/\n*.log\n');
      fs.writeFileSync(path.join(root, 'pkg/.gitignore'), 'tmp/\n');
      fs.writeFileSync(path.join(root, '.rozetignore'), 'src/gen/\n');
      const all = (await ws.list('.', true)).entries.map((e) => e.path);
      assert.deepEqual(
        all.sort(),
        ['.gitignore', '.rozetignore', 'pkg', 'pkg/.gitignore', 'pkg/keep.ts', 'src', 'src/a.ts'].sort(),
      );
      assert.deepEqual((await ws.list('pkg', true)).entries.map((e) => e.path).sort(), [
        'pkg/.gitignore',
        'pkg/keep.ts',
      ]);
      assert.deepEqual((await ws.list('src', false)).entries, [{ path: 'src/a.ts', type: 'file' }]);
    });

    it('terminates on a symlink loop and stays bounded on a large tree', async () => {
      fs.mkdirSync(path.join(root, 'a'));
      fs.symlinkSync(root, path.join(root, 'a', 'loop'));
      fs.symlinkSync(outside, path.join(root, 'out'));
      for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(root, `f${i}.txt`), '');
      const small = new NodeWorkspace(root, { maxListEntries: 25 });
      const result = await small.list('.', true);
      assert.equal(result.truncated, true);
      assert.equal(result.entries.length, 25);
      const full = await ws.list('.', true);
      assert.equal(full.truncated, false);
      assert.ok(full.entries.some((e) => e.path === 'a/loop' && e.type === 'dir'));
      assert.ok(!full.entries.some((e) => e.path.startsWith('out')), 'a link out of the root is not listed');
      assert.ok(!full.entries.some((e) => e.path.startsWith('a/loop/')), 'links are never descended');
    });
  });
});
