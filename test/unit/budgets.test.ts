// Token budgets and cost: a task at rozet.budget.tokensPerTask stops between steps as
// over budget and its dependents wait; Continue lets it go on from where it stopped, with
// its memory; the run stops starting tasks at rozet.budget.tokensPerRun; cost comes from
// the provider or from rozet.pricing.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChatModel } from '../../src/core/model/chat';
import { addUsage, describeUsage, priced } from '../../src/core/run/budget';
import { Coordinator, type RunLimits } from '../../src/core/run/coordinator';
import type { RunEvent } from '../../src/core/run/events';
import type { Plan } from '../../src/core/plan/plan';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { resolveConfig, runLimitsFromConfig } from '../../src/config';
import { ScriptedChatModel, type ScriptStep } from '../support/scripted-chat-model';
import { AUTO_POLICY, RecordingApprover, removeDir, tempDir } from '../support/run-engine-fixtures';

const USAGE = { promptTokens: 100, completionTokens: 20 };
const write = (path: string, content: string): ScriptStep => ({
  toolCalls: [{ name: 'write_file', arguments: { path, content } }],
  usage: USAGE,
});

describe('budgets and cost', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  function run(plan: Plan, models: Record<string, ChatModel>, limits: Partial<RunLimits>) {
    const events: RunEvent[] = [];
    const c = new Coordinator({
      plan,
      resolveModel: (t) => models[t.id],
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: new RecordingApprover(),
      policy: AUTO_POLICY,
      limits: { maxParallelWorkers: 1, idleTimeoutMs: 2000, maxSteps: 10, retry: { maxAttempts: 1 }, ...limits },
      onEvent: (e) => events.push(e),
      summaries: 'digest',
    });
    return { c, events };
  }

  const chain: Plan = {
    tasks: [
      { id: 'a', title: 'Task a', description: '', dependsOn: [], files: [] },
      { id: 'b', title: 'Task b', description: '', dependsOn: ['a'], files: [] },
    ],
  };

  it('stops a task at its budget between steps; its dependent waits; Continue finishes it with its memory', async () => {
    const a = new ScriptedChatModel([
      write('a1.txt', '1'),
      write('a2.txt', '2'),
      write('a3.txt', '3'),
      { content: 'a done', usage: USAGE },
    ]);
    const b = new ScriptedChatModel([{ content: 'b done', usage: USAGE }]);
    const { c, events } = run(chain, { a, b }, { budgets: { tokensPerTask: 200, tokensPerRun: 0 } });

    const first = await c.run();
    assert.equal(first.outcome, 'overBudget');
    assert.deepEqual(
      first.tasks.map((t) => [t.id, t.status]),
      [
        ['a', 'overBudget'],
        ['b', 'pending'],
      ],
    );
    // Two steps (240 tokens ≥ 200): the third write was never asked for.
    assert.equal(a.callCount, 2);
    assert.equal(b.callCount, 0, 'the dependent did not run');
    assert.equal(readFileSync(join(root, 'a2.txt'), 'utf8'), '2');
    const stop = events.find((e) => e.type === 'task.overBudget');
    assert.deepEqual(stop && { used: stop.used, budget: stop.budget }, { used: 240, budget: 200 });
    const waiting = events.filter((e) => e.type === 'task.waiting' && e.taskId === 'b').at(-1);
    assert.match(
      waiting?.type === 'task.waiting' ? waiting.reason : '',
      /waiting for a, which stopped at its token budget/,
    );

    const second = await c.continueTask('a', 1000);
    assert.equal(second.outcome, 'succeeded');
    assert.equal(a.callCount, 4);
    // Went on where it stopped: the third request still holds the first two turns.
    assert.equal(a.requests[2].messages.filter((m) => m.role === 'assistant').length, 2);
    assert.equal(b.callCount, 1);
    assert.equal(second.tasks[0].attempts, 1, 'a continued attempt is the same attempt');
    assert.equal(second.tasks[0].usage.promptTokens, 400);
  });

  it('a task without a budget runs to the end', async () => {
    const a = new ScriptedChatModel([write('a1.txt', '1'), write('a2.txt', '2'), { content: 'a done', usage: USAGE }]);
    const b = new ScriptedChatModel([{ content: 'b done', usage: USAGE }]);
    const summary = await run(chain, { a, b }, {}).c.run();
    assert.equal(summary.outcome, 'succeeded');
  });

  it('stops starting tasks at the run budget and goes on after continueRun', async () => {
    const plan: Plan = {
      tasks: ['a', 'b', 'c'].map((id) => ({ id, title: `Task ${id}`, description: '', dependsOn: [], files: [] })),
    };
    const model = () => new ScriptedChatModel([{ content: 'done', usage: USAGE }]);
    const models = { a: model(), b: model(), c: model() };
    const { c, events } = run(plan, models, { budgets: { tokensPerTask: 0, tokensPerRun: 200 } });
    const first = await c.run();
    assert.equal(first.outcome, 'overBudget');
    assert.deepEqual(
      first.tasks.map((t) => t.status),
      ['succeeded', 'succeeded', 'pending'],
    );
    assert.equal(events.filter((e) => e.type === 'run.overBudget').length, 1);
    const second = await c.continueRun(500);
    assert.equal(second.outcome, 'succeeded');
    assert.equal(models.c.callCount, 1);
  });

  it('prices usage: the provider cost wins, else rozet.pricing per million tokens, else none', () => {
    const pricing = { m: { input: 2, output: 10 } };
    assert.equal(priced({ promptTokens: 1_000_000, completionTokens: 100_000 }, 'm', pricing).cost, 3);
    assert.equal(priced({ promptTokens: 10, completionTokens: 1, cost: 0.5 }, 'm', pricing).cost, 0.5);
    assert.equal(priced({ promptTokens: 10, completionTokens: 1 }, 'other', pricing).cost, undefined);
    assert.equal(
      addUsage({ promptTokens: 1, completionTokens: 1, cost: 1 }, { promptTokens: 1, completionTokens: 1 }).cost,
      undefined,
    );
    assert.equal(describeUsage({ promptTokens: 1000, completionTokens: 234, cost: 0.0123 }), '1,234 tokens · $0.012');
  });

  it('carries cost per task in the summary from rozet.pricing', async () => {
    const a = new ScriptedChatModel(
      [{ content: 'a done', usage: { promptTokens: 500_000, completionTokens: 100_000 } }],
      'priced-model',
    );
    const b = new ScriptedChatModel([{ content: 'b done', usage: USAGE }], 'free-model');
    const summary = await run(chain, { a, b }, { pricing: { 'priced-model': { input: 1, output: 4 } } }).c.run();
    assert.equal(summary.tasks[0].usage.cost, 0.9);
    assert.equal(summary.tasks[1].usage.cost, undefined);
  });

  it('maps the budget settings, and refuses -1 and "lots" as configuration errors', () => {
    const ok = resolveConfig({
      explicit: {},
      env: { ROZET_BUDGET_TOKENS_PER_TASK: '5000', ROZET_PRICING: '{"m":{"input":1,"output":2}}' },
    });
    assert.deepEqual(runLimitsFromConfig(ok.values).budgets, { tokensPerTask: 5000, tokensPerRun: 0 });
    for (const bad of ['-1', 'lots', '1.5']) {
      const resolved = resolveConfig({ explicit: {}, env: { ROZET_BUDGET_TOKENS_PER_RUN: bad } });
      assert.equal(resolved.values['rozet.budget.tokensPerRun'], 0, bad);
      assert.ok(
        resolved.problems.some((p) => p.severity === 'error' && p.key === 'rozet.budget.tokensPerRun'),
        `${bad}: ${JSON.stringify(resolved.problems)}`,
      );
    }
    const pricing = resolveConfig({ explicit: {}, env: { ROZET_PRICING: '{"m": {"input": "cheap"}}' } });
    assert.ok(pricing.problems.some((p) => p.key === 'rozet.pricing'));
  });
});
