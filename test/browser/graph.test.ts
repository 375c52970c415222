// The plan graph panel (src/webview/graph) and plan editing in the sidebar tree, in
// Debian's chromium under the real CSP: the graph draws the plan and a run live, edits the
// plan from the keyboard (a dependency added through "Runs after" reaches the host as a
// plan.edit; a cycle is refused on the spot, naming it), asks before removing a task
// others depend on, and makes the README's light and dark screenshots.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostMessage, WebviewMessage } from '../../src/webview/protocol';
import * as f from './fixtures';
import { startHarness, type Harness, type WebviewPage } from './harness';

const shown: Extract<HostMessage, { type: 'plan.shown' }> = {
  type: 'plan.shown',
  planId: 'p1',
  result: { plan: f.plan, source: 'llm', notes: [] },
};
const edits = async (w: WebviewPage) =>
  (await w.posted()).filter((m): m is Extract<WebviewMessage, { type: 'plan.edit' }> => m.type === 'plan.edit');

describe('plan graph panel', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness('src/webview/graph/main.ts');
  });
  after(() => harness.close());

  it('draws the plan as nodes and edges, with no CSP violation or stray request', async () => {
    const w = await harness.open({ width: 1100, height: 700 });
    await w.send(f.init());
    await w.send(shown);
    assert.equal(await w.page.locator('g.rz-node').count(), 3);
    // t1 → t2, t1 → t3, t2 → t3
    assert.equal(await w.page.locator('path.rz-edge').count(), 3);
    assert.equal(await w.page.locator('path.rz-edge[data-from="t2"][data-to="t3"]').count(), 1);
    const y = async (id: string) => (await w.page.locator(`g.rz-node[data-id="${id}"]`).boundingBox())?.y ?? -1;
    assert.ok((await y('t1')) < (await y('t2')) && (await y('t2')) < (await y('t3')), 'dependencies are drawn above');
    assert.deepEqual(await w.violations(), []);
    assert.deepEqual(w.strayRequests, []);
    assert.deepEqual(w.consoleErrors, []);
    await w.page.context().close();
  });

  it('is keyboard reachable: Tab to a node, arrows move, Enter opens its fields, a new dependency is sent to the host', async () => {
    const w = await harness.open({ width: 1100, height: 700 });
    await w.send(f.init());
    await w.send({
      ...shown,
      result: { ...shown.result, plan: { tasks: f.plan.tasks.map((t) => ({ ...t, dependsOn: [] })) } },
    });
    const focused = () => w.page.evaluate(() => (document.activeElement as SVGElement | null)?.dataset?.id);
    // Past the bar's buttons, the graph is one tab stop.
    for (let i = 0; i < 8 && (await focused()) === undefined; i++) await w.page.keyboard.press('Tab');
    assert.equal(await focused(), 't1');
    await w.page.keyboard.press('ArrowRight');
    assert.equal(await focused(), 't2');
    await w.page.keyboard.press('Enter');
    await w.settle();
    await w.page.locator('.rz-graph-details input[name="dependsOn"][value="t3"]').check();
    await w.page.locator('.rz-graph-details vscode-button[data-action="save-task"]').click();
    await w.settle();
    const sent = await edits(w);
    assert.deepEqual(sent.at(-1)?.plan.tasks.find((t) => t.id === 't2')?.dependsOn, ['t3']);
    assert.equal(
      await w.page.locator('path.rz-edge[data-from="t3"][data-to="t2"]').count(),
      1,
      'the new edge is drawn',
    );

    // t3 after t2 would close the cycle t3 → t2 → t3: refused, named, nothing sent.
    await w.page.locator('g.rz-node[data-id="t3"]').click();
    await w.settle();
    await w.page.locator('.rz-graph-details input[name="dependsOn"][value="t2"]').check();
    await w.page.locator('.rz-graph-details vscode-button[data-action="save-task"]').click();
    await w.settle();
    assert.match((await w.page.locator('.rz-notice[data-level="error"]').textContent()) ?? '', /cycle: t3 → t2 → t3/);
    assert.equal((await edits(w)).length, sent.length, 'the cyclic edit was not sent');
    await w.page.context().close();
  });

  it('asks before removing a task others depend on, then drops those edges', async () => {
    const w = await harness.open({ width: 1100, height: 700 });
    await w.send(f.init());
    await w.send(shown);
    await w.page.locator('g.rz-node[data-id="t1"]').focus();
    await w.page.keyboard.press('Delete');
    await w.settle();
    assert.match(await w.page.locator('.rz-confirm').innerText(), /t2, t3 depend on t1/);
    assert.equal(await w.page.locator('g.rz-node').count(), 3, 'nothing removed yet');
    await w.page.locator('vscode-button[data-action="confirm-remove"]').click();
    await w.settle();
    assert.equal(await w.page.locator('g.rz-node').count(), 2);
    const last = (await edits(w)).at(-1);
    assert.deepEqual(
      last?.plan.tasks.map((t) => [t.id, t.dependsOn]),
      [
        ['t2', []],
        ['t3', ['t2']],
      ],
    );
    await w.page.context().close();
  });

  it('shows a run live: status colours, model, and edits from another view', async () => {
    const w = await harness.open({ width: 1100, height: 700 });
    await w.send(f.init({ runEvents: f.runningEvents() }));
    assert.equal(await w.page.locator('g.rz-node[data-id="t1"]').getAttribute('data-status'), 'succeeded');
    assert.equal(await w.page.locator('g.rz-node[data-id="t2"]').getAttribute('data-status'), 'running');
    assert.match(
      (await w.page.locator('g.rz-node[data-id="t2"] .rz-node-line').textContent()) ?? '',
      /qwen2\.5-coder:14b-instruct · \d/,
    );
    await w.send({
      type: 'run.events',
      events: [{ runId: f.RUN, at: Date.now(), type: 'task.failed', taskId: 't2', error: 'boom' }],
    });
    assert.equal(await w.page.locator('g.rz-node[data-id="t2"]').getAttribute('data-status'), 'failed');
    await w.page.context().close();
  });

  it('saves light and dark screenshots of the graph for the README', async () => {
    const dir = join(__dirname, '..', '..', 'media', 'screenshots');
    await mkdir(dir, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const shot = await harness.open({ theme, width: 1000, height: 520 });
      await shot.send(f.init({ runEvents: f.runningEvents() }));
      await shot.page.locator('g.rz-node[data-id="t2"]').click();
      await shot.settle();
      await shot.page.screenshot({ path: join(dir, `graph-${theme}.png`) });
      await shot.page.context().close();
    }
  });
});

