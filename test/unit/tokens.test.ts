// The token estimate must over-count real tokenizers on the text workers mostly send, so
// budgets built on it keep requests inside a model's context; on digit-dense and
// random-looking text it may under-count by a bounded amount (documented in
// src/core/text/tokens.ts).
// Checked against gpt-tokenizer (o200k, GPT-4o's).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { estimateTokens, truncateToTokens } from '../../src/core/text/tokens';

const REPO = join(__dirname, '..', '..');

const OVER_COUNTED: Record<string, string> = {
  prose:
    'Rozet turns one request into a task tree and runs the tasks with worker agents in parallel where they do not depend on each other. '.repeat(
      20,
    ),
  typescript: readFileSync(join(REPO, 'src', 'core', 'run', 'coordinator.ts'), 'utf8'),
  json: readFileSync(join(REPO, 'package.json'), 'utf8'),
  markdown: readFileSync(join(REPO, 'README.md'), 'utf8'),
  transcript: readFileSync(
    join(REPO, 'test', 'fixtures', 'provider-transcripts', 'messy-deepseek-r1-think-1.txt'),
    'utf8',
  ),
  chinese: '把这个函数拆分成两个更小的函数，并为每个函数添加单元测试。'.repeat(30),
  emoji: '✅ done 🚀 shipped 🐛 fixed '.repeat(50),
};

const DENSE: Record<string, string> = {
  log: Array.from(
    { length: 200 },
    (_, i) =>
      `2026-11-25T16:${String(i % 60).padStart(2, '0')}:00Z INFO worker[t${i}] write_file src/file${i}.ts ok (12 ms)`,
  ).join('\n'),
  csv: Array.from({ length: 200 }, (_, i) => `${i},${i * 3.14},${i % 7},x${i}`).join('\n'),
  hex: Array.from({ length: 300 }, (_, i) => ((i * 2654435761) >>> 0).toString(16)).join(' '),
  base64: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 31) % 256)).toString('base64'),
};

describe('token estimate', () => {
  for (const [name, text] of Object.entries(OVER_COUNTED)) {
    it(`over-counts ${name} against o200k, within 3×`, () => {
      const real = countTokens(text);
      const estimate = estimateTokens(text);
      assert.ok(estimate >= real, `${name}: estimate ${estimate} < real ${real}`);
      // Conservative, not absurd: an estimate far above the truth wastes the context.
      assert.ok(estimate <= real * 3, `${name}: estimate ${estimate} is over 3× the real ${real}`);
    });
  }

  for (const [name, text] of Object.entries(DENSE)) {
    it(`under-counts dense ${name} by no more than about half`, () => {
      const real = countTokens(text);
      const estimate = estimateTokens(text);
      assert.ok(estimate >= real * 0.45, `${name}: estimate ${estimate} is under 45% of the real ${real}`);
    });
  }

  it('truncates to a budget the real tokenizer agrees with, keeping head, tail and a note', () => {
    const source = OVER_COUNTED.typescript;
    const { text, truncated } = truncateToTokens(source, 500, 'the file');
    assert.equal(truncated, true);
    assert.ok(countTokens(text) <= 500, `${countTokens(text)} real tokens`);
    assert.match(text, /characters of the file omitted/);
    assert.ok(text.startsWith(source.slice(0, 100)));
    assert.ok(text.endsWith(source.slice(-50)));
  });
});
