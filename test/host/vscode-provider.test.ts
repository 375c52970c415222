// Provider `vscode` and VS Code's tools, against a real extension (test/host/lm-extension)
// that contributes language models through the LM chat provider API and a tool through
// lm.registerTool: Rozet plans and runs with those models, its worker calls the tool
// through vscode.lm.invokeTool, token counts come from the model, and a model that
// disappears mid-run fails its task with the reason while the other task goes on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestLmApi } from './lm-extension/extension';
import { shippedRipgrep, vscodeSearch } from '../../src/extension/vscode-search';
import { readText, rozetApi, runPlan, setUserSettings, toolResults, waitFor } from './helpers';

const LOOKUP = 'rozet-test_lookup';

async function testLm(): Promise<TestLmApi> {
  const extension = vscode.extensions.getExtension<TestLmApi>('rozet-test.rozet-test-lm');
  assert.ok(extension, 'the test extension with language models is loaded next to Rozet');
  return extension.activate();
}

describe('provider vscode (VS Code language models and tools)', () => {
  let lm: TestLmApi;
  let restore: () => Promise<void>;
  before(async () => {
    lm = await testLm();
    restore = await setUserSettings({
      'rozet.orchestrator.provider': 'vscode',
      'rozet.orchestrator.model': 'rozet-test-planner',
      'rozet.worker.provider': 'vscode',
      'rozet.worker.model': 'rozet-test-worker',
      'rozet.worker.idleTimeoutSeconds': 20,
      'rozet.maxParallelWorkers': 2,
      'rozet.mcp.enabled': true,
      'rozet.mcp.allow': [LOOKUP],
    });
  });
  after(async () => restore?.());

  it('lists the models VS Code offers, and the health check passes on them', async () => {
    const api = await rozetApi();
    const ids = (await api.listModels('worker')).map((m) => m.id);
    for (const id of ['rozet-test-planner', 'rozet-test-worker'])
      assert.ok(ids.includes(id), `${id} listed: ${ids.join(', ')}`);
    const report = await api.healthCheck();
    const worker = report.roles.find((r) => r.role === 'worker');
    assert.deepEqual(
      worker?.checks.map((c) => [c.name, c.status]),
      [
        ['provider', 'pass'],
        ['key', 'pass'],
        ['model', 'pass'],
        ['chat', 'pass'],
        ['tools', 'pass'],
      ],
      JSON.stringify(worker?.checks),
    );
    assert.match(worker?.checks[0].message ?? '', /^VS Code language models answered \(\d+ models listed\)\.$/);
  });

  it('plans with a VS Code model, and its worker calls a VS Code tool through vscode.lm.invokeTool', async () => {
    lm.setPlan({
      tasks: [
        {
          id: 't1',
          title: 'Note issue 7',
          description: 'Look up issue 7 and note what it says in lm/notes.md.',
          dependsOn: [],
          files: ['lm/notes.md'],
          tools: [LOOKUP],
        },
      ],
    });
    lm.setSteps('rozet-test-worker', [
      { toolCall: { name: LOOKUP, input: { id: 7 } } },
      { toolCall: { name: 'write_file', input: { path: 'lm/notes.md', content: 'The delay doubles.\n' } } },
      { text: 'Noted issue 7 in lm/notes.md.' },
    ]);
    const api = await rozetApi();
    const planned = await api.plan('Note what issue 7 says');
    assert.equal(planned.source, 'llm', `fallback plan: ${planned.reason}`);
    assert.deepEqual(planned.plan.tasks[0].tools, [LOOKUP]);
    // The planning request, not the health check's chat with the same model.
    const planner = lm.requests.find(
      (r) => r.model === 'rozet-test-planner' && r.text.includes('Note what issue 7 says'),
    );
    assert.match(planner?.text ?? '', new RegExp(`- ${LOOKUP}: Looks up an issue of the test tracker`));

    const counted = lm.countedTokens;
    const sent = lm.requests.length;
    const { summary, events } = await runPlan(planned.plan);
    assert.equal(summary.outcome, 'succeeded', JSON.stringify(summary.tasks.map((t) => t.error)));
    assert.deepEqual(
      toolResults(events).map((r) => [r.name, r.ok]),
      [
        [LOOKUP, true],
        ['write_file', true],
      ],
    );
    assert.deepEqual(lm.lookups, [{ id: 7 }], 'the tool ran once, with the model’s arguments');
    assert.equal(await readText('lm/notes.md'), 'The delay doubles.\n');
    const worker = lm.requests.slice(sent).filter((r) => r.model === 'rozet-test-worker');
    assert.ok(worker[0].tools.includes(LOOKUP) && worker[0].tools.includes('search_files'), worker[0].tools.join());
    assert.match(worker[1].text, /Issue #7: the retry delay doubles \(from the VS Code tool\)/);
    const usage = summary.tasks[0].usage;
    assert.ok(usage.promptTokens > 0 && usage.completionTokens > 0, JSON.stringify(usage));
    assert.equal(
      usage.promptTokens + usage.completionTokens,
      lm.countedTokens - counted,
      'the usage is what the model counted',
    );
  });

  it('search_files runs on the ripgrep VS Code ships', async () => {
    assert.ok(shippedRipgrep(vscode.env.appRoot), `no ripgrep found under ${vscode.env.appRoot}`);
    assert.equal(vscodeSearch(vscode.workspace.workspaceFolders ?? []).engine, 'ripgrep');
    lm.setSteps('rozet-test-worker', [
      { toolCall: { name: 'search_files', input: { pattern: 'host test workspace' } } },
      { toolCall: { name: 'find_files', input: { glob: 'README*' } } },
      { text: 'Found it.' },
    ]);
    const { summary, events } = await runPlan({
      tasks: [{ id: 't1', title: 'Find the readme', description: 'Search.', dependsOn: [], files: [] }],
    });
    assert.equal(summary.outcome, 'succeeded', summary.tasks[0].error);
    const [search, find] = toolResults(events);
    assert.equal(search.summary, 'README.md:1: # Rozet host test workspace [1 matching line in 1 file]');
    assert.equal(find.summary, 'README.md');
  });

  it('cancelling a run cancels the request to the VS Code model', async () => {
    lm.setSteps('rozet-test-worker', [{ waitForCancel: true }]);
    const before = lm.cancelled;
    const handle = await (
      await rozetApi()
    ).run({
      tasks: [{ id: 't1', title: 'Think forever', description: 'Wait.', dependsOn: [], files: [] }],
    });
    const streaming = new Promise<void>((resolve) => {
      const subscription = handle.onEvent((event) => {
        if (event.type === 'task.delta') {
          subscription.dispose();
          resolve();
        }
      });
    });
    await streaming;
    handle.cancel();
    const summary = await handle.done;
    assert.equal(summary.outcome, 'cancelled');
    // The token crosses to the provider's extension asynchronously, after the run settled.
    await waitFor('the model to see its cancellation token fire', () => lm.cancelled === before + 1);
  });

  it('a model the user did not allow fails its task with how to allow it', async () => {
    const { summary } = await runPlan({
      tasks: [
        {
          id: 't1',
          title: 'Ask the refusing model',
          description: 'Anything.',
          dependsOn: [],
          files: [],
          model: 'rozet-test-refusing',
        },
      ],
    });
    assert.equal(summary.tasks[0].status, 'failed');
    assert.match(
      summary.tasks[0].error ?? '',
      /VS Code did not let Rozet use the language model "rozet-test-refusing" .*"Manage Language Model Access…", allow Rozet/,
    );
  });

  it('a model that disappears mid-run fails its task with the reason; the other task goes on', async () => {
    lm.setSteps('rozet-test-flaky', [{ toolCall: { name: LOOKUP, input: { id: 1 } } }, { text: 'never reached' }]);
    lm.setSteps('rozet-test-worker', [
      { toolCall: { name: 'write_file', input: { path: 'lm/other.txt', content: 'fine\n' } } },
      { text: 'Wrote lm/other.txt.' },
    ]);
    lm.removeFlakyOnNextLookup();
    const { summary } = await runPlan({
      tasks: [
        {
          id: 't1',
          title: 'Use the flaky model',
          description: 'Look up issue 1.',
          dependsOn: [],
          files: [],
          model: 'rozet-test-flaky',
          tools: [LOOKUP],
        },
        { id: 't2', title: 'Write the other file', description: 'Write lm/other.txt.', dependsOn: [], files: [] },
      ],
    });
    const [flaky, other] = summary.tasks;
    assert.equal(flaky.status, 'failed');
    assert.match(flaky.error ?? '', /The VS Code language model "rozet-test-flaky" is not available \(any more\)/);
    assert.equal(other.status, 'succeeded', other.error);
    assert.equal(await readText('lm/other.txt'), 'fine\n');
  });
});
