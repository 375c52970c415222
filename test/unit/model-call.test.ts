// The clocks of a model call, through the real SDKs over HTTP: the wait for the first
// token has its own limit (a cold load, a server's queue), silence after it has the idle
// limit, and chunks without text, reasoning or a tool call are not tokens.
import assert from 'node:assert/strict';
import { ModelError, type ChatRequest } from '../../src/core/model/chat';
import { callModel } from '../../src/core/model/model-call';
import { createChatModel } from '../../src/providers';
import { startModelServer, type ModelServer } from '../support/model-server';

const ask: ChatRequest = { messages: [{ role: 'user', content: 'hi' }] };

for (const provider of ['ollama', 'openaiCompatible'] as const) {
  describe(`model call clocks (${provider})`, function () {
    this.timeout(20_000);
    let server: ModelServer;
    const model = () =>
      createChatModel({ provider, model: 'm', baseUrl: provider === 'ollama' ? server.url : `${server.url}/v1` });
    const once = { retry: { maxAttempts: 1 } };
    beforeEach(async () => {
      server = await startModelServer({ scenario: { models: ['m'] } });
    });
    afterEach(() => server.close());

    it('waits past the idle limit for a first token that is slow to come (a cold load)', async () => {
      server.script({ kind: 'text', text: 'loaded at last', headersDelayMs: 500, chunks: 2 });
      const answer = await callModel(model(), ask, { ...once, idleTimeoutMs: 150, firstTokenTimeoutMs: 5000 });
      assert.equal(answer.content, 'loaded at last');
    });

    it('gives up at the first-token limit, and says which limit and which setting', async () => {
      server.script({ kind: 'text', text: 'too late', firstTokenDelayMs: 3000 });
      const started = Date.now();
      await assert.rejects(
        callModel(model(), ask, { ...once, idleTimeoutMs: 5000, firstTokenTimeoutMs: 300 }),
        (e: ModelError) =>
          e.kind === 'timeout' &&
          /sent no first token for 0\.3 s/.test(e.message) &&
          /rozet\.worker\.firstTokenTimeoutSeconds/.test(e.message),
      );
      assert.ok(Date.now() - started < 2500);
    });

    it('chunks without text, reasoning or a tool call do not count as tokens', async () => {
      // Empty chunks every 100 ms for 2 s: a server that is not answering, only talking.
      server.script({ kind: 'text', text: 'never mind', emptyChunks: { count: 20, everyMs: 100 } });
      await assert.rejects(
        callModel(model(), ask, { ...once, idleTimeoutMs: 5000, firstTokenTimeoutMs: 500 }),
        (e: ModelError) => e.kind === 'timeout' && /first token/.test(e.message),
      );
    });

    it('after the first token, silence has the idle limit', async () => {
      server.script({ kind: 'text', text: 'starts then stalls', chunks: 4, stall: { afterChunks: 2, ms: 3000 } });
      await assert.rejects(
        callModel(model(), ask, { ...once, idleTimeoutMs: 300, firstTokenTimeoutMs: 10_000 }),
        (e: ModelError) =>
          e.kind === 'timeout' && /sent nothing for 0\.3 s in the middle of its answer/.test(e.message),
      );
    });
  });
}
