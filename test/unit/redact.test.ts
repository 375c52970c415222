import { strict as assert } from 'node:assert';
import { Redactor } from '../../src/core/text/redact';

describe('Redactor', () => {
  it('removes a known key wherever it occurs', () => {
    const r = new Redactor();
    r.addSecret('  my-local-secret-123  ');
    assert.equal(r.redact('key=my-local-secret-123; again my-local-secret-123'), 'key=[redacted]; again [redacted]');
  });

  it('masks key-shaped tokens it was never told about', () => {
    const r = new Redactor();
    const text = [
      'openrouter sk-or-v1-0123456789abcdef0123456789abcdef',
      'openai sk-proj-ABCDEFGHIJKLMNOPQRSTUVWX',
      'anthropic sk-ant-api03-abcdefghijklmnopqrstuvwxyz',
      'google AIzaSyA1234567890abcdefghijklmnopqrstu',
      'Authorization: Bearer abcdefghijklmnop1234',
    ].join('\n');
    const out = r.redact(text);
    assert.doesNotMatch(out, /0123456789abcdef|ABCDEFGHIJ|abcdefghijklmnopqrstuvwxyz|AIzaSy|abcdefghijklmnop1234/);
    assert.match(out, /Authorization: Bearer \[redacted\]/);
  });

  it('leaves ordinary text and short values alone', () => {
    const r = new Redactor();
    r.addSecret('abc');
    assert.equal(r.redact('abc sk-short task-list'), 'abc sk-short task-list');
  });

  it('redacts nested values without changing their shape', () => {
    const r = new Redactor();
    r.addSecret('supersecretvalue');
    const out = r.redactValue({ a: ['x supersecretvalue'], b: { c: 1, d: 'supersecretvalue' } });
    assert.deepEqual(out, { a: ['x [redacted]'], b: { c: 1, d: '[redacted]' } });
  });
});
