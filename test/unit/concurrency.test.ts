// Parallel workers writing through the real coordinator, tools, locks, ownership rule and
// NodeWorkspace. Each worker owns one declared file and edits it with read-modify-write
// edits (whichever spelling of the path it uses); every other turn it also tries to write
// a file another running worker owns, or a file no task declared that another one claimed.
// Over 8 × 70 writes: every own edit lands in order (no lost update, no torn file), and no
// write to another running task's file succeeds.
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
const TURNS = 70;
const END = '<!-- end -->';

/**
 * Worker k's model. Even turns insert "w<k>-<turn>" before the end marker of its own
 * file (replace_in_file: read, modify and write under the file's lock), spelling the
 * path one of four ways. Odd turns try another worker's file (the next one's, by
 * replace_in_file or write_file in turn) or the shared undeclared file.
 */
class EditingModel implements ChatModel {
  readonly provider = 'openaiCompatible' as const;
  readonly capabilities = { nativeTools: true, streaming: true, parallelSlots: WORKERS, contextTokens: 32768 };
  private turns = 0;
  constructor(readonly model: string) {}
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const worker = Number(/Task w(\d+)/.exec(request.messages[1].content)?.[1]);
    // Counted here, not from the messages: long histories are condensed.
    const turn = this.turns++;
    // Yield so the workers interleave at every step, as real network calls would.
    await new Promise((resolve) => setImmediate(resolve));
    if (turn >= TURNS) return { content: 'done', toolCalls: [], finishReason: 'stop', model: this.model };
    const call = (name: string, args: Record<string, unknown>): ChatResponse => ({
      content: '',
      toolCalls: [{ id: `c${turn}`, name, arguments: JSON.stringify(args) }],
      finishReason: 'tool_calls',
      model: this.model,
    });
    if (turn % 2 === 0) {
      const own = [`data/f${worker}.md`, `./data/f${worker}.md`, `alias/f${worker}.md`, `data/../data/f${worker}.md`][
        worker % 4
      ];
      return call('replace_in_file', { path: own, old_string: END, new_string: `w${worker}-${turn}\n${END}` });
    }
    const other = `data/f${(worker + 1) % WORKERS}.md`;
    const line = `INTRUDER w${worker}-${turn}\n`;
    switch (turn % 6) {
      case 1:
        return call('replace_in_file', { path: other, old_string: END, new_string: `${line}${END}` });
      case 3:
        return call('write_file', { path: other, content: line });
      default:
        return call('replace_in_file', {
          path: 'data/shared.md',
          old_string: END,
          new_string: `w${worker}-${turn}\n${END}`,
        });
    }
  }
}

describe('concurrency: parallel workers, owned files', function () {
  this.timeout(60_000);
  const tally = new Tally('concurrency');
  tally.report();
  let root: string;
  beforeEach(() => {
    root = tempDir('rozet-conc-');
    fs.mkdirSync(path.join(root, 'data'));
    fs.symlinkSync('data', path.join(root, 'alias'));
    for (let f = 0; f < WORKERS; f++) fs.writeFileSync(path.join(root, 'data', `f${f}.md`), `# file ${f}\n${END}\n`);
    fs.writeFileSync(path.join(root, 'data', 'shared.md'), `# shared\n${END}\n`);
  });
  afterEach(() => removeDir(root));

  it(`${WORKERS} workers × ${TURNS} writes: own edits all land in order, writes to files others own never do`, async () => {
    const tasks = Array.from({ length: WORKERS }, (_, k) => ({
      id: `w${k}`,
      title: `Task w${k}`,
      description: '',
      dependsOn: [],
      files: [`data/f${k}.md`],
    }));
    let running = 0;
    let peak = 0;
    const coordinator = new Coordinator({
      plan: { tasks },
      // One model per task (the coordinator asks once per task), so each counts its own turns.
      resolveModel: () => new EditingModel('editor'),
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: WORKERS, maxSteps: TURNS + 1, memoryMaxTokens: 4000 },
      summaries: 'digest',
      onEvent: (e) => {
        if (e.type === 'task.started') peak = Math.max(peak, ++running);
        if (e.type === 'task.succeeded' || e.type === 'task.failed') running--;
      },
    });
    const summary = await coordinator.run();
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    assert.equal(peak, WORKERS, 'all workers ran at once');

    const calls = summary.tasks.flatMap((t) => t.toolCalls.map((c) => ({ task: t.id, call: c })));
    const args = (c: (typeof calls)[number]) => c.call.args as { path: string };
    const own = calls.filter((c) => args(c).path.endsWith(`f${c.task.slice(1)}.md`));
    const foreign = calls.filter((c) => /data\/f\d\.md$/.test(args(c).path) && !own.includes(c));
    const shared = calls.filter((c) => args(c).path === 'data/shared.md');
    tally.add('writes tried', calls.length);
    tally.add("writes to another running task's file", foreign.length);
    assert.ok(calls.length >= 500, `at least 500 writes (${calls.length})`);

    assert.deepEqual(
      own.filter((c) => !c.call.ok).map((c) => c.call.summary),
      [],
      'every edit of a worker to its own file applied',
    );
    const landed = foreign.filter((c) => c.call.ok);
    assert.deepEqual(landed, [], "no write to another running task's file succeeded");
    for (const c of foreign) {
      const owner = `w${(Number(c.task.slice(1)) + 1) % WORKERS}`;
      assert.match(
        c.call.summary,
        new RegExp(
          `belongs to ${owner} \\("Task ${owner}"\\), which (runs beside this task|this task does not depend on)`,
        ),
      );
    }

    for (let f = 0; f < WORKERS; f++) {
      const lines = fs.readFileSync(path.join(root, 'data', `f${f}.md`), 'utf8').split('\n');
      const expected = [`# file ${f}`];
      for (let i = 0; i < TURNS; i += 2) expected.push(`w${f}-${i}`);
      assert.deepEqual(lines, [...expected, END, ''], `file ${f}: exactly its owner's edits, in order, nothing else`);
      tally.add('writes checked', expected.length - 1);
    }

    // The undeclared file: claimed by the first worker to write it; nobody else got in.
    const writers = new Set(shared.filter((c) => c.call.ok).map((c) => c.task));
    assert.equal(writers.size, 1, `one claimer (${[...writers].join(', ')})`);
    const [claimer] = writers;
    const sharedLines = fs
      .readFileSync(path.join(root, 'data', 'shared.md'), 'utf8')
      .split('\n')
      .slice(1, -2);
    assert.ok(sharedLines.length > 0 && sharedLines.every((l) => l.startsWith(`${claimer}-`)), sharedLines.join(','));
    for (const c of shared.filter((c) => !c.call.ok))
      assert.match(
        c.call.summary,
        new RegExp(`being written by ${claimer}|written by ${claimer} .*after this task started`),
      );

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
