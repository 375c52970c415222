// Issue 8 §2: injected faults, through the real providers (openai and ollama SDKs over
// real HTTP to the scripted server) and the real run engine. Each fault must end in a
// clear message, no half-written file and — for a cancel — the run record kept.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import fsPromises from 'node:fs/promises';
import * as path from 'node:path';
import { ModelError, type ChatModel, type ModelErrorKind } from '../../src/core/model/chat';
import { Coordinator } from '../../src/core/run/coordinator';
import type { RunEvent } from '../../src/core/run/events';
import { callModel } from '../../src/core/model/model-call';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import type { Plan } from '../../src/core/plan/plan';
import { planTask } from '../../src/core/plan/planner';
import { runTool } from '../../src/core/tools/tools';
import { createChatModel, ModelPools } from '../../src/providers';
import { startModelServer, type ModelServer, type Reply } from '../support/model-server';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { goneWithin } from '../support/processes';
import { Tally } from '../support/tally';

type Provider = 'openai' | 'ollama';
const PROVIDERS: Provider[] = ['openai', 'ollama'];
const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 };
const OK: Reply = { kind: 'text', text: 'fine' };

function modelFor(provider: Provider, server: ModelServer | string): ChatModel {
  const url = typeof server === 'string' ? server : server.url;
  return provider === 'openai'
    ? new ModelPools().get({
        provider: 'openaiCompatible',
        model: 'm',
        baseUrl: `${url}/v1`,
        apiKey: 'sk-faults-0123456789abcdefghij',
        parallelRequests: 4,
      })
    : createChatModel({ provider: 'ollama', model: 'm', baseUrl: url });
}

const chatCount = (server: ModelServer) =>
  server.requests.filter((r) => r.route === 'openai.chat' || r.route === 'ollama.chat').length;

interface Fault {
  name: string;
  providers?: Provider[];
  replies: Reply[];
  /** The error that ends the call, or undefined when a retry (or patience) gets the answer. */
  kind?: ModelErrorKind;
  says?: RegExp;
  /** Chat requests the server must see: 1 = never retried. */
  requests: number;
  /** Error kind seen by onRetry, when the fault is retried. */
  retriedAs?: ModelErrorKind;
  idleTimeoutMs?: number;
  firstTokenTimeoutMs?: number;
  minMs?: number;
}

const FAULTS: Fault[] = [
  {
    name: '401',
    replies: [{ kind: 'error', status: 401, body: { error: { message: 'Invalid key' } } }],
    kind: 'auth',
    says: /rejected the API key.*Set API Key/s,
    requests: 1,
  },
  {
    name: '402',
    replies: [{ kind: 'error', status: 402, body: { error: { message: 'Insufficient credits' } } }],
    kind: 'credits',
    says: /lack of credits.*Switch Model/s,
    requests: 1,
  },
  {
    name: '404 (model)',
    replies: [
      { kind: 'error', status: 404, body: { error: { message: 'model "m" not found, try pulling it first' } } },
    ],
    kind: 'model_not_found',
    says: /"m"/,
    requests: 1,
  },
  {
    name: '405',
    replies: [{ kind: 'error', status: 405, body: 'Method Not Allowed' }],
    kind: 'method_not_allowed',
    says: /base URL is probably wrong/,
    requests: 1,
  },
  {
    name: '429 → retried after Retry-After',
    replies: [
      { kind: 'error', status: 429, body: { error: { message: 'slow down' } }, headers: { 'Retry-After': '1' } },
      OK,
    ],
    requests: 2,
    retriedAs: 'rate_limit',
    minMs: 1000,
  },
  {
    name: '429 ×3 → rate_limit',
    replies: [0, 1, 2].map(() => ({
      kind: 'error' as const,
      status: 429,
      body: { error: { message: 'slow down' } },
      headers: { 'retry-after-ms': '30' },
    })),
    kind: 'rate_limit',
    says: /rate/i,
    requests: 3,
  },
  {
    name: '500 → retried',
    replies: [{ kind: 'error', status: 500, body: { error: { message: 'boom' } } }, OK],
    requests: 2,
    retriedAs: 'server',
  },
  {
    name: '529 → retried',
    replies: [{ kind: 'error', status: 529, body: { error: { message: 'Overloaded' } } }, OK],
    requests: 2,
    retriedAs: 'server',
  },
  {
    name: '500 ×3 → server error',
    replies: [0, 1, 2].map(() => ({ kind: 'error' as const, status: 500, body: { error: { message: 'boom' } } })),
    kind: 'server',
    says: /500/,
    requests: 3,
  },
  { name: 'connection reset before an answer', replies: [{ kind: 'reset' }, OK], requests: 2, retriedAs: 'connection' },
  {
    name: 'stream cut mid-answer',
    replies: [{ kind: 'text', text: 'a long answer in pieces', chunks: 5, cutAfterChunks: 3 }, OK],
    requests: 2,
    retriedAs: 'stream_cut',
  },
  {
    name: 'stream cut every time',
    replies: [0, 1, 2].map(() => ({ kind: 'text' as const, text: 'abcdef', chunks: 4, cutAfterChunks: 2 })),
    kind: 'stream_cut',
    says: /broke off mid-stream; nothing from it was applied/,
    requests: 3,
  },
  {
    name: 'error event inside a 200 stream',
    replies: [
      {
        kind: 'text',
        text: 'abcdef',
        chunks: 4,
        streamError: { afterChunks: 2, message: 'Provider returned error', code: 502 },
      },
      OK,
    ],
    requests: 2,
    retriedAs: 'server',
  },
  {
    name: 'SSE comment / keep-alive lines',
    providers: ['openai'],
    replies: [{ kind: 'text', text: 'fine', comments: 8, delayMs: 5 }],
    requests: 1,
  },
  {
    name: 'stall past the idle timeout',
    // After the first token: before it, the first-token limit applies instead.
    replies: [{ kind: 'text', text: 'abcdef', chunks: 3, stall: { afterChunks: 2, ms: 3000 } }, OK],
    requests: 2,
    retriedAs: 'timeout',
    idleTimeoutMs: 250,
  },
  {
    name: 'headers late past the first-token timeout',
    replies: [{ kind: 'text', text: 'x', headersDelayMs: 3000 }, OK],
    requests: 2,
    retriedAs: 'timeout',
    firstTokenTimeoutMs: 250,
  },
  {
    name: 'first token late but within the first-token timeout, past the idle timeout',
    replies: [{ kind: 'text', text: 'fine', firstTokenDelayMs: 400 }],
    requests: 1,
    idleTimeoutMs: 200,
    firstTokenTimeoutMs: 1500,
    minMs: 400,
  },
  {
    name: 'slow but steady stream longer than the idle timeout',
    replies: [{ kind: 'text', text: 'fine', chunks: 4, delayMs: 150 }],
    requests: 1,
    idleTimeoutMs: 600,
    minMs: 600,
  },
];

