// Serves the real webview (the bundle built with esbuild.mjs's webview options, inside
// the HTML and CSP from renderWebviewHtml) on 127.0.0.1 and drives it in Debian's
// chromium through playwright-core. A scripted host bridge stands in for VS Code:
// acquireVsCodeApi records posted messages and keeps setState across reloads.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, renderWebviewHtml } from '../../src/extension/webview-html';
import type { HostMessage, WebviewMessage } from '../../src/webview/protocol';

export type Theme = 'light' | 'dark' | 'high-contrast';

const ROOT = join(__dirname, '..', '..');

// The variables VS Code injects into every webview, with Light+/Dark+/High Contrast values.
const THEMES: Record<Theme, Record<string, string>> = {
  light: {
    foreground: '#616161',
    descriptionForeground: '#717171',
    focusBorder: '#0090f1',
    errorForeground: '#a1260d',
    'sideBar-background': '#f3f3f3',
    'editor-background': '#ffffff',
    'editor-foreground': '#000000',
    'panel-border': '#e5e5e5',
    'button-background': '#007acc',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#0062a3',
    'button-secondaryBackground': '#5f6a79',
    'button-secondaryForeground': '#ffffff',
    'button-secondaryHoverBackground': '#4c5561',
    'input-background': '#ffffff',
    'input-foreground': '#616161',
    'input-border': '#cecece',
    'input-placeholderForeground': '#767676',
    'settings-textInputBackground': '#ffffff',
    'settings-textInputForeground': '#616161',
    'settings-textInputBorder': '#cecece',
    'settings-dropdownBackground': '#ffffff',
    'settings-dropdownForeground': '#616161',
    'settings-dropdownBorder': '#cecece',
    'settings-dropdownListBorder': '#c8c8c8',
    'badge-background': '#c4c4c4',
    'badge-foreground': '#333333',
    'textLink-foreground': '#006ab1',
    'textCodeBlock-background': '#dcdcdc66',
    'list-hoverBackground': '#e8e8e8',
    'list-activeSelectionBackground': '#0060c0',
    'list-activeSelectionForeground': '#ffffff',
    'testing-iconPassed': '#388a34',
    'testing-iconFailed': '#f14c4c',
    'progressBar-background': '#0e70c0',
    'editor-inactiveSelectionBackground': '#e5ebf1',
    'textBlockQuote-border': '#007acc80',
    'panelTitle-activeBorder': '#424242',
    'inputValidation-warningBorder': '#b89500',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-errorBackground': '#f2dede',
    'inputValidation-infoBorder': '#007acc',
    'inputValidation-infoBackground': '#d6ecf2',
    'widget-shadow': '#00000029',
  },
  dark: {
    foreground: '#cccccc',
    descriptionForeground: '#9d9d9d',
    focusBorder: '#007fd4',
    errorForeground: '#f48771',
    'sideBar-background': '#252526',
    'editor-background': '#1e1e1e',
    'editor-foreground': '#d4d4d4',
    'panel-border': '#80808059',
    'button-background': '#0e639c',
    'button-foreground': '#ffffff',
    'button-hoverBackground': '#1177bb',
    'button-secondaryBackground': '#3a3d41',
    'button-secondaryForeground': '#ffffff',
    'button-secondaryHoverBackground': '#45494e',
    'input-background': '#3c3c3c',
    'input-foreground': '#cccccc',
    'input-border': '#3c3c3c',
    'input-placeholderForeground': '#a6a6a6',
    'settings-textInputBackground': '#292929',
    'settings-textInputForeground': '#cccccc',
    'settings-textInputBorder': '#3c3c3c',
    'settings-dropdownBackground': '#3c3c3c',
    'settings-dropdownForeground': '#f0f0f0',
    'settings-dropdownBorder': '#3c3c3c',
    'settings-dropdownListBorder': '#454545',
    'badge-background': '#4d4d4d',
    'badge-foreground': '#ffffff',
    'textLink-foreground': '#3794ff',
    'textCodeBlock-background': '#0a0a0a66',
    'list-hoverBackground': '#2a2d2e',
    'list-activeSelectionBackground': '#04395e',
    'list-activeSelectionForeground': '#ffffff',
    'testing-iconPassed': '#73c991',
    'testing-iconFailed': '#f14c4c',
    'progressBar-background': '#0e70c0',
    'editor-inactiveSelectionBackground': '#3a3d41',
    'textBlockQuote-border': '#007acc80',
    'panelTitle-activeBorder': '#e7e7e7',
    'inputValidation-warningBorder': '#b89500',
    'inputValidation-errorBorder': '#be1100',
    'inputValidation-errorBackground': '#5a1d1d',
    'inputValidation-infoBorder': '#007acc',
    'inputValidation-infoBackground': '#063b49',
    'widget-shadow': '#0000005c',
  },
  'high-contrast': {
    foreground: '#ffffff',
    descriptionForeground: '#ffffffb3',
    focusBorder: '#f38518',
    errorForeground: '#f48771',
    contrastBorder: '#6fc3df',
    contrastActiveBorder: '#f38518',
    'sideBar-background': '#000000',
    'editor-background': '#000000',
    'editor-foreground': '#ffffff',
    'panel-border': '#6fc3df',
    'button-background': '#000000',
    'button-foreground': '#ffffff',
    'button-border': '#6fc3df',
    'button-secondaryBackground': '#000000',
    'button-secondaryForeground': '#ffffff',
    'input-background': '#000000',
    'input-foreground': '#ffffff',
    'input-border': '#6fc3df',
    'settings-textInputBackground': '#000000',
    'settings-textInputForeground': '#ffffff',
    'settings-textInputBorder': '#6fc3df',
    'settings-dropdownBackground': '#000000',
    'settings-dropdownForeground': '#ffffff',
    'settings-dropdownBorder': '#6fc3df',
    'badge-background': '#000000',
    'badge-foreground': '#ffffff',
    'textLink-foreground': '#21a6ff',
    'textCodeBlock-background': '#000000',
    'testing-iconPassed': '#73c991',
    'testing-iconFailed': '#f48771',
    'textBlockQuote-border': '#ffffff80',
  },
};
const FONTS = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "monospace", monospace',
  'editor-font-size': '13px',
};

