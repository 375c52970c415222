// End to end through a real browser: the packaged rozet.vsix installed into code-server,
// pointed at the scripted model server through user settings, and driven in chromium as
// a person would — command palette, quick picks, input boxes, the editor's context menu,
// the explorer, and the Rozet sidebar webview. One model server, one code-server and one
// browser page for the whole suite; each test loads its own model-server scenario and
// works on its own files in the shared workspace, and clears the notifications it made.
//
//   npx mocha --no-package --node-option import=tsx --timeout 120000 'test/e2e/**/*.e2e.ts'
//   ROZET_VSIX=rozet.vsix          use this package instead of running `npm run package` first
//   ROZET_README_SCREENSHOTS=1     also copy the best step screenshots to media/screenshots/e2e-*.png
//
// Step screenshots: test-results/e2e-*.png (failures: test-results/e2e-failed-*.png).
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Frame, type Page } from 'playwright-core';
import {
  type AgentRule,
  type ModelServer,
  type RecordedRequest,
  type Reply,
  type Scenario,
  startModelServer,
} from '../support/model-server';
import {
  editorText,
  launchChromium,
  newPage,
  openWorkbench,
  runCommand,
  screenshot,
  waitForNotification,
} from './support/browser';
import { packageVsix } from './support/build';
import { type CodeServer, startCodeServer } from './support/code-server';
import { testResultsDir } from './support/paths';
import {
  answerInputBox,
  clearNotifications,
  eventually,
  explorerRow,
  filesContaining,
  notificationButtons,
  pickQuickItem,
  quickOpen,
  quickPickLabels,
  rozetView,
  rozetViewHtml,
  showActivity,
  pickModelInView,
  stepShot,
  taskList,
  reloadToTasks,
  taskRow,
  viewButton,
  waitForNoNotification,
  waitForQuickInput,
  widenSideBar,
} from './support/workbench';

const NOTES_BEFORE = '# Notes\n\nNothing here yet.\n';
const NOTES_AFTER = '# Notes\n\n- greeting.js says hello (added by Rozet).\n';
const GREETING = 'export function greet(name) {\n  return `Hello, ${name}!`;\n}\n';
const KEEP_BEFORE = 'keep: the original text\n';
const SELECT_ME = 'function add(a, b) {\n  return a + b;\n}\n\nfunction sub(a, b) {\n  return a - b;\n}\n';
const MODELS = [
  { id: 'planner-model', tools: true },
  { id: 'worker-model', tools: true },
  { id: 'big-coder-32b', tools: true },
  { id: 'tiny-chat-1b', tools: false },
];

const write = (path: string, content: string, shape: Partial<Reply> = {}): Reply =>
  ({ kind: 'tools', calls: [{ name: 'write_file', arguments: { path, content } }], ...shape }) as Reply;
const done = (text: string): Reply => ({ kind: 'text', text });
/** A worker that writes one file, then says so. */
const worker = (match: string, path: string, content: string, shape: Partial<Reply> = {}): AgentRule => ({
  match,
  hasTools: true,
  steps: [write(path, content, shape), done(`Wrote ${path}.`)],
});

const chatRequests = (server: ModelServer): RecordedRequest[] =>
  server.requests.filter((r) => r.route === 'openai.chat');
const settingsFile = (server: CodeServer): string => join(server.sandbox.userDataDir, 'User', 'settings.json');
const readSettings = (server: CodeServer): Record<string, unknown> =>
  JSON.parse(readFileSync(settingsFile(server), 'utf8')) as Record<string, unknown>;
const diskText = (server: CodeServer, path: string): string | undefined => {
  const file = join(server.sandbox.workspaceDir, path);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
};

