// Issue 8 §3: parallel workers writing the same files through the real coordinator,
// tools, locks and NodeWorkspace: 8 workers × 50 read-modify-write edits over 5 shared
// files lose no update and tear no file, whichever spelling of a path each one uses.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/core/model/chat';
import { Coordinator } from '../../src/core/run/coordinator';
import { FileLocks } from '../../src/core/run/file-locks';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { runTool } from '../../src/core/tools/tools';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { Tally } from '../support/tally';

const WORKERS = 8;
const WRITES = 50;
const FILES = 5;
const END = '<!-- end -->';

/**
 * Worker k's model: turn i inserts line "w<k>-<i>" before the end marker of shared file
 * i % 5 (replace_in_file: read, modify and write under the file's lock), then answers.
 * Paths are spelt differently per worker, so lock keys must normalise them to one file.
 */
class EditingModel implements ChatModel {
  readonly provider = 'openaiCompatible' as const;
  readonly capabilities = { nativeTools: true, streaming: true, parallelSlots: WORKERS, contextTokens: 32768 };
  constructor(readonly model: string) {}
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const worker = Number(/Task w(\d+)/.exec(request.messages[1].content)?.[1]);
    const turn = request.messages.filter((m) => m.role === 'assistant').length;
    // Yield so the workers interleave at every step, as real network calls would.
    await new Promise((resolve) => setImmediate(resolve));
    if (turn >= WRITES) return { content: 'done', toolCalls: [], finishReason: 'stop', model: this.model };
    const spelling = [
      `data/f${turn % FILES}.md`,
      `./data/f${turn % FILES}.md`,
      `alias/f${turn % FILES}.md`,
      `data/../data/f${turn % FILES}.md`,
    ][worker % 4];
    const args = { path: spelling, old_string: END, new_string: `w${worker}-${turn}\n${END}` };
    return {
      content: '',
      toolCalls: [{ id: `c${turn}`, name: 'replace_in_file', arguments: JSON.stringify(args) }],
      finishReason: 'tool_calls',
      model: this.model,
    };
  }
}

describe('concurrency: parallel workers, shared files', function () {
  this.timeout(30_000);
  const tally = new Tally('concurrency');
  tally.report();
  let root: string;
  beforeEach(() => {
    root = tempDir('rozet-conc-');
    fs.mkdirSync(path.join(root, 'data'));
    fs.symlinkSync('data', path.join(root, 'alias'));
    for (let f = 0; f < FILES; f++) fs.writeFileSync(path.join(root, 'data', `f${f}.md`), `# file ${f}\n${END}\n`);
  });
  afterEach(() => removeDir(root));

  it(`${WORKERS} workers × ${WRITES} read-modify-write edits over ${FILES} files: no lost update, no torn file`, async () => {
    const tasks = Array.from({ length: WORKERS }, (_, k) => ({
      id: `w${k}`,
      title: `Task w${k}`,
      description: '',
      dependsOn: [],
      files: [],
    }));
    let running = 0;
    let peak = 0;
    const coordinator = new Coordinator({
      plan: { tasks },
      resolveModel: () => new EditingModel('editor'),
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: WORKERS, maxSteps: WRITES + 1, memoryMaxTokens: 4000 },
      summaries: 'digest',
      onEvent: (e) => {
        if (e.type === 'task.started') peak = Math.max(peak, ++running);
        if (e.type === 'task.succeeded' || e.type === 'task.failed') running--;
      },
    });
    const summary = await coordinator.run();
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    assert.equal(peak, WORKERS, 'all workers ran at once');
    const failedCalls = summary.tasks.flatMap((t) => t.toolCalls).filter((c) => !c.ok);
    assert.deepEqual(failedCalls, [], 'every edit applied');

    for (let f = 0; f < FILES; f++) {
      const lines = fs.readFileSync(path.join(root, 'data', `f${f}.md`), 'utf8').split('\n');
      assert.equal(lines[0], `# file ${f}`, 'header intact');
      assert.deepEqual(lines.slice(-2), [END, ''], 'end marker intact and last');
      const edits = lines.slice(1, -2);
      const expected: string[] = [];
      for (let k = 0; k < WORKERS; k++) for (let i = f; i < WRITES; i += FILES) expected.push(`w${k}-${i}`);
      assert.deepEqual(
        [...edits].sort(),
        expected.sort(),
        `file ${f}: exactly the expected edits, none lost or doubled`,
      );
      // Each worker's own edits to one file land in the order it made them.
      for (let k = 0; k < WORKERS; k++) {
        const own = edits.filter((l) => l.startsWith(`w${k}-`)).map((l) => Number(l.split('-')[1]));
        assert.deepEqual(
          own,
          [...own].sort((a, b) => a - b),
          `worker ${k} order in file ${f}`,
        );
      }
      tally.add('writes checked', edits.length);
    }
    assert.deepEqual(
      fs.readdirSync(path.join(root, 'data')).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left',
    );
  });

  it('concurrent whole-file writes of large contents never tear: the file is exactly one of them', async () => {
    const ctx = toolContext(root, { locks: new FileLocks() });
    const contents = Array.from({ length: 24 }, (_, i) => `${String(i).padStart(2, '0')}:`.repeat(64 * 1024));
    const spellings = ['data/big.txt', './data/big.txt', 'alias/big.txt', 'data//big.txt'];
    for (let round = 0; round < 5; round++) {
      const results = await Promise.all(
        contents.map((content, i) => runTool('write_file', { path: spellings[i % 4], content }, ctx)),
      );
      assert.ok(
        results.every((r) => r.ok),
        'every write succeeded',
      );
      const final = fs.readFileSync(path.join(root, 'data', 'big.txt'), 'utf8');
      assert.ok(contents.includes(final), 'the file is exactly one whole content');
      tally.add('writes checked', contents.length);
    }
  });
});
