// Webview entry: adopt styles, restore the last state (VS Code destroys hidden webviews;
// getState/setState bridge that without retainContextWhenHidden), render at once so the
// panel is never blank, then tell the host we are ready for its snapshot.
import './zod-config';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import css from './styles.css';
import editing from './plan-editing.css';
import { parseHostMessage, type WebviewMessage } from './protocol';
import { Store } from './state/store';
import { App } from './views/app';
import { errorMessage } from '../core/text/error-message';
import { warmUpMarkdown } from './render/markdown';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

// A constructed stylesheet is not an inline style, so the CSP needs no 'unsafe-inline'.
const sheets = [css, editing].map((text) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
});
document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];

const store = new Store();
// Every view edits the same plan: the host checks each edit and passes it to the others.
store.onPlanEdit = (planId, plan) => vscode.postMessage({ type: 'plan.edit', planId, plan });
try {
  if (!store.restore(vscode.getState()) && vscode.getState() !== undefined)
    console.warn('[rozet] saved state was unusable and is ignored');
} catch (error) {
  console.warn('[rozet] saved state could not be restored', error);
}

const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('rz-root');
const app = new App(
  root,
  store,
  (message) => vscode.postMessage(message),
  () => vscode.setState(store.persisted()),
);
store.takeChanges();
store.setTab(store.model.ui.tab);
app.flush();

window.addEventListener('message', (event: MessageEvent) => {
  const received = performance.now();
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`[rozet] host message ignored: ${parsed.error}`);
    return;
  }
  if (parsed.dropped?.length)
    console.warn(`[rozet] ${parsed.dropped.length} malformed item(s) dropped: ${parsed.dropped[0]}`);
  try {
    store.apply(parsed.message);
  } catch (error) {
    store.notify('error', `A message from the extension could not be applied: ${errorMessage(error)}`);
  }
  // A full snapshot renders at once (no empty frame); streaming waits for the next frame.
  if (parsed.message.type === 'init') {
    app.flush();
    performance.measure('rozet:init', { start: received });
  } else {
    app.schedule();
  }
});

// Whatever still escapes shows as a notice rather than a silently dead panel.
window.addEventListener('error', (event) => {
  store.notify('error', `Rozet view error: ${event.message}`);
  app.schedule();
});
window.addEventListener('unhandledrejection', (event) => {
  store.notify('error', `Rozet view error: ${errorMessage(event.reason)}`);
  app.schedule();
});

vscode.postMessage({ type: 'ready' });
warmUpMarkdown();
