// Workbench gestures beyond the basics in browser.ts: quick picks and input boxes, the
// notification centre, the explorer, the editor's context menu, and the Rozet webview.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type FrameLocator, type Locator, type Page } from 'playwright-core';
import { repoRoot } from './paths';
import { runCommand, screenshot } from './browser';
import { errorMessage } from '../../../src/core/text/error-message';

const quickInput = (page: Page): Locator => page.locator('.quick-input-widget');

/** Waits for the quick input whose title contains `title` (an input box or a quick pick). */
export async function waitForQuickInput(page: Page, title: string | RegExp): Promise<Locator> {
  const widget = quickInput(page);
  await widget.locator('.quick-input-title', { hasText: title }).waitFor();
  return widget;
}

/** Types into the open input box (e.g. the Plan Task request, a password) and presses Enter. */
export async function answerInputBox(page: Page, title: string | RegExp, text: string): Promise<void> {
  const widget = await waitForQuickInput(page, title);
  const input = widget.locator('input.input');
  await input.fill(text);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

/** The rows a quick pick titled `title` shows, by their labels. */
export async function quickPickLabels(page: Page, title: string | RegExp): Promise<string[]> {
  const widget = await waitForQuickInput(page, title);
  await widget.locator('.quick-input-list .monaco-list-row').first().waitFor();
  return widget.locator('.quick-input-list .monaco-list-row .label-name').allTextContents();
}

/** Clicks the quick pick row whose label is exactly `label`. */
export async function pickQuickItem(page: Page, title: string | RegExp, label: string): Promise<void> {
  const widget = await waitForQuickInput(page, title);
  const row = widget
    .locator('.quick-input-list .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) });
  await row.first().click();
}

/** Closes every notification so the next step's toasts are the only ones on screen. */
export async function clearNotifications(page: Page): Promise<void> {
  const toasts = page.locator('.notification-toast');
  for (let i = 0; i < 20 && (await toasts.count()) > 0; i++) {
    // The toast's own X; hovering shows it.
    const toast = toasts.first();
    await toast.hover().catch(() => undefined);
    const close = toast.locator('.codicon-notifications-clear, .codicon-close').first();
    if (await close.isVisible().catch(() => false)) await close.click().catch(() => undefined);
    else await page.keyboard.press('Escape');
    await page.waitForTimeout(50);
  }
}

/** The buttons a toast offers, by label. */
export async function notificationButtons(toast: Locator): Promise<string[]> {
  return (await toast.locator('.monaco-button').allTextContents()).map((t) => t.trim()).filter(Boolean);
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a person would. */
export async function quickOpen(page: Page, file: string): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: file }).first();
  // A file created a moment ago may be missing from the file search's first answer;
  // like a person, close the picker and ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill(file);
    try {
      await row.waitFor({ timeout: 5000 });
      break;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 4) throw error;
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: file }).waitFor();
}

/** Shows a side bar view container from the activity bar ("Explorer", "Rozet"). */
export async function showActivity(page: Page, name: string): Promise<void> {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${name}"]`);
  // A click on the already active item would hide the side bar.
  const checked = await item.evaluate((el) => el.closest('.action-item')?.classList.contains('checked') ?? false);
  if (!checked) await item.click();
}

/** The explorer row of a top-level file, once shown. */
export function explorerRow(page: Page, name: string): Locator {
  return page
    .locator('.explorer-folders-view .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
}

/** Rozet's sidebar webview: VS Code's host iframe, then the content frame. */
export function rozetView(page: Page): FrameLocator {
  // The sidebar's webview, not an editor tab's (the plan graph is one too): VS Code adds
  // webview frames in the order they are created, and the sidebar comes before any tab.
  return page.locator('iframe.webview.ready').first().contentFrame().frameLocator('#active-frame');
}

/** The Tasks panel's list of task rows, by its accessible name. */
export function taskList(view: FrameLocator): Locator {
  return view.getByRole('list', { name: 'Tasks', exact: true });
}

/** A task row (of the plan under review or of the run) by its exact title. */
export function taskRow(view: FrameLocator, title: string): Locator {
  return view.locator('.rz-task', {
    has: view.locator('.rz-title', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }),
  });
}

