import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/config';
import { readYamlSettings } from '../../src/config/yaml-source';

describe('config .rozet.yaml', () => {
  it('accepts nested keys', () => {
    const { values, problems } = readYamlSettings(
      'worker:\n  model: llama3.1:8b\n  maxSteps: 40\nollama:\n  numCtx: 32768\n',
    );
    assert.deepEqual(values, {
      'rozet.worker.model': 'llama3.1:8b',
      'rozet.worker.maxSteps': 40,
      'rozet.ollama.numCtx': 32768,
    });
    assert.deepEqual(problems, []);
  });

  it('accepts flat keys with and without the rozet. prefix', () => {
    const { values, problems } = readYamlSettings('rozet.worker.model: a\norchestrator.model: b\ntemperature: 0.2\n');
    assert.deepEqual(values, { 'rozet.worker.model': 'a', 'rozet.orchestrator.model': 'b', 'rozet.temperature': 0.2 });
    assert.deepEqual(problems, []);
  });

  it('accepts a top-level rozet: mapping and mixes of flat and nested', () => {
    const { values, problems } = readYamlSettings(
      'rozet:\n  worker:\n    provider: openai\n  models.exclude: ["*embed*"]\n',
    );
    assert.deepEqual(values, { 'rozet.worker.provider': 'openai', 'rozet.models.exclude': ['*embed*'] });
    assert.deepEqual(problems, []);
  });

  it('warns when the same setting is written twice in different forms', () => {
    const { values, problems } = readYamlSettings('worker:\n  model: first\nworker.model: second\n');
    assert.equal(values['rozet.worker.model'], 'second');
    assert.equal(problems.length, 1);
    assert.match(problems[0].message, /rozet\.worker\.model is set more than once/);
  });

  it('reports a syntax error with line and column, and ignores the whole file', () => {
    const text = 'worker:\n  model: ok\n  maxSteps: [1,\nollama.numCtx: 9000\n';
    const { values, problems } = readYamlSettings(text);
    assert.deepEqual(values, {});
    assert.equal(problems.length, 1);
    const [problem] = problems;
    assert.equal(problem.severity, 'error');
    assert.equal(problem.source, '.rozet.yaml');
    // Where the bracket that is never closed was opened, not where the parser gave up.
    assert.equal(problem.line, 3);
    assert.equal(problem.column, 13);
    assert.match(problem.message, /^\.rozet\.yaml line 3, column 13: .+ \(opened here and never closed\)\.$/);
    assert.equal(problem.fallback, 'The file was ignored; fix it to apply its settings.');
  });

  it('never points past the end of the file: an unclosed bracket or quote on the last line', () => {
    for (const [text, line, column] of [
      ['worker:\n  model: [unclosed\n', 2, 10],
      ['worker:\n  model: "unclosed', 2, 10],
      ['a: {x: 1\n\n\n', 1, 4],
    ] as const) {
      const [problem] = readYamlSettings(text).problems;
      assert.deepEqual([problem.line, problem.column], [line, column], `${JSON.stringify(text)}: ${problem.message}`);
      assert.ok(problem.line! <= text.split('\n').length, 'inside the file');
    }
  });

  it('knows where each value is written, for messages about it', () => {
    const { positions } = readYamlSettings('# x\nworker:\n  maxSteps: 900\nrozet.temperature: 3\n');
    assert.deepEqual(positions['rozet.worker.maxSteps'], { line: 3, column: 13 });
    assert.deepEqual(positions['rozet.temperature'], { line: 4, column: 20 });
  });

  it('reports duplicate keys as a syntax error at the second one', () => {
    const { problems } = readYamlSettings('temperature: 0\ntemperature: 1\n');
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].message, /line 2, column 1: Map keys must be unique/);
  });

  it('the resolver falls back to defaults when the file is broken, without throwing', () => {
    const resolved = resolveConfig({ yamlText: 'worker: {model: x\n' });
    assert.equal(resolved.values['rozet.worker.model'], 'qwen2.5-coder:14b-instruct');
    assert.equal(resolved.sources['rozet.worker.model'], 'default');
    assert.equal(resolved.problems.length, 1);
    assert.match(resolved.problems[0].message, /line \d+, column \d+/);
  });

  it('treats an empty file or one with only comments as setting nothing', () => {
    assert.deepEqual(readYamlSettings(''), { values: {}, positions: {}, problems: [] });
    assert.deepEqual(readYamlSettings('# nothing yet\n'), { values: {}, positions: {}, problems: [] });
  });

  it('rejects a file that is not a mapping', () => {
    const { values, problems } = readYamlSettings('- worker.model: x\n');
    assert.deepEqual(values, {});
    assert.match(problems[0].message, /must be a mapping of settings/);
  });

  it('refuses an alias bomb instead of expanding it', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i++)
      lines.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    const { values, problems } = readYamlSettings(lines.join('\n'));
    assert.deepEqual(values, {});
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'error');
  });

  it('warns about unknown keys by name, suggesting the close one', () => {
    const { values, problems } = readYamlSettings('worker:\n  modle: x\nmaxParalelWorkers: 3\ncolour: blue\n');
    assert.deepEqual(values, {});
    assert.deepEqual(
      problems.map((p) => [p.severity, p.key, p.message]),
      [
        [
          'warning',
          'worker.modle',
          'Unknown setting "worker.modle" in .rozet.yaml was ignored. Did you mean "worker.model"?',
        ],
        [
          'warning',
          'maxParalelWorkers',
          'Unknown setting "maxParalelWorkers" in .rozet.yaml was ignored. Did you mean "maxParallelWorkers"?',
        ],
        ['warning', 'colour', 'Unknown setting "colour" in .rozet.yaml was ignored.'],
      ],
    );
  });

  it('never echoes the value of an unknown key (it may be a pasted secret)', () => {
    const { problems } = readYamlSettings('openaiApiKey: sk-proj-abcdefghijklmnopqrstuvwxyz\n');
    assert.equal(problems.length, 1);
    assert.doesNotMatch(problems[0].message, /sk-proj/);
  });
});
