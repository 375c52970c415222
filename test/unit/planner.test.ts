import { strict as assert } from 'node:assert';
import { ModelError } from '../../src/core/model/chat';
import { PlanRequestError, buildPlannerSystemPrompt, planTask } from '../../src/core/plan/planner';
import { estimateMessagesTokens } from '../../src/core/text/tokens';
import { ScriptedChatModel } from '../support/scripted-chat-model';

const VALID =
  '{"tasks":[{"id":"t1","title":"Add the flag","description":"Add --verbose","dependsOn":[],"files":["src/cli.ts"]},{"id":"t2","title":"Test the flag","description":"","dependsOn":["t1"],"files":["test/cli.test.ts"]}]}';
const CYCLE = '{"tasks":[{"id":"t1","title":"A","dependsOn":["t2"]},{"id":"t2","title":"B","dependsOn":["t1"]}]}';
const REQUEST = 'Add a --verbose flag to the CLI and tests for it';
const base = { maxTasks: 50, retry: { maxAttempts: 1 } };

const lastUser = (model: ScriptedChatModel, call: number) =>
  model.requests[call]?.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';

describe('planner: model answers', () => {
  it('returns the model plan for a valid answer, asking once with the request and the JSON shape', async () => {
    const model = new ScriptedChatModel([{ content: VALID }]);
    const result = await planTask(REQUEST, {}, { ...base, model, temperature: 0 });
    assert.equal(result.source, 'llm');
    assert.deepEqual(
      result.plan.tasks.map((t) => [t.id, t.dependsOn]),
      [
        ['t1', []],
        ['t2', ['t1']],
      ],
    );
    assert.deepEqual(result.notes, []);
    assert.equal(model.callCount, 1);
    const request = model.requests[0];
    assert.equal(request?.json, true);
    assert.equal(request?.temperature, 0);
    assert.match(request?.messages[0]?.content ?? '', /"dependsOn":\[\]/);
    assert.match(lastUser(model, 0), /Add a --verbose flag/);
  });

  it('parses a messy answer (think block, prose, fence, trailing comma, depends_on) and notes the repair', async () => {
    const messy =
      '<think>\nTwo tasks.\n</think>\nSure! Here is the plan:\n```json\n{"steps": [{"id": 1, "name": "Add the flag", "files": "src/cli.ts"}, {"id": 2, "name": "Test it", "depends_on": [1]},]}\n```\nHope this helps.';
    const model = new ScriptedChatModel([{ content: messy, fragments: 7 }]);
    const result = await planTask(REQUEST, {}, { ...base, model });
    assert.equal(result.source, 'llm');
    assert.deepEqual(
      result.plan.tasks.map((t) => [t.id, t.title, t.dependsOn]),
      [
        ['1', 'Add the flag', []],
        ['2', 'Test it', ['1']],
      ],
    );
    assert.match(result.notes.join(' '), /repaired/);
  });

  it('asks again quoting the validation error, and uses the corrected answer', async () => {
    const model = new ScriptedChatModel([{ content: CYCLE }, { content: VALID }]);
    const result = await planTask(REQUEST, {}, { ...base, model });
    assert.equal(result.source, 'llm');
    assert.equal(model.callCount, 2);
    assert.match(lastUser(model, 1), /could not be used: .*t1 → t2 → t1/);
    assert.equal(model.requests[1]?.messages.at(-2)?.role, 'assistant');
  });

  it('tells the model on the second ask that its answer was cut off at the output limit', async () => {
    const model = new ScriptedChatModel([{ content: '{"tasks": [', finishReason: 'length' }, { content: VALID }]);
    await planTask(REQUEST, {}, { ...base, model });
    assert.match(lastUser(model, 1), /cut off at the output limit/);
  });

  it('streams answer text to onDelta', async () => {
    const seen: string[] = [];
    const model = new ScriptedChatModel([{ content: VALID, fragments: 5 }]);
    await planTask(REQUEST, {}, { ...base, model, onDelta: (t) => seen.push(t) });
    assert.equal(seen.length, 5);
    assert.equal(seen.join(''), VALID);
  });
});

