import { strict as assert } from 'node:assert';
import { coalesceDeltas } from '../../src/core/run/coalesce-events';
import type { RunEvent } from '../../src/core/run/events';

const delta = (taskId: string, text: string, reasoning?: boolean): RunEvent => ({
  type: 'task.delta',
  runId: 'r',
  at: 0,
  taskId,
  text,
  reasoning,
});

describe('coalesceDeltas', () => {
  it('merges consecutive deltas of one task and keeps order across tasks and events', () => {
    const started: RunEvent = { type: 'task.started', runId: 'r', at: 0, taskId: 'b', model: 'm', attempt: 1 };
    const out = coalesceDeltas([delta('a', 'he'), delta('a', 'llo'), started, delta('b', 'x'), delta('a', '!')]);
    assert.deepEqual(
      out.map((e) => (e.type === 'task.delta' ? `${e.taskId}:${e.text}` : e.type)),
      ['a:hello', 'task.started', 'b:x', 'a:!'],
    );
  });

  it('does not merge reasoning into answer text', () => {
    const out = coalesceDeltas([delta('a', 'think', true), delta('a', 'answer')]);
    assert.equal(out.length, 2);
  });

  it('caps the text kept per task', () => {
    const out = coalesceDeltas([delta('a', 'abcdef'), delta('a', 'ghij'), delta('b', 'xyz')], 8);
    assert.deepEqual(
      out.map((e) => (e.type === 'task.delta' ? e.text : '')),
      ['abcdefgh', 'xyz'],
    );
  });
});
