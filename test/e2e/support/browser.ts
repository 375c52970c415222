// Debian's chromium driven by playwright-core (no browser download is possible here),
// and the few workbench gestures tests need, done the way a person does them.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { findVsCodeInstall, testResultsDir } from './paths';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findVsCodeInstall().chromium,
    // No sandbox: CI runs as root. No GPU: none here. No background networking: only
    // loopback is reachable and its retries only slow startup.
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A page sized so the workbench shows the sidebar, an editor and the panel at once. */
export async function newPage(browser: Browser): Promise<Page> {
  return browser.newPage({ viewport: { width: 1440, height: 900 } });
}

/** Loads the workbench and waits until it is connected to the server. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  // A busy 2-core machine (CI) can take well over 30 s to serve the first workbench load.
  await page.goto(url, { timeout: 120_000 });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  // The status bar's remote host indicator appears once the workbench has connected to
  // the server, which is also when the server starts the extension host.
  await page.locator('#status\\.host').waitFor({ timeout: 60_000 });
}

/** Runs a command from the palette by its title as the palette shows it, e.g. "Rozet: Plan Task". */
export async function runCommand(page: Page, title: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await page.keyboard.press('F1');
  await input.waitFor();
  await input.fill(`>${title}`);
  // Enter picks the first row; wait for the exact one to be first so a slow filter
  // cannot run a different command.
  const first = page.locator('.quick-input-list .monaco-list-row').first();
  await first.locator('.label-name', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
}

/** The toast whose message contains `text`, once visible. */
export async function waitForNotification(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Locator> {
  const toast = page.locator('.notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout: timeoutMs });
  return toast;
}

/**
 * The text of the active editor as rendered. Monaco renders only the lines in view, so
 * this is the whole file only for files that fit on screen.
 */
export async function editorText(page: Page): Promise<string> {
  const lines = page.locator('.editor-group-container.active .monaco-editor .view-lines .view-line');
  // Even an empty file renders one line; before that the editor is still opening.
  await lines.first().waitFor();
  const rendered = await lines.evaluateAll((elements) =>
    elements
      .map((element) => ({
        top: Number.parseFloat((element as HTMLElement).style.top),
        text: element.textContent ?? '',
      }))
      .sort((a, b) => a.top - b.top)
      .map((line) => line.text),
  );
  // Monaco renders spaces as non-breaking spaces.
  return rendered.join('\n').replace(/\u00a0/g, ' ');
}

/** Saves test-results/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(testResultsDir, { recursive: true });
  const file = join(testResultsDir, `${name}.png`);
  // Finished animations: a toast caught fading in is unreadable.
  await page.screenshot({ path: file, animations: 'disabled' });
  return file;
}