describe('faults: model calls through the real providers', function () {
  this.timeout(20_000);
  const tally = new Tally('faults');
  tally.report();
  let server: ModelServer;
  beforeEach(async () => (server = await startModelServer({ scenario: { models: ['m'] } })));
  afterEach(() => server.close());

  for (const fault of FAULTS) {
    for (const provider of fault.providers ?? PROVIDERS) {
      it(`${provider}: ${fault.name}`, async () => {
        tally.add('injected');
        server.script(...fault.replies);
        const retried: ModelErrorKind[] = [];
        const started = performance.now();
        const outcome = await callModel(
          modelFor(provider, server),
          { messages: [{ role: 'user', content: 'hi' }] },
          {
            idleTimeoutMs: fault.idleTimeoutMs ?? 5000,
            firstTokenTimeoutMs: fault.firstTokenTimeoutMs ?? 5000,
            retry: FAST_RETRY,
            onRetry: (error) => retried.push(error.kind),
          },
        ).then(
          (response) => ({ response }),
          (error: unknown) => ({ error }),
        );
        const ms = performance.now() - started;
        if (fault.kind) {
          assert.ok('error' in outcome, `expected ${fault.kind}`);
          const error = outcome.error;
          assert.ok(error instanceof ModelError, String(error));
          assert.equal(error.kind, fault.kind, error.message);
          if (fault.says) assert.match(error.message, fault.says);
          assert.doesNotMatch(error.message, /sk-faults/, 'the key is never in a message');
        } else {
          assert.ok(
            'response' in outcome,
            `expected an answer, got ${'error' in outcome ? String(outcome.error) : ''}`,
          );
          assert.equal(outcome.response.content, 'fine');
        }
        assert.equal(chatCount(server), fault.requests, 'chat requests made');
        if (fault.retriedAs) assert.deepEqual(retried, [fault.retriedAs]);
        if (fault.minMs) assert.ok(ms >= fault.minMs - 20, `took ${ms.toFixed(0)} ms, at least ${fault.minMs}`);
        tally.add('handled');
      });
    }
  }

  it('server down: connection refused says where, for both providers, and is retried a bounded number of times', async () => {
    const down = server.url;
    await server.close();
    for (const provider of PROVIDERS) {
      tally.add('injected');
      const retried: ModelErrorKind[] = [];
      const error = await callModel(
        modelFor(provider, down),
        { messages: [{ role: 'user', content: 'hi' }] },
        { retry: FAST_RETRY, onRetry: (e) => retried.push(e.kind) },
      ).catch((e: unknown) => e);
      assert.ok(error instanceof ModelError);
      assert.equal(error.kind, 'connection');
      assert.match(
        error.message,
        provider === 'ollama'
          ? /Cannot connect to Ollama at http:\/\/127\.0\.0\.1:\d+: connection refused\. Start it/
          : /Cannot connect .* at http:\/\/127\.0\.0\.1:\d+\/v1/,
      );
      assert.equal(retried.length, FAST_RETRY.maxAttempts - 1);
      tally.add('handled');
    }
    server = await startModelServer();
  });
});