const bundles = new Map<string, Promise<string>>();

/** Builds src/webview/main.ts (or another webview entry) with the same options as esbuild.mjs's webview bundle (once per process). */
export function buildWebview(entry = 'src/webview/main.ts'): Promise<string> {
  let bundle = bundles.get(entry);
  bundle ??= (async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'rozet-webview-'));
    const outfile = join(outdir, 'webview.js');
    await esbuild.build({
      entryPoints: [join(ROOT, entry)],
      outfile,
      bundle: true,
      sourcemap: false,
      minify: false,
      legalComments: 'none',
      logLevel: 'warning',
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      loader: { '.css': 'text' },
    });
    return readFile(outfile, 'utf8');
  })();
  bundles.set(entry, bundle);
  return bundle;
}

export interface Harness {
  browser: Browser;
  origin: string;
  open(options?: { theme?: Theme; width?: number; height?: number }): Promise<WebviewPage>;
  close(): Promise<void>;
}

export async function startHarness(entry?: string): Promise<Harness> {
  const script = await buildWebview(entry);
  const server: Server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(
        renderWebviewHtml({ scriptUri: `${origin}/webview.js`, cspSource: origin, nonce: makeNonce(), title: 'Rozet' }),
      );
    } else if (req.url === '/webview.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(script);
    } else if (req.url === '/favicon.ico') {
      // Chromium asks for it on its own; VS Code webviews have none either.
      res.writeHead(204);
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    origin,
    open: (options = {}) => openWebview(browser, origin, options),
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The page's side of the bridge, installed before the bundle runs. A string, not a
 * function: tsx compiles test code with keepNames, whose helpers do not exist in the page.
 */
function bridgeScript(vars: string, theme: Theme): string {
  return `(() => {
  const posted = [];
  const violations = [];
  window.__posted = posted;
  window.__violations = violations;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return {
      // Structured-clone semantics, like VS Code's postMessage.
      postMessage: (message) => { posted.push(structuredClone(message)); },
      getState: () => {
        const saved = sessionStorage.getItem('rozet-state');
        return saved === null ? undefined : JSON.parse(saved);
      },
      setState: (state) => { sessionStorage.setItem('rozet-state', JSON.stringify(state)); return state; },
    };
  };
  document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective + ' ' + e.blockedURI));
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(${JSON.stringify(`:root { ${vars} }`)});
  document.adoptedStyleSheets = [sheet];
  document.addEventListener('DOMContentLoaded', () => document.body.classList.add(${JSON.stringify(`vscode-${theme}`)}));
})();`;
}

export interface WebviewPage {
  page: Page;
  /** URLs requested beyond the page and its bundle. */
  strayRequests: string[];
  consoleErrors: string[];
  send(message: HostMessage | Record<string, unknown>): Promise<void>;
  /** Waits two frames: the webview coalesces renders with requestAnimationFrame. */
  settle(): Promise<void>;
  posted(): Promise<WebviewMessage[]>;
  violations(): Promise<string[]>;
  savedState(): Promise<unknown>;
  reload(): Promise<void>;
}

async function openWebview(
  browser: Browser,
  origin: string,
  options: { theme?: Theme; width?: number; height?: number },
): Promise<WebviewPage> {
  const theme = options.theme ?? 'dark';
  const context = await browser.newContext({
    viewport: { width: options.width ?? 420, height: options.height ?? 760 },
  });
  const page = await context.newPage();
  const vars = Object.entries({ ...FONTS, ...THEMES[theme] })
    .map(([k, v]) => `--vscode-${k}: ${v};`)
    .join(' ');
  await page.addInitScript({ content: bridgeScript(vars, theme) });
  const strayRequests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (url !== `${origin}/` && url !== `${origin}/webview.js`) strayRequests.push(url);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  const settle = (): Promise<void> =>
    page.evaluate(
      () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
  const ready = async (): Promise<void> => {
    await page.waitForFunction(() =>
      ((window as Window & { __posted?: { type: string }[] }).__posted ?? []).some((m) => m.type === 'ready'),
    );
  };
  await page.goto(`${origin}/`);
  await ready();
  return {
    page,
    strayRequests,
    consoleErrors,
    send: async (message) => {
      await page.evaluate((data) => window.dispatchEvent(new MessageEvent('message', { data })), message);
      await settle();
    },
    settle,
    posted: () => page.evaluate(() => (window as Window & { __posted?: WebviewMessage[] }).__posted ?? []),
    violations: () => page.evaluate(() => (window as Window & { __violations?: string[] }).__violations ?? []),
    savedState: () =>
      page.evaluate(() => {
        const saved = sessionStorage.getItem('rozet-state');
        return saved === null ? undefined : JSON.parse(saved);
      }),
    reload: async () => {
      await page.reload();
      await ready();
      await settle();
    },
  };
}

/**
 * Mocha hooks for the enclosing describe: one browser for the block and a fresh page per
 * test, which must end with no CSP violation and no console error. Returns the current page.
 */
export function pagePerTest(options: { theme?: Theme; width?: number; height?: number } = {}): () => WebviewPage {
  let harness: Harness | undefined;
  let current: WebviewPage | undefined;
  before(async () => {
    harness = await startHarness();
  });
  after(async () => {
    await harness?.close();
  });
  beforeEach(async () => {
    current = await harness!.open(options);
  });
  afterEach(async () => {
    const w = current!;
    assert.deepEqual(await w.violations(), [], 'CSP violations');
    assert.deepEqual(w.consoleErrors, [], 'console errors');
    await w.page.context().close();
  });
  return () => current!;
}
