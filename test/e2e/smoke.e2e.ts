// End to end through a real browser: the packaged rozet.vsix installed into code-server,
// driven in chromium as a person would. One code-server and one browser session for the
// whole file; each test continues from the state the previous one left.
//
//   npx mocha --no-package --node-option import=tsx --timeout 120000 'test/e2e/**/*.e2e.ts'
//   ROZET_VSIX=rozet.vsix   use this package instead of running `npm run package` first
import * as assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { editorText, launchChromium, newPage, openWorkbench, runCommand, screenshot, waitForNotification } from './support/browser';
import { packageVsix } from './support/build';
import { type CodeServer, startCodeServer } from './support/code-server';

describe('e2e smoke: Rozet installed from its .vsix in code-server', function () {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;

  before(async function () {
    const vsix = process.env.ROZET_VSIX ? resolve(process.env.ROZET_VSIX) : packageVsix();
    server = await startCodeServer({
      label: 'e2e-smoke',
      vsix: [vsix],
      files: { 'hello.txt': 'Hello from the e2e workspace\nsecond line\n' },
    });
    browser = await launchChromium();
    page = await newPage(browser);
    await openWorkbench(page, server.workbenchUrl());
  });

  after(async function () {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed') await screenshot(page, `e2e-smoke-failed-${this.currentTest.title.replace(/\W+/g, '-')}`);
  });

  it('opens a workspace file from Quick Open and shows its text', async () => {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('hello.txt');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'hello.txt' }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.tab.active', { hasText: 'hello.txt' }).waitFor();
    assert.equal(await editorText(page), 'Hello from the e2e workspace\nsecond line\n');
    await screenshot(page, 'e2e-smoke-1-editor');
  });

  it('shows the Rozet chat view from the activity bar', async () => {
    await page.locator('.activitybar .action-item a[aria-label^="Rozet"]').click();
    // A webview view is two nested iframes: VS Code's host frame, then the content.
    const body = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('body');
    await body.locator(':scope > *').first().waitFor();
    await screenshot(page, 'e2e-smoke-2-chat-view');
  });

  it('runs a Rozet command from the command palette', async () => {
    await runCommand(page, 'Rozet: Health Check');
    await waitForNotification(page, /Rozet/);
    await screenshot(page, 'e2e-smoke-3-health-check');
  });
});
