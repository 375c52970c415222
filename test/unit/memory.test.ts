import assert from 'node:assert/strict';
import type { ChatMessage } from '../../src/core/model/chat';
import { digest, modelSummariser, SummaryBufferMemory } from '../../src/core/run/memory';
import { estimateMessagesTokens } from '../../src/core/text/tokens';
import { ScriptedChatModel } from '../support/scripted-chat-model';

const PINNED: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful worker.' },
  { role: 'user', content: 'ORIGINAL REQUEST: add a --verbose flag and tests for it.' },
];

function turn(i: number): ChatMessage[] {
  return [
    {
      role: 'assistant',
      content: '',
      toolCalls: [{ id: `c${i}`, name: 'read_file', arguments: JSON.stringify({ path: `src/file${i}.ts` }) }],
    },
    { role: 'tool', toolCallId: `c${i}`, name: 'read_file', content: `contents of file ${i} `.repeat(30) },
  ];
}

describe('summary-buffer memory', () => {
  it('keeps everything verbatim while under budget', async () => {
    const memory = new SummaryBufferMemory({ maxTokens: 5000, pinned: PINNED });
    memory.add(...turn(1));
    const messages = await memory.messages();
    assert.equal(messages.length, 4);
    assert.equal(memory.summary, undefined);
  });

  it('summarises older turns with the model under the budget, pinned request and recent turn verbatim', async () => {
    const model = new ScriptedChatModel([{ content: '<think>…</think>Read files 1-8; nothing changed yet.' }]);
    const memory = new SummaryBufferMemory({ maxTokens: 900, pinned: PINNED, summarise: modelSummariser(model) });
    for (let i = 1; i <= 10; i++) memory.add(...turn(i));
    const messages = await memory.messages();
    assert.ok(estimateMessagesTokens(messages) <= 900, `${estimateMessagesTokens(messages)} tokens`);
    assert.deepEqual(messages.slice(0, 2), PINNED);
    assert.match(
      messages[2].content,
      /Summary of the earlier conversation[\s\S]*Read files 1-8; nothing changed yet\./,
    );
    assert.deepEqual(messages.slice(-2), turn(10), 'the latest turn is verbatim');
    assert.ok(memory.summarised > 0);
    assert.match(model.requests[0].messages[1].content, /src\/file1\.ts/, 'the model saw the condensed turns');
    // Tool results are never separated from the call they answer.
    for (let i = 3; i < messages.length; i++) {
      if (messages[i].role === 'tool') assert.equal(messages[i - 1].toolCalls?.[0]?.id, messages[i].toolCallId);
    }
  });

  it('falls back to a deterministic digest when the model fails, and folds the previous summary in', async () => {
    const broken = new ScriptedChatModel([{ error: new Error('connection refused') }]);
    const memory = new SummaryBufferMemory({
      maxTokens: 1200,
      pinned: PINNED,
      summarise: modelSummariser(broken, { retry: { maxAttempts: 1 } }),
    });
    for (let i = 1; i <= 6; i++) memory.add(...turn(i));
    await memory.messages();
    const first = memory.summary ?? '';
    assert.match(first, /assistant called read_file\(path=src\/file1\.ts\)/);
    for (let i = 7; i <= 12; i++) memory.add(...turn(i));
    const messages = await memory.messages();
    assert.ok(estimateMessagesTokens(messages) <= 1200);
    assert.match(memory.summary ?? '', /file1\.ts|file2\.ts/, 'the earlier summary is not lost');
    assert.match(memory.summary ?? '', /file7\.ts/);
  });

  it('cuts a single oversized turn to fit instead of exceeding the context', async () => {
    const memory = new SummaryBufferMemory({ maxTokens: 400, pinned: PINNED });
    memory.add({ role: 'assistant', content: 'x'.repeat(30_000) });
    const messages = await memory.messages();
    assert.ok(estimateMessagesTokens(messages) <= 400, `${estimateMessagesTokens(messages)} tokens`);
    assert.match(messages.at(-1)?.content ?? '', /omitted to fit/);
  });

  it('digest is bounded and deterministic', () => {
    const messages = Array.from({ length: 200 }, (_, i) => ({
      role: 'user' as const,
      content: `message ${i} `.repeat(50),
    }));
    const a = digest(messages, 'before', 200);
    assert.equal(a, digest(messages, 'before', 200));
    assert.ok(a.length < 200 * 3 + 200);
    assert.ok(a.startsWith('before'));
  });
});
