import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ModelError, type ChatModel } from '../../src/core/model/chat';
import { Coordinator, type CoordinatorOptions } from '../../src/core/run/coordinator';
import type { RunEvent } from '../../src/core/run/events';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import type { Plan, Task } from '../../src/core/plan/plan';
import { ScriptedChatModel, type ScriptStep } from '../support/scripted-chat-model';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir } from '../support/run-engine-fixtures';

function task(id: string, dependsOn: string[] = [], files: string[] = []): Task {
  return { id, title: `Task ${id}`, description: `Do ${id}`, dependsOn, files };
}

/** Each task writes its own file, then answers; every model turn takes `delayMs`. */
function writer(id: string, delayMs: number, extra: Partial<ScriptStep> = {}): ScriptStep[] {
  return [
    { delayMs, toolCalls: [{ name: 'write_file', arguments: { path: `${id}.txt`, content: id } }], ...extra },
    { delayMs, content: `${id} done` },
  ];
}

/** Largest number of tasks running at once, from the event stream. */
function maxOverlap(events: RunEvent[]): number {
  let running = 0;
  let max = 0;
  for (const e of events) {
    if (e.type === 'task.started') max = Math.max(max, ++running);
    if (e.type === 'task.succeeded' || e.type === 'task.failed' || e.type === 'task.cancelled') running--;
  }
  return max;
}