describe('planner: fallback reasons', () => {
  it('uses the fallback planner when no model is configured', async () => {
    const result = await planTask(REQUEST, {}, base);
    assert.equal(result.source, 'fallback');
    assert.match(result.reason ?? '', /No planner model is configured/);
    assert.ok(result.plan.tasks.length >= 2);
  });

  it('falls back on an auth error with the error message, without retrying', async () => {
    const error = new ModelError('auth', 'OpenRouter rejected the API key. Run "Rozet: Set API Key".', {
      status: 401,
      fix: { kind: 'apiKey', provider: 'openrouter' },
    });
    const model = new ScriptedChatModel([{ error }]);
    const result = await planTask(REQUEST, {}, { ...base, model, retry: { maxAttempts: 3, baseDelayMs: 1 } });
    assert.equal(result.source, 'fallback');
    assert.match(result.reason ?? '', /rejected the API key\. Run "Rozet: Set API Key"/);
    assert.match(result.reason ?? '', /simple plan/);
    assert.equal(model.callCount, 1);
  });

  it('hands the model failure behind a fallback to onModelError, so a UI can offer its fix', async () => {
    const error = new ModelError('auth', 'OpenRouter rejected the API key.', {
      status: 401,
      fix: { kind: 'apiKey', provider: 'openrouter' },
    });
    const seen: unknown[] = [];
    const result = await planTask(
      REQUEST,
      {},
      { ...base, model: new ScriptedChatModel([{ error }]), onModelError: (e) => seen.push(e) },
    );
    assert.equal(result.source, 'fallback');
    assert.deepEqual(seen, [error]);
  });

  it('falls back on a connection error after the bounded retries', async () => {
    const error = new ModelError('connection', 'Could not connect to http://127.0.0.1:11434. Is Ollama running?');
    const model = new ScriptedChatModel([{ error }]);
    const result = await planTask(REQUEST, {}, { ...base, model, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    assert.equal(result.source, 'fallback');
    assert.match(result.reason ?? '', /Is Ollama running\?/);
    assert.equal(model.callCount, 2);
  });

  it('falls back when the model stays silent past idleTimeoutMs', async () => {
    const model = new ScriptedChatModel([{ content: VALID, delayMs: 2000 }]);
    const started = Date.now();
    const result = await planTask(REQUEST, {}, { ...base, model, idleTimeoutMs: 40 });
    assert.equal(result.source, 'fallback');
    assert.match(result.reason ?? '', /sent no first token for/);
    assert.ok(Date.now() - started < 1000);
  });

  it('falls back when the answer is still invalid after asking again', async () => {
    const model = new ScriptedChatModel([{ content: 'I would start by adding the flag.' }, { content: CYCLE }]);
    const result = await planTask(REQUEST, {}, { ...base, model });
    assert.equal(result.source, 'fallback');
    assert.equal(model.callCount, 2);
    assert.match(result.reason ?? '', /even when asked again: .*t1 → t2 → t1/);
  });

  it('falls back instead of throwing on an unexpected provider error', async () => {
    const model = new ScriptedChatModel([{ error: new TypeError('fetch failed') }]);
    const result = await planTask(REQUEST, {}, { ...base, model });
    assert.equal(result.source, 'fallback');
    assert.match(result.reason ?? '', /fetch failed/);
  });
});

describe('planner: bad input and cancellation', () => {
  it('rejects an empty or whitespace request without calling the model', async () => {
    const model = new ScriptedChatModel([{ content: VALID }]);
    for (const request of ['', '   \n\t ']) {
      await assert.rejects(
        planTask(request, {}, { ...base, model }),
        (e: unknown) => e instanceof PlanRequestError && /request is empty/.test(e.message),
      );
    }
    assert.equal(model.callCount, 0);
  });

  it('rethrows cancellation as a cancelled ModelError instead of falling back', async () => {
    const model = new ScriptedChatModel([{ content: VALID, delayMs: 5000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(
      planTask(REQUEST, {}, { ...base, model, signal: controller.signal }),
      (e: unknown) => e instanceof ModelError && e.kind === 'cancelled',
    );
  });

  it('trims a request bigger than the model context and says so in the notes', async () => {
    const model = new ScriptedChatModel([{ content: VALID }], 'small', { contextTokens: 2048 });
    const huge = `Refactor the parser. ${'The parser must keep handling every edge case. '.repeat(2000)}END-OF-REQUEST`;
    const result = await planTask(huge, {}, { ...base, model });
    assert.equal(result.source, 'llm');
    assert.match(result.notes.join(' '), /request was too long .* shortened/);
    const sent = model.requests[0]?.messages ?? [];
    assert.ok(
      estimateMessagesTokens(sent) + (model.requests[0]?.maxOutputTokens ?? 0) <= 2048,
      `prompt too big: ${estimateMessagesTokens(sent)}`,
    );
    assert.match(lastUser(model, 0), /Refactor the parser[\s\S]*omitted[\s\S]*END-OF-REQUEST/);
  });

  it('honours an explicit contextTokens over the model capability', async () => {
    const model = new ScriptedChatModel([{ content: VALID }]);
    const result = await planTask(`Do it. ${'word '.repeat(5000)}`, {}, { ...base, model, contextTokens: 1500 });
    assert.match(result.notes.join(' '), /shortened/);
  });
});

describe('planner: prompt', () => {
  it('carries the selection with path and lines, the active file and a bounded file list', async () => {
    const model = new ScriptedChatModel([{ content: VALID }]);
    const workspaceFiles = Array.from({ length: 5000 }, (_, i) => `src/module${i}.ts`);
    await planTask(
      'Simplify this',
      {
        selection: { path: 'src/util.ts', startLine: 10, endLine: 20, text: 'function f() { return 1; }' },
        activeFile: 'src/util.ts',
        workspaceFiles,
        workspaceDescription: 'A TypeScript CLI.',
      },
      { ...base, model },
    );
    const prompt = lastUser(model, 0);
    assert.match(prompt, /Selected code in src\/util\.ts, lines 10–20:\nfunction f\(\)/);
    assert.match(prompt, /Active file: src\/util\.ts/);
    assert.match(prompt, /A TypeScript CLI\./);
    assert.match(prompt, /Workspace files \(5000\):\nsrc\/module0\.ts/);
    assert.match(prompt, /\(and 4800 more\)/);
    assert.ok(!prompt.includes('src/module4999.ts'));
  });

  it('states the task limit in the system prompt', () => {
    assert.match(buildPlannerSystemPrompt(7), /at most 7/);
  });
});
