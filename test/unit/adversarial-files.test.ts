// Issue 8: hostile and unusual files through the real tool layer (runTool over
// NodeWorkspace): huge files read with bounded memory, binaries refused, legacy and
// Unicode encodings and line endings rewritten with every byte outside the edit
// unchanged, and listings of huge trees and link loops that stay bounded and terminate.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTool, type ToolContext } from '../../src/core/tools/tools';
import { removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { Tally } from '../support/tally';

const MiB = 1024 * 1024;

interface EncodingCase {
  name: string;
  /** Encodes text the way the file is stored (BOM included). */
  encode: (text: string) => Buffer;
  before: string;
  after: string;
}

const ascii = (text: string) => Buffer.from(text, 'latin1');
// GBK for "中文注释" (D6D0 CEC4 D7A2 CACD): not valid UTF-8, so the file is kept byte for byte.
const GBK_COMMENT = Buffer.from([0xd6, 0xd0, 0xce, 0xc4, 0xd7, 0xa2, 0xca, 0xcd]);
const gbk = (text: string) =>
  Buffer.concat(text.split('中文').flatMap((part, i) => (i ? [GBK_COMMENT, ascii(part)] : [ascii(part)])));
const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();

const CASES: EncodingCase[] = [
  { name: 'GBK', encode: gbk, before: '// 中文\nint OLD = 1; // 中文\n', after: '// 中文\nint NEW = 1; // 中文\n' },
  {
    name: 'Latin-1',
    encode: (t) => Buffer.from(t, 'latin1'),
    before: 'café = "OLD"\r\nnaïve\n',
    after: 'café = "NEW"\r\nnaïve\n',
  },
  {
    name: 'UTF-16 LE with BOM',
    encode: (t) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')]),
    before: 'Ünïcode OLD 😀\r\nline 2\r\n',
    after: 'Ünïcode NEW 😀\r\nline 2\r\n',
  },
  {
    name: 'UTF-16 BE with BOM',
    encode: (t) => Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(t)]),
    before: 'x OLD y\n€\n',
    after: 'x NEW y\n€\n',
  },
  {
    name: 'UTF-8 with BOM',
    encode: (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
    before: 'ä OLD\nb\n',
    after: 'ä NEW\nb\n',
  },
  {
    name: 'UTF-8 BOM + CRLF',
    encode: (t) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t, 'utf8')]),
    before: 'a\r\nOLD\r\nc\r\n',
    after: 'a\r\nNEW\r\nc\r\n',
  },
  {
    name: 'CRLF',
    encode: (t) => Buffer.from(t, 'utf8'),
    before: 'one\r\ntwo OLD\r\nthree\r\n',
    after: 'one\r\ntwo NEW\r\nthree\r\n',
  },
  {
    name: 'mixed endings',
    encode: (t) => Buffer.from(t, 'utf8'),
    before: 'a\r\nb\nOLD\rc\r\n',
    after: 'a\r\nb\nNEW\rc\r\n',
  },
  {
    name: 'no final newline, trailing spaces',
    encode: (t) => Buffer.from(t, 'utf8'),
    before: 'x  \n\tOLD   ',
    after: 'x  \n\tNEW   ',
  },
];