describe('coordinator', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  function coordinator(plan: Plan, models: Record<string, ChatModel>, extra: Partial<CoordinatorOptions> = {}) {
    const events: RunEvent[] = [];
    const c = new Coordinator({
      plan,
      resolveModel: (t) => models[t.id],
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 4, idleTimeoutMs: 2000, maxSteps: 6, retry: { maxAttempts: 1 }, ...extra.limits },
      onEvent: (e) => events.push(e),
      summaries: 'digest',
      ...extra,
    });
    return { c, events };
  }

  it('runs independent tasks at the same time and a dependent task only after its dependencies', async () => {
    const plan = { tasks: [task('a'), task('b'), task('c', ['a', 'b'])] };
    const models = {
      a: new ScriptedChatModel(writer('a', 80)),
      b: new ScriptedChatModel(writer('b', 80)),
      c: new ScriptedChatModel(writer('c', 10)),
    };
    const { c, events } = coordinator(plan, models);
    const started = Date.now();
    const summary = await c.run();
    const wall = Date.now() - started;
    assert.equal(summary.outcome, 'succeeded');
    assert.ok(wall < 320 + 150, `a and b overlapped (wall ${wall} ms, serial would be ≥ 340)`);
    const at = (type: string, id: string) =>
      events.findIndex((e) => e.type === type && 'taskId' in e && e.taskId === id);
    assert.ok(
      at('task.started', 'b') < at('task.succeeded', 'a') && at('task.started', 'a') < at('task.succeeded', 'b'),
      'a and b overlap',
    );
    assert.ok(
      at('task.started', 'c') > at('task.succeeded', 'a') && at('task.started', 'c') > at('task.succeeded', 'b'),
    );
    assert.match(
      models.c.requests[0].messages[1].content,
      /a \(Task a\): a done/,
      'c sees what its dependencies answered',
    );
    assert.equal(events[0].type, 'plan.started');
    assert.equal(events.at(-1)?.type, 'plan.finished');
    assert.deepEqual(summary.filesChanged.sort(), ['a.txt', 'b.txt', 'c.txt']);
    assert.equal(
      summary.tasks.every((t) => t.toolCalls.length === 1 && t.attempts === 1),
      true,
    );
    assert.deepEqual(summary.usage, {
      promptTokens: 60,
      completionTokens: summary.tasks.reduce((s, t) => s + t.usage.completionTokens, 0),
    });
    const kinds = events.filter((e) => 'taskId' in e && e.taskId === 'a').map((e) => e.type);
    assert.deepEqual(
      kinds.filter((k) => k !== 'task.delta'),
      ['task.queued', 'task.started', 'task.usage', 'task.toolCall', 'task.toolResult', 'task.usage', 'task.succeeded'],
    );
  });

  it('reports a retried model call as task.retrying before the task succeeds', async () => {
    const plan = { tasks: [task('a')] };
    const models = {
      a: new ScriptedChatModel([
        { error: new ModelError('server', 'The provider answered 500: upstream overloaded.', { status: 500 }) },
        { content: 'a done' },
      ]),
    };
    const { c, events } = coordinator(plan, models, { limits: { retry: { baseDelayMs: 1 } } });
    const summary = await c.run();
    assert.equal(summary.outcome, 'succeeded');
    assert.equal(models.a.callCount, 2);
    const retrying = events.findIndex((e) => e.type === 'task.retrying');
    const succeeded = events.findIndex((e) => e.type === 'task.succeeded');
    assert.ok(retrying >= 0 && retrying < succeeded, 'task.retrying comes before task.succeeded');
    const { runId: _runId, at: _at, ...retry } = events[retrying];
    assert.deepEqual(retry, {
      type: 'task.retrying',
      taskId: 'a',
      attempt: 1,
      delayMs: 1,
      reason: 'The provider answered 500: upstream overloaded.',
    });
  });

  it('never runs more than maxParallelWorkers, nor more than the model has parallel slots', async () => {
    const plan = { tasks: ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => task(id)) };
    const make = (slots: number) =>
      Object.fromEntries(
        plan.tasks.map((t) => [t.id, new ScriptedChatModel(writer(t.id, 30), 'same-model', { parallelSlots: slots })]),
      );
    const two = coordinator(plan, make(64), { limits: { maxParallelWorkers: 2 } });
    await two.c.run();
    assert.equal(maxOverlap(two.events), 2);
    const one = coordinator(plan, make(1), { limits: { maxParallelWorkers: 6 } });
    await one.c.run();
    assert.equal(maxOverlap(one.events), 1, 'a one-slot server is not flooded');
    const many = coordinator(plan, make(64), { limits: { maxParallelWorkers: 6 } });
    await many.c.run();
    assert.equal(maxOverlap(many.events), 6);
  });

  it('never runs tasks whose declared files overlap at the same time', async () => {
    const plan = {
      tasks: [task('a', [], ['shared.ts', 'a.ts']), task('b', [], ['./shared.ts']), task('c', [], ['c.ts'])],
    };
    const models = {
      a: new ScriptedChatModel(writer('a', 50)),
      b: new ScriptedChatModel(writer('b', 50)),
      c: new ScriptedChatModel(writer('c', 50)),
    };
    const { c, events } = coordinator(plan, models);
    await c.run();
    const at = (type: string, id: string) =>
      events.findIndex((e) => e.type === type && 'taskId' in e && e.taskId === id);
    assert.ok(at('task.started', 'b') > at('task.succeeded', 'a'), 'b waited for a (shared.ts)');
    assert.ok(at('task.started', 'c') < at('task.succeeded', 'a'), 'c ran alongside a');
  });

  it('a failure skips its dependents with the reason; independent branches go on; the failed task can be retried alone', async () => {
    const plan = { tasks: [task('a'), task('b', ['a']), task('c', ['b']), task('d')] };
    let aCalls = 0;
    const models: Record<string, ChatModel> = {
      a: new ScriptedChatModel(() => (aCalls++ < 1 ? { error: new Error('model crashed') } : { content: 'a fixed' })),
      b: new ScriptedChatModel(writer('b', 5)),
      c: new ScriptedChatModel(writer('c', 5)),
      d: new ScriptedChatModel(writer('d', 5)),
    };
    const { c, events } = coordinator(plan, models);
    const summary = await c.run();
    assert.equal(summary.outcome, 'failed');
    const status = Object.fromEntries(summary.tasks.map((t) => [t.id, t.status]));
    assert.deepEqual(status, { a: 'failed', b: 'skipped', c: 'skipped', d: 'succeeded' });
    const skipB = events.find((e) => e.type === 'task.skipped' && e.taskId === 'b');
    assert.match(
      skipB && skipB.type === 'task.skipped' ? skipB.reason : '',
      /dependency a \(Task a\) failed: model crashed/,
    );
    const skipC = events.find((e) => e.type === 'task.skipped' && e.taskId === 'c');
    assert.match(skipC && skipC.type === 'task.skipped' ? skipC.reason : '', /dependency b .* was skipped/);
    assert.equal(fs.existsSync(path.join(root, 'd.txt')), true);

    const retried = await c.retryTask('a');
    assert.equal(retried.outcome, 'succeeded');
    assert.deepEqual(Object.fromEntries(retried.tasks.map((t) => [t.id, t.attempts])), { a: 2, b: 1, c: 1, d: 1 });
    assert.equal((models.d as ScriptedChatModel).callCount, 2, 'the succeeded task was not run again');
    await assert.rejects(c.retryTask('d'), /only failed or cancelled/);
  });

  it('a task without a usable model fails with the message and skips its dependents', async () => {
    const plan = { tasks: [task('a'), task('b', ['a'])] };
    const { c } = coordinator(
      plan,
      {},
      {
        resolveModel: () => {
          throw new Error('model "x" is not pulled');
        },
      },
    );
    const summary = await c.run();
    assert.deepEqual(
      summary.tasks.map((t) => [t.status, t.error ?? t.result]),
      [
        ['failed', 'No model for this task: model "x" is not pulled'],
        ['skipped', 'Skipped because dependency a (Task a) failed: No model for this task: model "x" is not pulled'],
      ],
    );
  });

  it('cancel in the middle of a tool call stops every worker within 1 s and leaves no half-written file', async () => {
    const plan = { tasks: [task('a'), task('b'), task('c', ['a'])] };
    const models = {
      a: new ScriptedChatModel([
        { toolCalls: [{ name: 'execute_bash', arguments: { command: 'sleep 30' } }] },
        { content: 'never' },
      ]),
      b: new ScriptedChatModel([{ delayMs: 10, content: 'thinking…', fragments: 200, fragmentDelayMs: 50 }]),
      c: new ScriptedChatModel(writer('c', 5)),
    };
    const { c, events } = coordinator(plan, models);
    const running = c.run();
    await new Promise((r) => setTimeout(r, 200));
    const started = Date.now();
    c.cancel();
    const summary = await running;
    assert.ok(Date.now() - started < 1000, `stopped after ${Date.now() - started} ms`);
    assert.equal(summary.outcome, 'cancelled');
    assert.deepEqual(
      summary.tasks.map((t) => t.status),
      ['cancelled', 'cancelled', 'cancelled'],
    );
    assert.equal(events.filter((e) => e.type === 'task.cancelled').length, 3);
    assert.deepEqual(fs.readdirSync(root), []);
  });

  it('gives up on a worker whose model ignores cancellation, still within 1 s', async () => {
    const deaf: ChatModel = {
      provider: 'ollama',
      model: 'deaf',
      capabilities: { nativeTools: true, streaming: true, parallelSlots: 1, contextTokens: 8192 },
      chat: () => new Promise(() => undefined),
    };
    const { c } = coordinator({ tasks: [task('a')] }, { a: deaf }, { limits: { idleTimeoutMs: 60_000 } });
    const running = c.run();
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    c.cancel();
    const summary = await running;
    assert.ok(Date.now() - started < 1000);
    assert.equal(summary.tasks[0].status, 'cancelled');
  });

  it('records commands run and asks before a protected write even under auto approval', async () => {
    const approver = new RecordingApprover(false);
    const models = {
      a: new ScriptedChatModel([
        { toolCalls: [{ name: 'execute_bash', arguments: { command: 'echo hi > out.txt' } }] },
        {
          toolCalls: [
            {
              name: 'write_file',
              arguments: { path: '.VSCode/settings.json', content: '{"rozet.bash.approval":"auto"}' },
            },
          ],
        },
        { content: 'done' },
      ]),
    };
    const { c } = coordinator({ tasks: [task('a')] }, models, { approver });
    const summary = await c.run();
    assert.deepEqual(summary.commandsRun, ['echo hi > out.txt']);
    assert.equal(fs.readFileSync(path.join(root, 'out.txt'), 'utf8'), 'hi\n');
    assert.deepEqual(
      approver.asked.map((a) => [a.kind, a.subject]),
      [['write', '.VSCode/settings.json']],
    );
    assert.equal(fs.existsSync(path.join(root, '.VSCode')), false);
    assert.equal(summary.tasks[0].toolCalls[1].ok, false);
    assert.deepEqual(summary.filesChanged, []);
  });
});
