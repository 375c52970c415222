import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelError, type ChatModel } from '../../src/core/model/chat';
import type { Task } from '../../src/core/plan/plan';
import { folderSearch } from '../../src/core/search/workspace-search';
import { TOOL_SPECS } from '../../src/core/tools/tools';
import { parseTextToolCalls } from '../../src/core/run/text-tool-calls';
import { runWorker, type WorkerOptions } from '../../src/core/run/worker';
import { ScriptedChatModel } from '../support/scripted-chat-model';
import { removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

const TASK: Task = {
  id: 't1',
  title: 'Write hello',
  description: 'Create hello.txt saying hi',
  dependsOn: [],
  files: ['hello.txt'],
};

describe('worker', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  const run = (model: ChatModel, extra: Partial<WorkerOptions> = {}) =>
    runWorker({
      task: TASK,
      model,
      dependencies: [],
      tools: toolContext(root),
      maxSteps: 8,
      idleTimeoutMs: 2000,
      memoryMaxTokens: 6000,
      retry: { baseDelayMs: 5, maxAttempts: 3 },
      ...extra,
    });

  it('with a search, offers search_files and find_files and tells the model to search before reading', async () => {
    for (const nativeTools of [true, false]) {
      const model = new ScriptedChatModel([{ content: 'Done.' }], 'scripted', { nativeTools });
      const result = await run(model, { tools: toolContext(root, { search: folderSearch(root, null) }) });
      assert.equal(result.status, 'succeeded');
      const system = model.requests[0].messages[0].content;
      assert.match(system, /search before you read: search_files finds text/);
      if (nativeTools)
        assert.deepEqual(
          model.requests[0].tools?.map((t) => t.name),
          TOOL_SPECS.map((t) => t.name),
        );
      else assert.match(system, /- find_files: Find files whose path matches a glob/);
    }
  });

  it('runs native tool calls until the model answers, recording every call', async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hi\n' } }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'hello.txt' } }] },
      { content: 'Created hello.txt.' },
    ]);
    const result = await run(model);
    assert.equal(result.status, 'succeeded');
    assert.equal(result.result, 'Created hello.txt.');
    assert.equal(fs.readFileSync(path.join(root, 'hello.txt'), 'utf8'), 'hi\n');
    assert.deepEqual(result.filesChanged, ['hello.txt']);
    assert.deepEqual(
      result.toolCalls.map((r) => [r.name, r.ok, r.resultBytes > 0, r.fileChanged]),
      [
        ['write_file', true, true, 'hello.txt'],
        ['read_file', true, true, undefined],
      ],
      'each record names the file its call wrote',
    );
    assert.deepEqual(result.toolCalls[1].args, { path: 'hello.txt' });
    assert.deepEqual(
      model.requests[0].tools?.map((t) => t.name),
      ['read_file', 'write_file', 'replace_in_file', 'execute_bash', 'list_files'],
      'no search tools without a search',
    );
    const third = model.requests[2].messages;
    assert.equal(third[0].role, 'system');
    assert.match(third[0].content, new RegExp(root));
    assert.match(third[1].content, /Task t1: Write hello/);
    const toolMessage = third.find((m) => m.role === 'tool' && m.name === 'read_file');
    assert.equal(toolMessage?.content, 'hi\n');
    assert.equal(result.usage.promptTokens, 30);
  });

  it('speaks the text protocol to a model without native tools: tool/args, name/arguments, parameters, fenced or bare', async () => {
    const model = new ScriptedChatModel(
      [
        {
          content: 'I will create it.\n```json\n{"tool": "write_file", "args": {"path": "a.txt", "content": "A"}}\n```',
        },
        { content: '<think>next</think>{"name": "write_file", "arguments": {"path": "b.txt", "content": "B",}}' },
        { content: 'Now: {"name": "write_file", "parameters": "{\\"path\\": \\"c.txt\\", \\"content\\": \\"C\\"}"}' },
        { content: 'All three files are written.' },
      ],
      'small',
      { nativeTools: false },
    );
    const result = await run(model);
    assert.equal(result.status, 'succeeded', result.error);
    for (const f of ['a', 'b', 'c'])
      assert.equal(fs.readFileSync(path.join(root, `${f}.txt`), 'utf8'), f.toUpperCase());
    assert.equal(model.requests[0].tools, undefined);
    assert.match(model.requests[0].messages[0].content, /"tool": "read_file"/);
    const last = model.requests[3].messages;
    assert.match(last[last.length - 1].content, /Result of write_file:\nCreated c.txt/);
  });

  it('does not mistake ordinary JSON in a final answer for a tool call', () => {
    assert.deepEqual(parseTextToolCalls('Done. package.json now has {"name": "rozet", "version": "1.0.0"}'), []);
    assert.deepEqual(parseTextToolCalls('no json here'), []);
    assert.equal(
      parseTextToolCalls('[{"tool":"read_file","args":{"path":"a"}},{"tool":"list_files","args":{}}]').length,
      2,
    );
    assert.equal(
      parseTextToolCalls('{"function": {"name": "read_file", "arguments": "{\\"path\\": \\"x\\"}"}}')[0].arguments,
      '{"path":"x"}',
    );
  });

  it('returns unknown tools, bad argument types and broken JSON to the model as tool errors', async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: 'delete_everything', arguments: {} }] },
      { toolCalls: [{ name: 'list_files', arguments: { recursive: 'yes' } }] },
      { toolCalls: [{ name: 'read_file', arguments: 'not json at all' }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: '../../etc/passwd' } }] },
      { content: 'Giving up politely.' },
    ]);
    const result = await run(model);
    assert.equal(result.status, 'succeeded');
    assert.deepEqual(
      result.toolCalls.map((r) => r.ok),
      [false, false, false, false],
    );
    const tools = model.requests[4].messages.filter((m) => m.role === 'tool').map((m) => m.content);
    assert.match(tools[0], /Unknown tool "delete_everything"/);
    assert.match(tools[1], /Invalid arguments for list_files: recursive/);
    assert.match(tools[2], /not a JSON object/);
    assert.match(tools[3], /outside the workspace/);
  });

  it('fails at the step cap with that reason', async () => {
    let i = 0;
    const model = new ScriptedChatModel(() => ({
      toolCalls: [{ name: 'list_files', arguments: { path: '.', recursive: i++ % 2 === 0 } }],
    }));
    const result = await run(model, { maxSteps: 4 });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /Stopped after 4 model turns .*rozet.worker.maxSteps/);
    assert.equal(model.callCount, 4);
  });

  it('refuses a tool call repeated identically, then stops a model that keeps looping', async () => {
    const model = new ScriptedChatModel([{ toolCalls: [{ name: 'list_files', arguments: {} }] }]);
    const result = await run(model, { maxSteps: 20 });
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /kept repeating the same tool call \(list_files/);
    assert.deepEqual(
      result.toolCalls.map((r) => r.ok),
      [true, true, false, false],
    );
    assert.equal(model.callCount, 5);
  });

  it('nudges after an empty answer and fails after repeated empty answers', async () => {
    const recovering = new ScriptedChatModel([
      { content: '' },
      { content: '<think>hmm</think>' },
      { content: 'Done.' },
    ]);
    assert.equal((await run(recovering)).status, 'succeeded');
    assert.match(recovering.requests[1].messages.at(-1)?.content ?? '', /answer was empty/);
    const mute = new ScriptedChatModel([{ content: '   ' }]);
    const result = await run(mute);
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /empty content 3 times/);
  });

  it("applies no write from an answer cut off at the output limit (finish_reason 'length')", async () => {
    const model = new ScriptedChatModel([
      {
        toolCalls: [{ name: 'write_file', arguments: { path: 'half.txt', content: 'only the first ha' } }],
        finishReason: 'length',
      },
      { content: 'Sorry, stopping.' },
    ]);
    const result = await run(model);
    assert.equal(fs.existsSync(path.join(root, 'half.txt')), false);
    assert.equal(result.toolCalls[0].ok, false);
    assert.match(result.toolCalls[0].summary, /cut off/);
    assert.match(model.requests[1].messages.at(-1)?.content ?? '', /none of its tool calls was applied/);
  });

  it('an idle model times out and is retried; a slow model that keeps streaming is never cut off', async () => {
    const stalled = new ScriptedChatModel([{ delayMs: 400, content: 'late' }]);
    const failed = await run(stalled, { idleTimeoutMs: 80, retry: { maxAttempts: 2, baseDelayMs: 5 } });
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /sent no first token for/);
    assert.equal(stalled.callCount, 2, 'retried once before failing');

    const slow = new ScriptedChatModel([{ content: 'x'.repeat(20), fragments: 10, fragmentDelayMs: 50 }]);
    const started = Date.now();
    const ok = await run(slow, { idleTimeoutMs: 120 });
    assert.equal(ok.status, 'succeeded');
    assert.ok(Date.now() - started >= 400, 'the whole answer took longer than the idle timeout');
    assert.equal(slow.callCount, 1);
  });

  it('retries a 5xx and fails at once on an auth error', async () => {
    const flaky = new ScriptedChatModel([{ error: new ModelError('server', 'HTTP 503') }, { content: 'ok' }]);
    assert.equal((await run(flaky)).status, 'succeeded');
    const denied = new ScriptedChatModel([
      { error: new ModelError('auth', 'The key was rejected (401). Run "Rozet: Set API Key".') },
    ]);
    const result = await run(denied);
    assert.equal(result.status, 'failed');
    assert.match(result.error ?? '', /401/);
    assert.equal(denied.callCount, 1);
  });

  it('cancels in the middle of a tool call', async () => {
    const model = new ScriptedChatModel([
      { toolCalls: [{ name: 'execute_bash', arguments: { command: 'sleep 20' } }] },
      { content: 'never' },
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const result = await runWorker({
      task: TASK,
      model,
      dependencies: [],
      tools: toolContext(root, { signal: controller.signal }),
      maxSteps: 5,
      idleTimeoutMs: 2000,
      memoryMaxTokens: 6000,
    });
    assert.equal(result.status, 'cancelled');
    assert.ok(Date.now() - started < 1000);
    assert.equal(model.callCount, 1);
  });

  it('gives the model the results of the tasks it depends on', async () => {
    const model = new ScriptedChatModel([{ content: 'ok' }]);
    await run(model, { dependencies: [{ id: 't0', title: 'Design', result: 'Use port 8080.' }] });
    assert.match(model.requests[0].messages[1].content, /t0 \(Design\): Use port 8080\./);
  });

  it('keeps long loops inside the memory budget, the task pinned', async () => {
    fs.writeFileSync(path.join(root, 'big.txt'), 'lorem ipsum '.repeat(400));
    let n = 0;
    const model = new ScriptedChatModel(() =>
      n++ < 12
        ? { toolCalls: [{ name: 'execute_bash', arguments: { command: `cat big.txt; echo ${n}` } }] }
        : { content: 'done' },
    );
    const result = await run(model, { maxSteps: 20, memoryMaxTokens: 1500 });
    assert.equal(result.status, 'succeeded', result.error);
    for (const request of model.requests) {
      const tokens = request.messages.reduce(
        (s, m) =>
          s +
          4 +
          Math.ceil(m.content.length / 3) +
          (m.toolCalls ?? []).reduce((t, c) => t + 8 + Math.ceil((c.name.length + c.arguments.length) / 3), 0),
        0,
      );
      assert.ok(tokens <= 1500, `request of ${tokens} tokens`);
      assert.match(request.messages[1].content, /Task t1/);
    }
    assert.ok(model.requests.at(-1)?.messages.some((m) => m.content.startsWith('Summary of the earlier conversation')));
  });
});