describe('faults: the file system', function () {
  const tally = new Tally('file-system faults');
  tally.report();
  let root: string;
  beforeEach(() => (root = tempDir('rozet-fs-faults-')));
  afterEach(() => {
    for (const name of fs.readdirSync(root)) fs.chmodSync(path.join(root, name), 0o644);
    removeDir(root);
  });

  it('a read-only file (chmod 444): a clear tool error, content and mode unchanged', async () => {
    const ctx = toolContext(root);
    fs.writeFileSync(path.join(root, 'locked.txt'), 'keep me\n');
    fs.chmodSync(path.join(root, 'locked.txt'), 0o444);
    for (const [tool, args] of [
      ['write_file', { path: 'locked.txt', content: 'changed' }],
      ['replace_in_file', { path: 'locked.txt', old_string: 'keep', new_string: 'lose' }],
    ] as const) {
      tally.add('injected');
      const result = await runTool(tool, args, ctx);
      assert.equal(result.ok, false, `${tool}: ${result.output}`);
      assert.match(result.output, /locked\.txt is read-only, so nothing was written/);
      assert.equal(fs.readFileSync(path.join(root, 'locked.txt'), 'utf8'), 'keep me\n');
      assert.equal(fs.statSync(path.join(root, 'locked.txt')).mode & 0o777, 0o444);
      tally.add('handled');
    }
  });

  it('a full disk mid-write: a clear message, the old file whole, no temp file left', async () => {
    const ctx = toolContext(root);
    fs.writeFileSync(path.join(root, 'a.txt'), 'original\n');
    // Simulated: the temp file gets half its bytes, then the device is full, as a real
    // ENOSPC leaves it. Only the lowest layer is replaced; NodeWorkspace's own cleanup runs.
    const realWriteFile = fsPromises.writeFile;
    fsPromises.writeFile = (async (file: fs.PathLike, data: Uint8Array) => {
      await realWriteFile(file, data.subarray(0, data.length >> 1));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fsPromises.writeFile;
    try {
      for (const [tool, args] of [
        ['write_file', { path: 'a.txt', content: 'a much longer replacement text\n' }],
        ['write_file', { path: 'new/b.txt', content: 'new file\n' }],
        ['replace_in_file', { path: 'a.txt', old_string: 'original', new_string: 'replaced' }],
      ] as const) {
        tally.add('injected');
        const result = await runTool(tool, args, ctx);
        assert.equal(result.ok, false);
        assert.match(result.output, /the disk is full \(free some space and retry\); the file was left as it was/);
        tally.add('handled');
      }
    } finally {
      fsPromises.writeFile = realWriteFile;
    }
    assert.equal(fs.readFileSync(path.join(root, 'a.txt'), 'utf8'), 'original\n');
    assert.equal(fs.existsSync(path.join(root, 'new', 'b.txt')), false);
    const leftovers = [...fs.readdirSync(root), ...fs.readdirSync(path.join(root, 'new'))].filter((n) =>
      n.endsWith('.tmp'),
    );
    assert.deepEqual(leftovers, [], 'temp files removed');
  });
});

describe('faults: cancel at every phase', function () {
  this.timeout(20_000);
  const tally = new Tally('cancel phases');
  tally.report();
  let server: ModelServer;
  let root: string;
  beforeEach(async () => {
    server = await startModelServer({ scenario: { models: ['m'] } });
    root = tempDir('rozet-cancel-');
  });
  afterEach(async () => {
    await server.close();
    removeDir(root);
  });

  const leftovers = () =>
    fs
      .readdirSync(root, { recursive: true })
      .map(String)
      .filter((n) => n.endsWith('.tmp'));

  /** Runs a plan over the real workspace and shell; cancels after `ms`; returns what the run kept. */
  async function runAndCancel(plan: Plan, model: ChatModel, ms: number, workspace = new NodeWorkspace(root)) {
    const events: RunEvent[] = [];
    const coordinator = new Coordinator({
      plan,
      resolveModel: () => model,
      workspace,
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 4, idleTimeoutMs: 10_000, bashTimeoutMs: 30_000, retry: FAST_RETRY },
      summaries: 'digest',
      onEvent: (e) => events.push(e),
    });
    const running = coordinator.run();
    await new Promise((r) => setTimeout(r, ms));
    const cancelledAt = performance.now();
    coordinator.cancel();
    const summary = await running;
    const latency = performance.now() - cancelledAt;
    tally.add('injected');
    assert.equal(summary.outcome, 'cancelled');
    assert.ok(latency < 1000, `cancel took ${latency.toFixed(0)} ms`);
    assert.equal(events.at(-1)?.type, 'plan.finished', 'the run record ends with plan.finished');
    assert.deepEqual(leftovers(), [], 'no temp file left');
    return { summary, events };
  }

  const task = (id: string, title: string) => ({ id, title, description: '', dependsOn: [], files: [] });

  it('while planning: the planner stops at once with a cancel, not a fallback plan', async () => {
    tally.add('injected');
    server.script({ kind: 'text', text: '{"tasks":[]}', firstTokenDelayMs: 5000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const error = await planTask(
      'add a flag',
      {},
      { model: modelFor('openai', server), maxTasks: 5, signal: controller.signal },
    ).catch((e: unknown) => e);
    assert.ok(error instanceof ModelError && error.kind === 'cancelled', String(error));
    assert.ok(performance.now() - started < 1000);
  });

  it('mid model stream: nothing from the cut answer is applied', async () => {
    server.script({
      kind: 'tools',
      calls: [{ name: 'write_file', arguments: { path: 'streamed.txt', content: 'x'.repeat(200) } }],
      chunks: 20,
      delayMs: 100,
    });
    const { summary } = await runAndCancel({ tasks: [task('t1', 'Stream')] }, modelFor('openai', server), 400);
    assert.equal(fs.existsSync(path.join(root, 'streamed.txt')), false);
    assert.equal(summary.tasks[0].status, 'cancelled');
  });

  it('mid tool call and while waiting for a file lock: neither write lands, both records kept', async () => {
    /** Holds each write for 2 s (abortably) before the real write: the lock is held meanwhile. */
    class SlowWorkspace extends NodeWorkspace {
      override async write(p: string, content: string, signal?: AbortSignal) {
        await new Promise((resolve, reject) => {
          const timer = setTimeout(resolve, 2000);
          signal?.addEventListener(
            'abort',
            () => (clearTimeout(timer), reject(new ModelError('cancelled', 'Cancelled.'))),
            { once: true },
          );
        });
        return super.write(p, content, signal);
      }
    }
    fs.writeFileSync(path.join(root, 'shared.txt'), 'before\n');
    const writer = (content: string) => ({
      kind: 'tools' as const,
      calls: [{ name: 'write_file', arguments: { path: 'shared.txt', content } }],
    });
    server.load({
      agent: [
        { match: 'First', steps: [writer('first\n'), OK] },
        { match: 'Second', steps: [{ ...writer('second\n'), firstTokenDelayMs: 100 }, OK] },
      ],
    });
    const { summary, events } = await runAndCancel(
      { tasks: [task('t1', 'First'), task('t2', 'Second')] },
      modelFor('openai', server),
      600,
      new SlowWorkspace(root),
    );
    assert.equal(fs.readFileSync(path.join(root, 'shared.txt'), 'utf8'), 'before\n');
    assert.deepEqual(
      summary.tasks.map((t) => t.status),
      ['cancelled', 'cancelled'],
    );
    assert.equal(events.filter((e) => e.type === 'task.toolCall').length, 2, 'both calls were under way and recorded');
  });

  it('mid command: the process tree is killed and the earlier write stays in the record', async () => {
    server.script(
      { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: 'done.txt', content: 'ok\n' } }] },
      {
        kind: 'tools',
        calls: [
          { name: 'execute_bash', arguments: { command: 'echo $$ > shell.pid; sleep 30 & echo $! > bg.pid; wait' } },
        ],
      },
    );
    const { summary } = await runAndCancel({ tasks: [task('t1', 'Command')] }, modelFor('openai', server), 700);
    assert.equal(fs.readFileSync(path.join(root, 'done.txt'), 'utf8'), 'ok\n');
    const outcome = summary.tasks[0];
    assert.equal(outcome.status, 'cancelled');
    assert.deepEqual(
      outcome.toolCalls.map((c) => [c.name, c.ok]),
      [['write_file', true]],
      'the completed write is kept in the record',
    );
    for (const file of ['shell.pid', 'bg.pid']) {
      const pid = Number(fs.readFileSync(path.join(root, file), 'utf8'));
      assert.ok(await goneWithin(pid, 1000), `${file} ${pid} still running`);
    }
  });
});