/**
 * Picks `model` in the header's picker for `role` with real clicks: the picker, then the
 * option in its list.
 */
export async function pickModelInView(
  view: FrameLocator,
  role: 'orchestrator' | 'worker',
  model: string,
): Promise<void> {
  const picker = view.locator(`#rz-model-${role}`);
  await picker.click();
  await picker.locator('li.option', { hasText: new RegExp(`^\\s*${escapeRegExp(model)}\\s*$`) }).click();
}

/** A vscode-button in the Rozet view by its exact text. */
export function viewButton(view: FrameLocator, text: string): Locator {
  return view.locator('vscode-button', { hasText: new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`) });
}

/** Saves the step screenshot; with ROZET_README_SCREENSHOTS=1 also media/screenshots/<readmeName>.png. */
export async function stepShot(page: Page, name: string, readmeName?: string): Promise<void> {
  const file = await screenshot(page, name);
  if (readmeName && process.env.ROZET_README_SCREENSHOTS === '1') {
    const dir = join(repoRoot, 'media', 'screenshots');
    mkdirSync(dir, { recursive: true });
    copyFileSync(file, join(dir, `${readmeName}.png`));
  }
}

/** Every file under `dir` (recursively) whose bytes contain `needle` as UTF-8 or UTF-16LE. */
export function filesContaining(dir: string, needle: string): { files: number; hits: string[] } {
  const patterns = [Buffer.from(needle, 'utf8'), Buffer.from(needle, 'utf16le')];
  const hits: string[] = [];
  let files = 0;
  const walk = (current: string): void => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() || (entry.isSymbolicLink() && statSync(path, { throwIfNoEntry: false })?.isFile())) {
        files++;
        const bytes = readFileSync(path);
        if (patterns.some((p) => bytes.includes(p))) hits.push(path);
      }
    }
  };
  walk(dir);
  return { files, hits };
}

/** Polls `read` until `accept` holds (or throws with the last value seen). */
export async function eventually<T>(
  what: string,
  read: () => T | Promise<T>,
  accept: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Drags the side bar's edge so it is `width` px wide (the default is too narrow for task titles). */
export async function widenSideBar(page: Page, width: number): Promise<void> {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
  // Off the sash, which stays highlighted while hovered.
  await page.mouse.move(box.x + width + 300, y);
}

/** Waits until no toast containing `text` is on screen (e.g. a progress notification closing). */
export async function waitForNoNotification(page: Page, text: string | RegExp, timeoutMs = 10_000): Promise<void> {
  await page
    .locator('.notification-toast', { hasText: text })
    .first()
    .waitFor({ state: 'detached', timeout: timeoutMs });
}

/** The Rozet view's HTML, for test-results/ when a test fails (best effort). */
export async function rozetViewHtml(page: Page): Promise<string> {
  try {
    return await rozetView(page)
      .locator('body')
      .evaluate((body) => body.outerHTML, undefined, { timeout: 2000 });
  } catch (error) {
    return `(no Rozet view: ${errorMessage(error)})`;
  }
}

/**
 * Reloads the window the user's way (VS Code flushes its storage first, as on any window
 * close) and shows the Rozet sidebar's Tasks tab again. The reloaded window restores the
 * side bar it had; it is opened only if it did not, since a click on the restored (checked)
 * item would hide it again.
 */
export async function reloadToTasks(page: Page): Promise<FrameLocator> {
  await Promise.all([page.waitForEvent('load', { timeout: 60_000 }), runCommand(page, 'Developer: Reload Window')]);
  await page.locator('#status\\.host').waitFor({ timeout: 60_000 });
  const view = rozetView(page);
  const restored = await view
    .locator('[role="tablist"]')
    .waitFor({ timeout: 15_000 })
    .then(
      () => true,
      () => false,
    );
  if (!restored) await showActivity(page, 'Rozet');
  await view.locator('#rz-tab-tasks').click();
  return view;
}
