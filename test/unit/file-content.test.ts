// The read rules both workspaces share (src/core/workspace/file-content.ts); the VS Code
// side is exercised for real in test/host/file-reads.test.ts.
import assert from 'node:assert/strict';
import { headOfText, isBinary, MAX_READ_BYTES } from '../../src/core/workspace/file-content';

describe('file content rules', () => {
  it('a NUL byte among the first 8000 bytes means binary, one later does not', () => {
    const text = Buffer.alloc(9000, 'a');
    assert.equal(isBinary(text), false);
    assert.equal(isBinary(Buffer.concat([Buffer.alloc(7999, 'a'), Buffer.from([0])])), true);
    assert.equal(isBinary(Buffer.concat([Buffer.alloc(8000, 'a'), Buffer.from([0])])), false);
  });

  it('UTF-16 with a byte-order mark is text although it is full of NUL bytes', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hello', 'utf16le')]);
    const be = Buffer.from(le.subarray(2)).swap16();
    assert.equal(isBinary(le), false);
    assert.equal(isBinary(Buffer.concat([Buffer.from([0xfe, 0xff]), be])), false);
    assert.equal(isBinary(le.subarray(2)), true, 'without the mark it is not recognisably text');
  });

  it('cuts decoded text to the byte limit without splitting a character', () => {
    const text = 'é€😀'.repeat(50); // 2, 3 and 4 UTF-8 bytes; the emoji is two UTF-16 units
    for (let limit = 1; limit < 60; limit++) {
      const cut = headOfText(text, limit);
      assert.equal(cut.truncated, true);
      assert.ok(Buffer.byteLength(cut.text) <= limit, `${Buffer.byteLength(cut.text)} bytes for a limit of ${limit}`);
      assert.ok(text.startsWith(cut.text));
      assert.ok(!/[\ud800-\udbff]$/.test(cut.text), `a lone high surrogate at a limit of ${limit}`);
      assert.ok(Buffer.byteLength(cut.text) > limit - 4, 'as much as fits is kept');
    }
  });

  it('leaves text within the limit whole', () => {
    const exact = 'x'.repeat(MAX_READ_BYTES);
    assert.deepEqual(headOfText(exact, MAX_READ_BYTES), { text: exact, truncated: false });
    assert.equal(headOfText(`${exact}y`, MAX_READ_BYTES).text, exact);
    assert.deepEqual(headOfText('', MAX_READ_BYTES), { text: '', truncated: false });
  });
});