describe('plan editing in the sidebar tree', function () {
  this.timeout(60_000);
  let harness: Harness;
  before(async () => {
    harness = await startHarness();
  });
  after(() => harness.close());

  it('edits a task, adds one, and shows a tooltip with the full title, files, dependencies and model', async () => {
    const w = await harness.open();
    await w.send(f.init());
    await w.send(shown);
    const head = w.page.locator('.rz-task[data-vkey="t3"] .rz-task-head');
    assert.equal(
      await head.getAttribute('title'),
      't3: Write tests for --verbose\nFiles: test/cli.test.ts\nRuns after: t1, t2\nModel: qwen2.5-coder:7b',
    );
    await w.page.locator('.rz-task[data-vkey="t2"] button[data-action="edit-task"]').click();
    await w.settle();
    await w.page.locator('.rz-task-editor input[name="files"]').fill('src/cli/run.ts, src/log.ts');
    await w.page.locator('.rz-task-editor input[name="model"]').fill('tiny-coder');
    await w.page.locator('.rz-task-editor vscode-button[data-action="save-task"]').click();
    await w.settle();
    const t2 = (await edits(w)).at(-1)?.plan.tasks.find((t) => t.id === 't2');
    assert.deepEqual([t2?.files, t2?.model], [['src/cli/run.ts', 'src/log.ts'], 'tiny-coder']);
    await w.page.locator('vscode-button[data-action="add-task"]').click();
    await w.settle();
    assert.equal((await edits(w)).at(-1)?.plan.tasks.length, 4);
    assert.equal(await w.page.locator('.rz-task-editor').count(), 1, 'the new task is open for editing');
    // The host's copy comes back from another view: this view follows it.
    await w.send({ type: 'plan.edited', planId: 'p1', plan: { tasks: [f.plan.tasks[0]] } });
    assert.equal(await w.page.locator('.rz-plan-task').count(), 1);
    await w.page.context().close();
  });
});
