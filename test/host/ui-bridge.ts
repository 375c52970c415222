// The driver's half of `ui()` in helpers.ts: a loopback HTTP endpoint through which a
// host test asks the browser to do what a person would — press a button in Rozet's
// sidebar, or type into the open input box. A test inside the extension host has no
// other way to answer that UI (an inline approval, Set API Key's password box), and
// answering it for real is what exercises those code paths. (Modal dialogs cannot be
// answered: VS Code refuses to show them while extension tests run.)
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { screenshot } from '../e2e/support/browser';
import type { UiAction } from './results';
import { errorMessage } from '../../src/core/text/error-message';

export interface UiBridge {
  url: string;
  close(): Promise<void>;
}

const WAIT_MS = 15_000;

async function perform(page: Page, action: UiAction): Promise<void> {
  if (action.action === 'clickViewButton') {
    // VS Code's host iframe, then the content frame (as test/e2e/support/workbench.ts).
    const view = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
    await view
      .locator('vscode-button:not([disabled])', { hasText: new RegExp(`^\\s*${action.label}\\s*$`) })
      .first()
      .click({ timeout: WAIT_MS });
    return;
  }
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: WAIT_MS });
  await input.fill(action.text);
  await input.press('Enter');
}

export async function startUiBridge(page: Page): Promise<UiBridge> {
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (chunk: Buffer) => parts.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          await perform(page, JSON.parse(Buffer.concat(parts).toString('utf8')) as UiAction);
          res.writeHead(200).end('ok');
        } catch (error) {
          await screenshot(page, 'host-ui-bridge-failed');
          res.writeHead(500).end(errorMessage(error));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ui`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