describe('e2e: Rozet from its .vsix in code-server, driven through chromium', function () {
  let models: ModelServer;
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  const load = (scenario: Scenario): void => models.load({ models: MODELS, ...scenario });

  /** "Rozet: Plan Task" from the palette with `request` typed into its input box. */
  async function planTask(request: string): Promise<void> {
    await runCommand(page, 'Rozet: Plan Task');
    await answerInputBox(page, 'Rozet: Plan Task', request);
  }

  before(async function () {
    this.timeout(240_000);
    const vsix = process.env.ROZET_VSIX ? resolve(process.env.ROZET_VSIX) : packageVsix();
    // This run's step screenshots only.
    mkdirSync(testResultsDir, { recursive: true });
    for (const file of readdirSync(testResultsDir))
      if (/^e2e-.*\.(png|html)$/.test(file)) rmSync(join(testResultsDir, file));
    models = await startModelServer({ scenario: { models: MODELS } });
    const baseUrl = `${models.url}/v1`;
    server = await startCodeServer({
      label: 'e2e',
      vsix: [vsix],
      files: {
        'hello.txt': 'Hello from the e2e workspace\nsecond line\n',
        'NOTES.md': NOTES_BEFORE,
        'keep.txt': KEEP_BEFORE,
        'select-me.js': SELECT_ME,
      },
      settings: {
        'rozet.orchestrator.provider': 'openaiCompatible',
        'rozet.orchestrator.baseUrl': baseUrl,
        'rozet.orchestrator.model': 'planner-model',
        'rozet.worker.provider': 'openaiCompatible',
        'rozet.worker.baseUrl': baseUrl,
        'rozet.worker.model': 'worker-model',
        'rozet.worker.idleTimeoutSeconds': 30,
        'rozet.maxParallelWorkers': 2,
        'rozet.bash.approval': 'deny',
        // Files opened from Quick Open and the explorer stay open as real tabs.
        'workbench.editor.enablePreview': false,
        // Before and after side by side, even in the narrower editor area next to the wide side bar.
        'diffEditor.useInlineViewWhenSpaceIsLimited': false,
      },
    });
    browser = await launchChromium();
    page = await newPage(browser);
    await openWorkbench(page, server.workbenchUrl());
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
    await models?.close();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      const name = `e2e-failed-${this.currentTest.title.replace(/\W+/g, '-').slice(0, 80)}`;
      await screenshot(page, name);
      mkdirSync(testResultsDir, { recursive: true });
      writeFileSync(join(testResultsDir, `${name}.rozet-view.html`), await rozetViewHtml(page));
    }
    if (page) {
      await page.keyboard.press('Escape');
      await clearNotifications(page);
    }
  });

  it('opens a workspace file from Quick Open and shows the Rozet chat view', async () => {
    await quickOpen(page, 'hello.txt');
    assert.equal(await editorText(page), 'Hello from the e2e workspace\nsecond line\n');
    await showActivity(page, 'Rozet');
    await widenSideBar(page, 520);
    const view = rozetView(page);
    await view.locator('[role="tablist"]').waitFor();
    // The header lists both roles' models once the extension has answered.
    await view.locator('.rz-model-select[data-role="orchestrator"]').waitFor();
    await stepShot(page, 'e2e-01-chat-view');
  });

  it('Plan Task → plan tree in the sidebar → Run → files in the editor → Open diff → Undo run restores the workspace', async () => {
    // Found on the way but not blocking the flow: reported at the end so every step still runs.
    const problems: string[] = [];
    load({
      agent: [
        worker('Task t1: Write the greeting module', 'greeting.js', GREETING, { chunks: 4, delayMs: 100 }),
        worker('Task t2: Mention it in the notes', 'NOTES.md', NOTES_AFTER, { chunks: 4, delayMs: 100 }),
        {
          match: 'greeting module',
          hasTools: false,
          plan: {
            tasks: [
              {
                id: 't1',
                title: 'Write the greeting module',
                description: 'Create greeting.js exporting greet(name).',
                dependsOn: [],
                files: ['greeting.js'],
              },
              // Its own model: an openaiCompatible server serves one request per model at a
              // time, so a second model lets both tasks run in parallel.
              {
                id: 't2',
                title: 'Mention it in the notes',
                description: 'Add a line about greeting.js to NOTES.md.',
                dependsOn: [],
                files: ['NOTES.md'],
                model: 'big-coder-32b',
              },
            ],
          },
        },
      ],
    });
    await planTask('Add a greeting module and mention it in the notes');

    const view = rozetView(page);
    const tree = taskList(view);
    await taskRow(view, 'Write the greeting module').waitFor();
    await taskRow(view, 'Mention it in the notes').waitFor();
    await view.getByText('Planned by the model').waitFor();
    // The plan is shown: the planning progress closes.
    await waitForNoNotification(page, 'Rozet: planning');
    await stepShot(page, 'e2e-02-plan-tree', 'e2e-plan-tree');

    await viewButton(view, 'Run').click();
    await tree.locator('[role="listitem"][data-status="running"]').first().waitFor();
    await stepShot(page, 'e2e-03-run-in-progress');
    await view.getByText(/Succeeded in/).waitFor({ timeout: 30_000 });
    for (const title of ['Write the greeting module', 'Mention it in the notes']) {
      await taskRow(view, title).and(view.locator('[data-status="succeeded"]')).waitFor();
      // What a screen reader announces for the row must follow its status too.
      const named = await view.getByRole('button', { name: `${title} Succeeded`, exact: true }).count();
      if (named !== 1)
        problems.push(`The row of "${title}" is not announced as "${title} Succeeded" after it succeeded.`);
    }
    // Written through WorkspaceEdits and saved (rozet.saveAfterEdit).
    await eventually(
      'greeting.js on disk',
      () => diskText(server, 'greeting.js'),
      (t) => t === GREETING,
    );
    await eventually(
      'NOTES.md on disk',
      () => diskText(server, 'NOTES.md'),
      (t) => t === NOTES_AFTER,
    );

    // The changed files, per task, once a task is expanded.
    await tree.locator('.rz-task-head', { hasText: 'Mention it in the notes' }).click();
    await tree.locator('.rz-task-head', { hasText: 'Write the greeting module' }).click();
    await tree.locator('.rz-files button.rz-file', { hasText: 'NOTES.md' }).waitFor();
    await tree.locator('.rz-files button.rz-file', { hasText: 'greeting.js' }).waitFor();
    await clearNotifications(page);
    await stepShot(page, 'e2e-04-run-finished', 'e2e-run-finished');

    // The new file in an editor (Quick Open keeps the Rozet view on screen).
    await quickOpen(page, 'greeting.js');
    assert.equal(await editorText(page), GREETING);
    await stepShot(page, 'e2e-05-new-file-in-editor');

    // Open diff: before Rozet ↔ now.
    await tree.locator('.rz-files button.rz-file', { hasText: 'NOTES.md' }).click();
    await page.locator('.tab.active', { hasText: 'NOTES.md (before Rozet ↔ now)' }).waitFor();
    const diff = page.locator('.editor-group-container.active .monaco-diff-editor');
    await diff.waitFor();
    await diff.locator('.editor.original .view-line', { hasText: 'Nothing here yet.' }).waitFor();
    await diff.locator('.editor.modified .view-line', { hasText: 'greeting.js says hello' }).waitFor();
    await stepShot(page, 'e2e-06-diff', 'e2e-diff');

    // Undo run: the new file is deleted, the changed one restored, on disk and in the explorer.
    await viewButton(view, 'Undo run').click();
    await waitForNotification(page, /Undid 2 file change/);
    await eventually(
      'NOTES.md restored on disk',
      () => diskText(server, 'NOTES.md'),
      (t) => t === NOTES_BEFORE,
    );
    await eventually(
      'greeting.js removed from disk',
      () => diskText(server, 'greeting.js'),
      (t) => t === undefined,
    );
    await page
      .locator('.tab', { hasText: 'greeting.js' })
      .waitFor({ state: 'detached', timeout: 3000 })
      .catch(() => undefined);
    await stepShot(page, 'e2e-07-undone');
    await showActivity(page, 'Explorer');
    await explorerRow(page, 'NOTES.md').waitFor();
    assert.equal(await explorerRow(page, 'greeting.js').count(), 0, 'greeting.js is gone from the explorer');
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+W');
    await showActivity(page, 'Rozet');
    if (problems.length > 0) throw new Error(problems.join('\n'));
  });

  it('two tasks on one OpenAI-compatible model run at once: "auto" finds the server takes two, and the sidebar shows it', async () => {
    const slow = { chunks: 8, delayMs: 250 };
    load({
      slots: 2,
      agent: [
        worker('Task p1: Write the first part', 'part-one.txt', 'one\n', slow),
        worker('Task p2: Write the second part', 'part-two.txt', 'two\n', slow),
        {
          match: 'two parts',
          hasTools: false,
          plan: {
            tasks: [
              { id: 'p1', title: 'Write the first part', description: '', dependsOn: [], files: ['part-one.txt'] },
              { id: 'p2', title: 'Write the second part', description: '', dependsOn: [], files: ['part-two.txt'] },
            ],
          },
        },
      ],
    });
    await planTask('Write the two parts');
    const view = rozetView(page);
    const tree = view.locator('[role="list"][aria-label="Tasks"]');
    await taskRow(view, 'Write the first part').waitFor();
    await viewButton(view, 'Run').click();
    // Both rows running at the same moment, on the same model ("worker-model").
    await eventually(
      'two tasks running at once',
      () => tree.locator('[role="listitem"][data-status="running"]').count(),
      (n) => n === 2,
    );
    await view.locator('.rz-capacity', { hasText: /^worker-model 2\/\d @ 127\.0\.0\.1:\d+/ }).waitFor();
    await stepShot(page, 'e2e-parallel-two-running', 'e2e-parallel');
    await view.getByText(/Succeeded in/).waitFor({ timeout: 60_000 });
    const stats = models.slotStats()!;
    assert.equal(stats.maxServing, 2, 'the server served both at once');
    assert.ok(stats.maxWaiting <= 1, `at most one request waited at the server (${stats.maxWaiting})`);
    assert.equal(diskText(server, 'part-one.txt'), 'one\n');
    assert.equal(diskText(server, 'part-two.txt'), 'two\n');
  });

  it('a file a run wrote shows in the explorer, and the finished run is still in the sidebar after looking there', async () => {
    load({
      agent: [
        worker('Task t1: Write the changelog', 'CHANGES.md', '# Changes\n\n- Added greeting.js\n'),
        {
          match: 'changelog',
          hasTools: false,
          plan: {
            tasks: [
              {
                id: 't1',
                title: 'Write the changelog',
                description: 'Create CHANGES.md.',
                dependsOn: [],
                files: ['CHANGES.md'],
              },
            ],
          },
        },
      ],
    });
    await planTask('Start a changelog');
    const view = rozetView(page);
    await taskRow(view, 'Write the changelog').waitFor();
    await viewButton(view, 'Run').click();
    await view.getByText(/Succeeded in/).waitFor({ timeout: 30_000 });
    await viewButton(view, 'Undo run').waitFor();

    // A person looks at the new file in the explorer and opens it from there...
    await showActivity(page, 'Explorer');
    await explorerRow(page, 'CHANGES.md').click();
    await page.locator('.tab.active', { hasText: 'CHANGES.md' }).waitFor();
    assert.equal(await editorText(page), '# Changes\n\n- Added greeting.js\n');
    await stepShot(page, 'e2e-08-explorer-and-editor');

    // ...and comes back to Rozet to review or undo the run.
    await showActivity(page, 'Rozet');
    await view.locator('[role="tablist"]').waitFor();
    await stepShot(page, 'e2e-09-back-in-rozet');
    const shown = (await view.locator('.rz-tasks .rz-bar').textContent())?.trim() ?? '';
    assert.match(
      shown,
      /Succeeded in/,
      'After the Rozet view was hidden and shown again it shows the already-run plan with a Run button instead of the finished run ' +
        '(no changed files, no "Undo run"): the host snapshot still carries session.plan after the run started, and ' +
        'src/webview/state/store.ts load() puts it back over the replayed run.',
    );
    await viewButton(view, 'Undo run').waitFor({ timeout: 2000 });
  });

  it('Send Selection to Rozet from the editor context menu → the chip appears in the chat', async () => {
    await quickOpen(page, 'select-me.js');
    const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
    await lines.first().waitFor();
    // Select lines 5–7 (the sub function) with the keyboard, as a person would.
    await lines.filter({ hasText: 'function add' }).click();
    await page.keyboard.press('Control+Home');
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+End');
    await lines.filter({ hasText: 'return a - b' }).click({ button: 'right' });
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Send Selection to Rozet' });
    await item.waitFor();
    await stepShot(page, 'e2e-10-context-menu');
    await item.click();

    // The command reveals the Rozet view; the chip is in the chat composer.
    const view = rozetView(page);
    const chip = view.locator('.rz-composer .rz-chip', { hasText: 'select-me.js:5-7' });
    await chip.waitFor({ state: 'attached' });
    assert.equal(await chip.getAttribute('title'), 'function sub(a, b) {\n  return a - b;\n}');
    await stepShot(page, 'e2e-11-selection-chip-in-dom');
    // What a person sees: the chip on screen without hunting for it.
    await chip.waitFor({ state: 'visible', timeout: 5000 }).catch((error: unknown) => {
      throw new Error(
        'The attachment chip exists but is not visible: the Rozet view stays on the Tasks tab after "Send Selection to Rozet" ' +
          '(src/webview/state/store.ts, case "attachment.added" does not switch ui.tab to "chat"). ' +
          String(error instanceof Error ? error.message.split('\n')[0] : error),
      );
    });
    await stepShot(page, 'e2e-11-selection-chip');
  });

  it("Switch Model lists the server's models and writes the picked one to the user settings", async () => {
    load({});
    const before = models.requests.length;
    await runCommand(page, 'Rozet: Switch Model');
    await pickQuickItem(page, 'for which role', 'Planner (orchestrator)');
    const listed = await quickPickLabels(page, /Planner \(orchestrator\) model/);
    for (const { id } of MODELS) assert.ok(listed.includes(id), `${id} is listed: ${listed.join(', ')}`);
    assert.ok(
      models.requests.slice(before).some((r) => r.route === 'openai.models'),
      'the list came from the server',
    );
    await stepShot(page, 'e2e-12-switch-model-list');
    await pickQuickItem(page, /Planner \(orchestrator\) model/, 'big-coder-32b');
    await pickQuickItem(page, 'Where should big-coder-32b be saved', 'User settings');
    await waitForNotification(page, 'Planner (orchestrator) model is now big-coder-32b');
    await eventually(
      'rozet.orchestrator.model in settings.json',
      () => readSettings(server)['rozet.orchestrator.model'],
      (m) => m === 'big-coder-32b',
    );
    // The sidebar header follows the setting.
    await rozetView(page)
      .locator('.rz-model-select[data-role="orchestrator"] vscode-option[selected]', { hasText: 'big-coder-32b' })
      .waitFor({ state: 'attached' });
    await stepShot(page, 'e2e-13-switch-model-done');
  });

  it('Set API Key stores the key, sends it as Authorization, and writes it to no file', async () => {
    const key = `sk-rozet-e2e-${randomBytes(12).toString('hex')}`;
    load({
      agent: [
        {
          match: 'key check',
          hasTools: false,
          plan: { tasks: [{ id: 't1', title: 'Say hello', description: '', dependsOn: [], files: [] }] },
        },
      ],
    });
    const before = models.requests.length;
    await runCommand(page, 'Rozet: Set API Key');
    await pickQuickItem(page, 'which provider', 'OpenAI-compatible server');
    await waitForQuickInput(page, 'API key');
    const password = page.locator('.quick-input-widget input[type="password"]');
    await password.waitFor();
    await answerInputBox(page, 'API key', key);
    await waitForNotification(page, 'key is stored and works');
    await stepShot(page, 'e2e-14-api-key-stored');
    const check = models.requests.slice(before).find((r) => r.route === 'openai.models');
    assert.equal(check?.headers.authorization, `Bearer ${key}`, 'the key check listed the models with the key');

    // The next planner call carries the key (and the model Switch Model picked).
    const mark = models.requests.length;
    await planTask('A key check request');
    await taskRow(rozetView(page), 'Say hello').waitFor();
    const plan = models.requests.slice(mark).find((r) => r.route === 'openai.chat');
    assert.equal(plan?.headers.authorization, `Bearer ${key}`);
    assert.equal((plan?.body as { model?: string }).model, 'big-coder-32b');

    for (const dir of [server.sandbox.userDataDir, server.sandbox.workspaceDir]) {
      const scan = filesContaining(dir, key);
      assert.ok(scan.files > 0, `${dir} has files to scan`);
      assert.deepEqual(scan.hits, [], `the key is in no file under ${dir} (${scan.files} scanned)`);
    }
  });

  it('a provider answering 401 → a notification naming the fix, and the fallback plan', async () => {
    const unauthorized: Reply = {
      kind: 'error',
      status: 401,
      body: { error: { message: 'Invalid API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } },
    };
    load({ default: unauthorized });
    await planTask('Add a --verbose flag to the CLI');
    const toast = await waitForNotification(page, /rejected the API key/);
    assert.match((await toast.textContent()) ?? '', /Set API Key/);
    assert.ok(
      (await notificationButtons(toast)).includes('Set API Key'),
      `buttons: ${(await notificationButtons(toast)).join(', ')}`,
    );
    const view = rozetView(page);
    await view.getByText(/Fallback plan/).waitFor();
    assert.ok((await taskList(view).locator('.rz-task').count()) > 0, 'the fallback plan has tasks');
    await stepShot(page, 'e2e-15-401-fallback-plan');
    // The button leads straight to the key of the provider that refused it.
    await toast.locator('.monaco-button', { hasText: 'Set API Key' }).click();
    await waitForQuickInput(page, 'OpenAI-compatible server key is set');
    await page.keyboard.press('Escape');
  });

  it('Cancel in the middle of a run stops the workers and leaves no half-written file', async () => {
    const slowly = { chunks: 60, delayMs: 250 };
    load({
      agent: [
        worker('Task t1: Rewrite keep.txt', 'keep.txt', `${'rewritten by a slow worker\n'.repeat(40)}`, slowly),
        worker('Task t2: Create slow.txt', 'slow.txt', `${'new text from a slow worker\n'.repeat(40)}`, slowly),
        {
          match: 'slow workers',
          hasTools: false,
          plan: {
            tasks: [
              { id: 't1', title: 'Rewrite keep.txt', description: 'Rewrite it.', dependsOn: [], files: ['keep.txt'] },
              {
                id: 't2',
                title: 'Create slow.txt',
                description: 'Create it.',
                dependsOn: [],
                files: ['slow.txt'],
                model: 'big-coder-32b',
              },
            ],
          },
        },
      ],
    });
    await planTask('Exercise two slow workers');
    const view = rozetView(page);
    const tree = taskList(view);
    await taskRow(view, 'Create slow.txt').waitFor();
    const mark = chatRequests(models).length;
    await viewButton(view, 'Run').click();
    // Both workers are streaming their write_file calls.
    await eventually(
      'worker requests',
      () => chatRequests(models).length - mark,
      (n) => n >= 2,
    );
    await tree.locator('[role="listitem"][data-status="running"]').nth(1).waitFor();
    await page.waitForTimeout(1000);
    await stepShot(page, 'e2e-16-slow-run', 'e2e-run-in-progress');
    await viewButton(view, 'Cancel').click();

    await view.getByText(/Cancelled in/).waitFor({ timeout: 10_000 });
    await tree.locator('[role="listitem"][data-status="cancelled"]', { hasText: 'Rewrite keep.txt' }).waitFor();
    await tree.locator('[role="listitem"][data-status="cancelled"]', { hasText: 'Create slow.txt' }).waitFor();
    const after = chatRequests(models).length;
    await page.waitForTimeout(2000);
    assert.equal(chatRequests(models).length, after, 'no model call after the cancel');
    assert.equal(diskText(server, 'keep.txt'), KEEP_BEFORE, 'keep.txt keeps its old content');
    assert.equal(diskText(server, 'slow.txt'), undefined, 'slow.txt was never created');
    await stepShot(page, 'e2e-17-cancelled');
  });

  it('a window reload in the middle of a run brings the conversation back with the run marked interrupted', async () => {
    const slowly = { chunks: 60, delayMs: 250 };
    load({
      agent: [
        worker('Task t1: Write reload.txt', 'reload.txt', `${'written slowly\n'.repeat(40)}`, slowly),
        {
          match: 'reload me',
          hasTools: false,
          plan: {
            tasks: [
              { id: 't1', title: 'Write reload.txt', description: 'Write it.', dependsOn: [], files: ['reload.txt'] },
            ],
          },
        },
      ],
    });
    await planTask('Run something slow and reload me');
    let view = rozetView(page);
    await taskRow(view, 'Write reload.txt').waitFor();
    const mark = chatRequests(models).length;
    await viewButton(view, 'Run').click();
    await eventually(
      'the worker streaming',
      () => chatRequests(models).length - mark,
      (n) => n >= 1,
    );
    await view.locator('[role="listitem"][data-status="running"]').waitFor();

    view = await reloadToTasks(page);
    await view
      .locator('[role="listitem"][data-status="cancelled"]', { hasText: 'Write reload.txt' })
      .waitFor({ timeout: 30_000 });
    await stepShot(page, 'e2e-18-interrupted');
    await view.locator('#rz-tab-chat').click();
    await view.getByText(/This run was interrupted/).waitFor();
    assert.equal(diskText(server, 'reload.txt'), undefined, 'no half-written file after the reload');
    await view.locator('#rz-tab-history').click();
    await view
      .locator('#rz-panel-history')
      .getByText(/interrupted/)
      .first()
      .waitFor();
  });
  it('the sidebar pickers switch models with real clicks: settings, status bar and the next plan follow; a switch mid-run waits for the next plan', async () => {
    const slowly = { chunks: 40, delayMs: 200 };
    load({
      agent: [
        worker('Task t1: Write picked.txt', 'picked.txt', 'written slowly\n'.repeat(20), slowly),
        {
          match: 'picked planner',
          hasTools: false,
          plan: {
            tasks: [
              { id: 't1', title: 'Write picked.txt', description: 'Write it.', dependsOn: [], files: ['picked.txt'] },
            ],
          },
        },
      ],
    });
    const view = rozetView(page);
    const plannerBefore = String(readSettings(server)['rozet.orchestrator.model']);
    const workerBefore = String(readSettings(server)['rozet.worker.model']);
    await view.locator('#rz-model-orchestrator').waitFor();
    await pickModelInView(view, 'orchestrator', 'tiny-chat-1b');
    await waitForNotification(page, 'Planner (orchestrator) model is now tiny-chat-1b');
    await eventually(
      'rozet.orchestrator.model in settings.json',
      () => readSettings(server)['rozet.orchestrator.model'],
      (m) => m === 'tiny-chat-1b',
    );
    await page.locator('.statusbar-item', { hasText: 'tiny-chat-1b' }).waitFor();
    await stepShot(page, 'e2e-19-picker-switched');

    // The next plan is asked of the model picked in the sidebar.
    const mark = models.requests.length;
    await planTask('A picked planner request');
    await taskRow(view, 'Write picked.txt').waitFor();
    const plan = models.requests.slice(mark).find((r) => r.route === 'openai.chat');
    assert.equal((plan?.body as { model?: string } | undefined)?.model, 'tiny-chat-1b', 'the plan request');

    // During a run, a pick is saved but the run keeps its models; Rozet says so.
    await viewButton(view, 'Run').click();
    await view.locator('[role="listitem"][data-status="running"]').waitFor();
    const runMark = models.requests.length;
    await pickModelInView(view, 'worker', 'big-coder-32b');
    await waitForNotification(page, 'the next plan uses big-coder-32b');
    await view.getByText(/Succeeded in/).waitFor({ timeout: 30_000 });
    const runModels = models.requests
      .slice(runMark)
      .filter((r) => r.route === 'openai.chat')
      .map((r) => (r.body as { model?: string }).model);
    assert.ok(runModels.length > 0, 'the worker asked the model again after the switch');
    assert.deepEqual([...new Set(runModels)], [workerBefore], 'the run kept its worker model');
    await stepShot(page, 'e2e-20-picker-during-run');

    // Back as they were, through the pickers again.
    await pickModelInView(view, 'worker', workerBefore);
    await pickModelInView(view, 'orchestrator', plannerBefore);
    await eventually(
      'both models restored in settings.json',
      () => readSettings(server),
      (s) => s['rozet.orchestrator.model'] === plannerBefore && s['rozet.worker.model'] === workerBefore,
    );
  });

  it('a run cut off by a window reload goes on with Resume: finished tasks are not run again', async () => {
    const task = (id: string, title: string, file: string, dependsOn: string[] = []) => ({
      id,
      title,
      description: `${title}.`,
      dependsOn,
      files: [file],
    });
    const plan = {
      tasks: [task('t1', 'Write first.txt', 'first.txt'), task('t2', 'Write second.txt', 'second.txt', ['t1'])],
    };
    load({
      agent: [
        worker('Task t2: Write second.txt', 'second.txt', 'second\n', { firstTokenDelayMs: 120_000 }),
        worker('Task t1: Write first.txt', 'first.txt', 'first\n'),
        { match: 'resume me', hasTools: false, plan },
      ],
    });
    await planTask('Write two files, then resume me');
    let view = rozetView(page);
    await taskRow(view, 'Write second.txt').waitFor();
    await viewButton(view, 'Run').click();
    await view
      .locator('[role="listitem"][data-status="succeeded"]', { hasText: 'Write first.txt' })
      .waitFor({ timeout: 30_000 });
    await view.locator('[role="listitem"][data-status="running"]', { hasText: 'Write second.txt' }).waitFor();

    view = await reloadToTasks(page);
    await viewButton(view, 'Resume').waitFor({ timeout: 30_000 });
    await stepShot(page, 'e2e-21-resume-offered');

    // Now the second task answers at once; the first must not be asked again.
    load({
      agent: [
        worker('Task t2: Write second.txt', 'second.txt', 'second\n'),
        worker('Task t1: Write first.txt', 'first.txt', 'first again\n'),
      ],
    });
    const mark = chatRequests(models).length;
    await viewButton(view, 'Resume').click();
    await view.getByText(/Succeeded in/).waitFor({ timeout: 60_000 });
    const asked = chatRequests(models)
      .slice(mark)
      .map((r) => JSON.stringify(r.body));
    assert.equal(
      asked.filter((b) => b.includes('Task t1: Write first.txt')).length,
      0,
      'the finished task was not run again',
    );
    assert.ok(
      asked.some((b) => b.includes('Task t2: Write second.txt')),
      'the cut-off task ran',
    );
    // The kept task's result still feeds its dependent.
    assert.ok(
      asked.some((b) => b.includes('t1 (Write first.txt): Wrote first.txt.')),
      't2 saw what t1 answered',
    );
    await eventually(
      'second.txt on disk',
      () => diskText(server, 'second.txt'),
      (t) => t === 'second\n',
    );
    assert.equal(diskText(server, 'first.txt'), 'first\n');
    await stepShot(page, 'e2e-22-resumed');
  });

  it('the plan graph: a dependency added in it changes the order of the run, which it shows live', async () => {
    const task = (id: string, title: string, file: string) => ({
      id,
      title,
      description: `${title}.`,
      dependsOn: [],
      files: [file],
    });
    load({
      agent: [
        worker('Task t1: Graph first', 'graph-first.txt', 'first\n'),
        worker('Task t2: Graph second', 'graph-second.txt', 'second\n'),
        {
          match: 'graph me',
          hasTools: false,
          plan: {
            tasks: [task('t1', 'Graph first', 'graph-first.txt'), task('t2', 'Graph second', 'graph-second.txt')],
          },
        },
      ],
    });
    await planTask('Two independent files, graph me');
    const view = rozetView(page);
    await taskRow(view, 'Graph second').waitFor();
    await viewButton(view, 'Graph').click();
    const graph = await graphFrame(page);
    await graph.locator('g.rz-node[data-id="t1"]').click();
    await graph.locator('.rz-graph-details input[name="dependsOn"][value="t2"]').check();
    await graph.locator('.rz-graph-details vscode-button[data-action="save-task"]').click();
    // A straight vertical edge has no width, which Playwright counts as hidden: attached is what shows it drawn.
    await graph.locator('path.rz-edge[data-from="t2"][data-to="t1"]').waitFor({ state: 'attached' });
    // The sidebar tree follows the edit made in the graph.
    await view.locator('.rz-plan-task', { hasText: 'after t2' }).waitFor();
    await stepShot(page, 'e2e-23-plan-graph', 'e2e-plan-graph');

    const mark = chatRequests(models).length;
    await graph.locator('vscode-button[data-action="run-plan"]').click();
    await graph.locator('g.rz-node[data-id="t1"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    await graph.locator('g.rz-node[data-id="t2"][data-status="succeeded"]').waitFor();
    const asked = chatRequests(models)
      .slice(mark)
      .map((r) => JSON.stringify(r.body));
    const firstOf = (title: string) => asked.findIndex((b) => b.includes(title));
    assert.ok(
      firstOf('Task t2: Graph second') >= 0 && firstOf('Task t2: Graph second') < firstOf('Task t1: Graph first'),
      't2 ran first',
    );
    await page.keyboard.press('Control+W');
  });
});

/** The plan graph's webview (an editor tab), once it has drawn. */
async function graphFrame(page: Page): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) {
      const found = await frame
        .evaluate(() => document.querySelector('.rz-graph g.rz-node') !== null)
        .catch(() => false);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error('the plan graph did not open');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
