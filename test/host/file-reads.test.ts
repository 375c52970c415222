// read_file inside VS Code follows the same rules as the CLI's workspace (one module,
// src/core/workspace/file-content.ts): the same size cut, whether or not the file is open
// in an editor, with one truncation note; the same binary sniff, which lets UTF-16 text
// through.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { MAX_READ_BYTES } from '../../src/core/workspace/file-content';
import type { Plan } from '../../src/core/plan/plan';
import {
  fileUri,
  revertAndCloseAllEditors,
  runPlan,
  toolMessages,
  toolResults,
  useScriptedModels,
  workerRequests,
  type ScriptedModels,
} from './helpers';

const LINE = 'a line of a large log file\n';
const BIG_TEXT = LINE.repeat(Math.ceil((MAX_READ_BYTES * 2.5) / LINE.length));
// One read per task: a large result in a worker's memory would push earlier turns out.
const READS = {
  big: { title: 'Read the big log', path: 'reads/big.log' },
  utf16: { title: 'Read the UTF-16 notes', path: 'reads/utf16.txt' },
  binary: { title: 'Read the photo', path: 'reads/photo.bin' },
  open: { title: 'Read the log open in an editor', path: 'reads/open.log' },
};

const truncationNotes = (text: string) => text.match(/file truncated/g)?.length ?? 0;

function plan(...reads: Array<keyof typeof READS>): Plan {
  return {
    tasks: reads.map((read, i) => ({
      id: `t${i + 1}`,
      title: READS[read].title,
      description: `${READS[read].title}.`,
      dependsOn: [],
      files: [],
    })),
  };
}

/** What the model was shown as the result of the task's one read_file call. */
function shownToModel(models: ScriptedModels, read: keyof typeof READS): string {
  const [, afterRead] = workerRequests(models.server, READS[read].title);
  assert.ok(afterRead, `the "${READS[read].title}" worker made no request after read_file`);
  return toolMessages(afterRead).at(-1) ?? '';
}

describe('file reads', () => {
  let models: ScriptedModels;
  before(async () => {
    models = await useScriptedModels({
      agent: Object.values(READS).map(({ title, path }) => ({
        match: title,
        hasTools: true,
        steps: [
          { kind: 'tools' as const, calls: [{ name: 'read_file', arguments: { path } }] },
          { kind: 'text' as const, text: 'Read it.' },
        ],
      })),
    });
    const write = (path: string, bytes: Uint8Array) => vscode.workspace.fs.writeFile(fileUri(path), bytes);
    await write(READS.big.path, new TextEncoder().encode(BIG_TEXT));
    await write(READS.open.path, new TextEncoder().encode(BIG_TEXT));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo wörld\n', 'utf16le')]);
    await write(READS.utf16.path, new Uint8Array(utf16));
    await write(READS.binary.path, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
  });

  it('cuts a large file at the shared limit with one note, reads UTF-16 text and refuses binary', async () => {
    const { summary, events } = await runPlan(plan('big', 'utf16', 'binary'));
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    const results = new Map(toolResults(events).map((record) => [(record.args as { path: string }).path, record]));
    const big = results.get(READS.big.path)!;
    assert.equal(big.ok, true, big.summary);
    assert.ok(
      big.resultBytes > MAX_READ_BYTES - LINE.length && big.resultBytes < MAX_READ_BYTES + 200,
      `read_file returned ${big.resultBytes} bytes of a ${BIG_TEXT.length}-byte file; the limit is ${MAX_READ_BYTES}`,
    );
    const bigShown = shownToModel(models, 'big');
    assert.ok(bigShown.startsWith(LINE), 'the cut keeps the start of the file');
    assert.equal(truncationNotes(bigShown), 1, `one truncation note, not ${truncationNotes(bigShown)}`);

    const utf16 = results.get(READS.utf16.path)!;
    assert.equal(utf16.ok, true, utf16.summary);
    assert.equal(shownToModel(models, 'utf16'), 'héllo wörld\n');

    const binary = results.get(READS.binary.path)!;
    assert.equal(binary.ok, false);
    assert.match(binary.summary, /binary file/);
  });

  it('cuts a file open in an editor the same way', async () => {
    await vscode.window.showTextDocument(fileUri(READS.open.path));
    const { summary, events } = await runPlan(plan('open'));
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    const [read] = toolResults(events);
    assert.ok(read.resultBytes < MAX_READ_BYTES + 200, `read_file returned ${read.resultBytes} bytes`);
    assert.equal(truncationNotes(shownToModel(models, 'open')), 1);
  });
});