describe('adversarial: files', function () {
  this.timeout(30_000);
  const tally = new Tally('files');
  tally.report();
  let root: string;
  let ctx: ToolContext;
  beforeEach(() => {
    root = tempDir('rozet-files-');
    ctx = toolContext(root);
  });
  afterEach(() => removeDir(root));
  const file = (name: string) => path.join(root, name);

  describe('encodings and line endings: every byte outside the edit unchanged', () => {
    for (const c of CASES) {
      it(`${c.name}: replace_in_file`, async () => {
        tally.add('tried');
        fs.writeFileSync(file('f.txt'), c.encode(c.before));
        const result = await runTool('replace_in_file', { path: 'f.txt', old_string: 'OLD', new_string: 'NEW' }, ctx);
        assert.equal(result.ok, true, result.output);
        assert.deepEqual(fs.readFileSync(file('f.txt')), c.encode(c.after));
        tally.add('exact');
      });

      it(`${c.name}: read_file then write_file of the edited text`, async () => {
        tally.add('tried');
        fs.writeFileSync(file('f.txt'), c.encode(c.before));
        const read = await runTool('read_file', { path: 'f.txt' }, ctx);
        assert.equal(read.ok, true, read.output);
        const result = await runTool('write_file', { path: 'f.txt', content: read.output.replace('OLD', 'NEW') }, ctx);
        assert.equal(result.ok, true, result.output);
        assert.deepEqual(fs.readFileSync(file('f.txt')), c.encode(c.after));
        tally.add('exact');
      });
    }

    it('CRLF files stay CRLF when the model writes LF; multi-line old_string written with LF still matches', async () => {
      tally.add('tried', 2);
      fs.writeFileSync(file('w.txt'), 'a\r\nOLD\r\nc\r\n');
      await runTool('write_file', { path: 'w.txt', content: 'a\nNEW\nc\n' }, ctx);
      assert.deepEqual(fs.readFileSync(file('w.txt')), Buffer.from('a\r\nNEW\r\nc\r\n'));
      fs.writeFileSync(file('r.txt'), 'a\r\nb\r\nc\r\n');
      const r = await runTool('replace_in_file', { path: 'r.txt', old_string: 'a\nb', new_string: 'a\nB\nb' }, ctx);
      assert.equal(r.ok, true, r.output);
      assert.deepEqual(fs.readFileSync(file('r.txt')), Buffer.from('a\r\nB\r\nb\r\nc\r\n'));
      tally.add('exact', 2);
    });

    it('a legacy-encoded file refuses characters its encoding cannot hold, and stays unchanged', async () => {
      tally.add('tried');
      const original = gbk('// 中文\nOLD\n');
      fs.writeFileSync(file('g.c'), original);
      const result = await runTool('replace_in_file', { path: 'g.c', old_string: 'OLD', new_string: '新しい' }, ctx);
      assert.equal(result.ok, false);
      assert.match(result.output, /not UTF-8.*nothing was written/);
      assert.deepEqual(fs.readFileSync(file('g.c')), original);
      tally.add('exact');
    });
  });

  describe('size', () => {
    it('a 100 MB file: read_file returns its start, flagged, with bounded memory; replace_in_file changes nothing', async () => {
      tally.add('tried');
      // Sparse: 1 MiB of text, then a hole up to 100 MiB — quick to make, real to read.
      const fd = fs.openSync(file('huge.log'), 'w');
      fs.writeSync(fd, Buffer.from('log line OLD\n'.repeat(MiB / 13)));
      fs.ftruncateSync(fd, 100 * MiB);
      fs.closeSync(fd);
      global.gc?.();
      const heap = process.memoryUsage().heapUsed;
      const rss = process.memoryUsage().rss;
      const read = await runTool('read_file', { path: 'huge.log' }, ctx);
      const grew = (process.memoryUsage().rss - rss) / MiB;
      assert.equal(read.ok, true, read.output.slice(0, 200));
      assert.match(read.output, /^log line OLD\n/);
      assert.match(read.output, /file truncated/);
      assert.ok(read.output.length < 300 * 1024, `${read.output.length} chars returned`);
      assert.ok(grew < 40 && (process.memoryUsage().heapUsed - heap) / MiB < 40, `memory grew ${grew.toFixed(0)} MiB`);
      const replaced = await runTool(
        'replace_in_file',
        { path: 'huge.log', old_string: 'OLD', new_string: 'NEW', replace_all: true },
        ctx,
      );
      assert.equal(replaced.ok, false);
      assert.match(replaced.output, /too large to edit in place; nothing was changed/);
      assert.equal(fs.statSync(file('huge.log')).size, 100 * MiB);
      tally.add('bounded');
    });

    it('a 50 MB single-line file of 3-byte characters: cut cleanly, never mid-character', async () => {
      tally.add('tried');
      fs.writeFileSync(file('line.txt'), Buffer.alloc(50 * MiB, '€'));
      const read = await runTool('read_file', { path: 'line.txt' }, ctx);
      assert.equal(read.ok, true);
      const content = read.output.split('\n')[0];
      assert.match(content, /^€+$/u, 'only whole characters, no U+FFFD at the cut');
      assert.ok(content.length < 100_000);
      const written = await runTool('replace_in_file', { path: 'line.txt', old_string: '€', new_string: 'x' }, ctx);
      assert.equal(written.ok, false, 'a file too large to read whole is not edited from its start');
      tally.add('bounded');
    });
  });

  describe('binary files', () => {
    const PNG = Buffer.from(
      '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
        '1f15c4890000000d4944415478da63fcffff3f0300050001ff' +
        'a5f645400000000049454e44ae426082',
      'hex',
    );
    const BINARIES: Array<[string, Buffer]> = [
      ['image.png', PNG],
      ['nul.txt', Buffer.from('text\u0000more text', 'latin1')],
      ['late-nul.txt', Buffer.concat([Buffer.alloc(5000, 'a'), Buffer.from([0]), Buffer.alloc(10, 'b')])],
      ['a.out', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0])],
    ];
    it('are refused for reading and for in-place edits, and stay byte for byte', async () => {
      for (const [name, bytes] of BINARIES) {
        fs.writeFileSync(file(name), bytes);
        for (const [tool, args] of [
          ['read_file', { path: name }],
          ['replace_in_file', { path: name, old_string: 'a', new_string: 'b' }],
        ] as const) {
          tally.add('tried');
          const result = await runTool(tool, args, ctx);
          assert.equal(result.ok, false, `${tool} ${name}`);
          assert.match(result.output, /binary file/);
          assert.deepEqual(fs.readFileSync(file(name)), bytes);
          tally.add('refused');
        }
      }
    });
  });

  describe('listing', () => {
    it('a 10,000-file tree: list_files stays bounded and says so', async () => {
      tally.add('tried');
      for (let d = 0; d < 100; d++) {
        fs.mkdirSync(file(`d${d}`));
        for (let f = 0; f < 100; f++) fs.writeFileSync(file(`d${d}/f${f}.ts`), '');
      }
      const result = await runTool('list_files', { recursive: true }, ctx);
      assert.equal(result.ok, true);
      const lines = result.output.split('\n');
      assert.ok(lines.length <= 2001, `${lines.length} lines`);
      assert.match(lines[lines.length - 1], /listing truncated/);
      const sub = await runTool('list_files', { path: 'd42' }, ctx);
      assert.equal(sub.output.split('\n').length, 100);
      tally.add('bounded');
    });

    it('symlink loops: list_files terminates, and reading through a loop is a clear refusal', async () => {
      fs.mkdirSync(file('a/b'), { recursive: true });
      fs.writeFileSync(file('a/b/real.txt'), 'x');
      fs.symlinkSync('../..', file('a/b/up'));
      fs.symlinkSync('.', file('a/here'));
      fs.symlinkSync('self', file('self'));
      fs.symlinkSync('ping', file('pong'));
      fs.symlinkSync('pong', file('ping'));
      tally.add('tried');
      const result = await runTool('list_files', { recursive: true }, ctx);
      assert.equal(result.ok, true);
      assert.ok(result.output.split('\n').length < 20, result.output);
      assert.match(result.output, /a\/b\/real\.txt/);
      tally.add('bounded');
      for (const p of ['self', 'ping', 'self/x.txt', 'a/b/up/a/b/up/a/b/real.txt']) {
        tally.add('tried');
        const read = await runTool('read_file', { path: p }, ctx);
        if (p.startsWith('a/')) assert.equal(read.output, 'x', 'a link loop that resolves inside is just a path');
        else {
          assert.equal(read.ok, false, p);
          assert.ok(read.output.length < 500, read.output);
          const write = await runTool('write_file', { path: p, content: 'y' }, ctx);
          assert.equal(write.ok, false, `write ${p}: ${write.output}`);
        }
        tally.add('bounded');
      }
    });
  });
});
