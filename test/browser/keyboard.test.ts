// The sidebar by keyboard and for a screen reader: a walk with real keys through every
// control a run needs, where focus goes after each action and each host event, and what
// the one live status region says.
import assert from 'node:assert/strict';
import { pagePerTest, type WebviewPage } from './harness';
import * as f from './fixtures';
import { focusedStop, tabTo } from './keys';
import type { WebviewMessage } from '../../src/webview/protocol';

const RUN_EVENT = { runId: f.RUN, at: Date.now() };

async function lastPosted(w: WebviewPage): Promise<WebviewMessage | undefined> {
  const posted = await w.posted();
  return posted[posted.length - 1];
}

/** What the live status region says now (whitespace squeezed). */
const status = (w: WebviewPage): Promise<string> =>
  w.page.evaluate(() => (document.querySelector('.rz-live')?.textContent ?? '').replace(/\s+/g, ' ').trim());

describe('keyboard and screen reader (chromium, real keys)', function () {
  const current = pagePerTest({ theme: 'light', width: 300, height: 700 });
  let w: WebviewPage;
  beforeEach(() => {
    w = current();
  });

  it('keyboard walk: Tab reaches and keys operate every control from a request to a finished run', async function () {
    this.timeout(120_000);
    const page = w.page;
    const visited = new Set<string>();
    const go = async (target: string, back = false) => {
      for (const stop of await tabTo(page, target, { back })) visited.add(stop);
    };
    const expectPosted = async (message: WebviewMessage, what: string) =>
      assert.deepEqual(await lastPosted(w), message, what);

    await w.send(f.init({ messages: f.conversation }));
    // Header: Check, then the two pickers.
    await go('health-check');
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'health.check' }, 'Enter on Check');
    await go('#rz-model-orchestrator');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expectPosted(
      { type: 'model.switch', role: 'orchestrator', model: 'anthropic/claude-sonnet-4.5' },
      'arrows and Enter on the planner picker',
    );
    await go('#rz-model-worker');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expectPosted(
      { type: 'model.switch', role: 'worker', model: 'qwen2.5-coder:7b' },
      'Space, arrow and Enter on the worker picker',
    );
    // Tabs: the selected one is the tab stop; Enter on it keeps focus there.
    await go('#rz-tab-chat');
    await page.keyboard.press('Enter');
    await w.settle();
    assert.equal(await focusedStop(page), '#rz-tab-chat', 'Enter on the selected tab keeps focus');
    // Chat: code blocks can be scrolled by keyboard, then the message box and Send.
    await go('copy-code');
    await go('#rz-input');
    await page.keyboard.type('add a --quiet flag');
    await go('send');
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'plan.request', text: 'add a --quiet flag', attachments: [] }, 'Enter on Send');

    // The plan arrives and the Tasks tab shows it: focus follows to the tab, not to <body>.
    await w.send({ type: 'plan.shown', planId: 'p1', result: { plan: f.plan, source: 'llm', notes: [] } });
    assert.equal(await focusedStop(page), '#rz-tab-tasks', 'focus follows the plan to the Tasks tab');
    await go('run-plan');
    await go('task:t1');
    await page.keyboard.press('ArrowDown');
    assert.equal(await focusedStop(page), 'task:t2', 'arrows move between task rows');
    await go('rename-task:t2');
    await go('run-plan', true);
    await page.keyboard.press('Enter');
    assert.equal((await lastPosted(w))?.type, 'plan.run', 'Enter on Run');

    // The run starts: Run is gone, and focus moves to the control that replaced it, Cancel.
    await w.send({ type: 'run.events', events: f.runningEvents() });
    assert.equal(await focusedStop(page), 'cancel-run', 'focus moves from Run to Cancel');
    await w.send({
      type: 'run.events',
      events: [{ ...RUN_EVENT, type: 'task.started', taskId: 't3', model: 'm', attempt: 1 }],
    });
    assert.equal(await focusedStop(page), 'cancel-run', 'a task status event leaves Cancel focused');
    await go('task:t1');
    await page.keyboard.press('Enter');
    await w.settle();
    assert.equal(
      await page.locator('.rz-task[data-vkey="t1"] .rz-task-item').getAttribute('aria-expanded'),
      'true',
      'Enter opens a task row',
    );
    assert.equal(await focusedStop(page), 'task:t1', 'the opened row keeps focus');
    await go('open-diff');
    await go('cancel-run', true);
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'run.cancel' }, 'Enter on Cancel');

    // Approvals: answer one, focus moves to the next; a status event never takes it away.
    for (const id of ['ap1', 'ap2'])
      await w.send({
        type: 'approval.requested',
        approval: { id, runId: f.RUN, taskId: 't2', kind: 'command', subject: `npm test ${id}`, prefix: 'npm test' },
      });
    await go('approve:ap1');
    await w.send({
      type: 'run.events',
      events: [{ ...RUN_EVENT, type: 'task.succeeded', taskId: 't3', result: 'ok' }],
    });
    assert.equal(await focusedStop(page), 'approve:ap1', 'a task status event leaves Approve focused');
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'approval.respond', id: 'ap1', decision: 'approve' }, 'Enter on Approve');
    assert.equal(await focusedStop(page), 'approve:ap2', 'focus moves on to the next approval');
    await w.send({ type: 'approval.resolved', id: 'ap1', outcome: 'approved' });
    assert.equal(await focusedStop(page), 'approve:ap2', 'the answered approval going away leaves focus');
    await go('deny:ap2');
    await go('always-allow:ap2');
    await w.send({ type: 'run.events', events: [{ ...RUN_EVENT, type: 'task.failed', taskId: 't2', error: 'x' }] });
    assert.equal(await focusedStop(page), 'always-allow:ap2', 'a task status event leaves Always allow focused');
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'approval.respond', id: 'ap2', decision: 'alwaysAllow' }, 'Enter on Always allow');
    assert.equal(await focusedStop(page), '#rz-tab-tasks', 'after the last approval, focus goes to the Tasks tab');

    // History: the tab, an item to reopen and its Delete (press twice).
    await w.send({
      type: 'history',
      items: [{ id: 'h1', kind: 'run', title: 'Earlier run', at: Date.now(), outcome: 'failed' }],
    });
    await page.keyboard.press('End');
    assert.equal(await focusedStop(page), '#rz-tab-history', 'End selects the last tab');
    await go('history-open:h1');
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'history.open', id: 'h1' }, 'Enter on a history item');
    await go('history-delete:h1');
    await page.keyboard.press('Enter');
    assert.match(await status(w), /Press Delete again/);
    await page.keyboard.press('Enter');
    await expectPosted({ type: 'history.delete', id: 'h1' }, 'Enter twice on Delete');

    const required = [
      'health-check',
      '#rz-model-orchestrator',
      '#rz-model-worker',
      '#rz-tab-chat',
      '#rz-input',
      'send',
      'run-plan',
      'cancel-run',
      'task:t1',
      'approve:ap1',
      'deny:ap2',
      'always-allow:ap2',
      'history-open:h1',
      'history-delete:h1',
    ];
    assert.deepEqual(
      required.filter((stop) => !visited.has(stop)),
      [],
      'controls the walk reached',
    );
    console.log(`      walk reached ${visited.size} focus stops: ${[...visited].join(', ')}`);
  });

  it('dismissing a notice moves focus to the next notice, then to the selected tab', async () => {
    await w.send(f.init());
    for (const message of ['first', 'second']) await w.send({ type: 'notice', level: 'warning', message });
    await w.page.locator('[data-action="dismiss-notice"]').first().focus();
    await w.page.keyboard.press('Enter');
    await w.settle();
    assert.equal(await w.page.locator('.rz-notice').count(), 1);
    assert.match((await focusedStop(w.page)) ?? '', /^dismiss-notice:/, 'on to the next notice');
    await w.page.keyboard.press('Enter');
    await w.settle();
    assert.equal(await w.page.locator('.rz-notice').count(), 0);
    assert.equal(await focusedStop(w.page), '#rz-tab-chat');
  });

  it('an approval the host withdraws while focused hands focus to the next one, then the tab', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    await w.page.click('#rz-tab-tasks');
    for (const id of ['a1', 'a2'])
      await w.send({ type: 'approval.requested', approval: { id, kind: 'write', subject: `.env.${id}` } });
    await w.page.locator('[data-action="deny"][data-id="a1"]').focus();
    await w.send({ type: 'approval.resolved', id: 'a1', outcome: 'cancelled' });
    assert.equal(await focusedStop(w.page), 'approve:a2');
    await w.page.locator('[data-action="approve"][data-id="a2"]').focus();
    await w.send({ type: 'approval.resolved', id: 'a2', outcome: 'cancelled' });
    assert.equal(await focusedStop(w.page), '#rz-tab-tasks');
  });

  it('a Retry that goes away hands focus to its row; a row whose status changes keeps focus', async () => {
    await w.send(f.init({ runEvents: f.finishedEvents() }));
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.locator('[data-action="retry-task"][data-id="t2"]').focus();
    // A retry starts the task again: its row is redrawn without Retry.
    await w.send({
      type: 'run.events',
      events: [{ ...RUN_EVENT, type: 'task.started', taskId: 't2', model: 'm', attempt: 2 }],
    });
    assert.equal(await focusedStop(w.page), 'task:t2');
    const row = await w.page.locator('.rz-task[data-vkey="t2"] .rz-task-item').elementHandle();
    await w.send({
      type: 'run.events',
      events: [{ ...RUN_EVENT, type: 'task.succeeded', taskId: 't2', result: 'ok' }],
    });
    assert.equal(await focusedStop(w.page), 'task:t2');
    assert.equal(await row?.evaluate((el) => el === document.activeElement), true, 'updated in place, not replaced');
    assert.equal(await w.page.locator('.rz-task[data-vkey="t2"] .rz-status').getAttribute('data-status'), 'succeeded');
  });

  it('one persistent live region outside the panels: run start, task failure, approvals, replies, run end', async () => {
    await w.send(f.init({ messages: f.conversation }));
    const region = await w.page.locator('[role="status"]').elementHandle();
    assert.equal(await w.page.locator('[role="status"], [aria-live]').count(), 1, 'one live region');
    assert.equal(
      await w.page.evaluate(() => !!document.querySelector('.rz-live')?.closest('[role="tabpanel"]')),
      false,
      'outside the tab panels',
    );
    assert.equal(await status(w), '', 'a snapshot is not news');
    const says = async (pattern: RegExp) => assert.match(await status(w), pattern);
    await w.send({ type: 'run.events', events: f.runningEvents().slice(0, 1) });
    await says(/^Run started: 3 tasks\.$/);
    await w.send({
      type: 'approval.requested',
      approval: { id: 'ap', kind: 'command', subject: 'npm test', prefix: 'npm test' },
    });
    await says(/^Approval needed: Run this command\? npm test\. 1 waiting\.$/);
    await w.send({ type: 'run.events', events: [{ ...RUN_EVENT, type: 'task.failed', taskId: 't2', error: 'boom' }] });
    await says(/^Task failed: Log each step when verbose\.$/);
    await w.send({
      type: 'run.events',
      events: [{ ...RUN_EVENT, type: 'plan.finished', summary: f.summary('failed') }],
    });
    await says(/^Run failed: 0 of 3 tasks succeeded\.$/);
    await w.send({ type: 'chat.append', message: f.message('r1', 'assistant', 'Run **failed**: see `t2`.') });
    await says(/^Rozet: Run failed: see t2\.$/);
    await w.send({ type: 'notice', level: 'info', message: 'Undid 1 file change.' });
    await says(/^Undid 1 file change\.$/);
    assert.ok(await region?.evaluate((el) => el.isConnected && el.matches('[role="status"]')), 'the same element');
    // The Tasks tab is not open: the region speaks whichever tab is shown.
    assert.equal(await w.page.locator('#rz-panel-tasks').isHidden(), true);
  });

  it('an error is an alert once: other notices coming and going leave its element alone', async () => {
    await w.send(f.init());
    await w.send({ type: 'notice', level: 'error', message: 'The planner failed.' });
    const alert = await w.page.locator('[role="alert"]').elementHandle();
    assert.ok(alert);
    await w.page.evaluate(() => {
      const seen = ((window as Window & { __alerts?: number }).__alerts = 0);
      void seen;
      new MutationObserver((records) => {
        for (const r of records)
          for (const node of r.addedNodes)
            if (node instanceof HTMLElement && node.matches('[role="alert"]'))
              (window as Window & { __alerts?: number }).__alerts! += 1;
      }).observe(document.body, { childList: true, subtree: true });
    });
    await w.send({ type: 'notice', level: 'warning', message: 'Something else.' });
    await w.page.locator('.rz-notice[data-level="warning"] [data-action="dismiss-notice"]').click();
    await w.settle();
    assert.equal(await alert.evaluate((el) => el.isConnected), true, 'the alert element was kept');
    assert.equal(
      await w.page.evaluate(() => (window as Window & { __alerts?: number }).__alerts),
      0,
      'never re-inserted',
    );
    assert.equal(await w.page.locator('[role="alert"]').count(), 1);
    assert.equal(await w.page.locator('.rz-notice[data-level="warning"][role]').count(), 0, 'a warning is no alert');
  });
});
