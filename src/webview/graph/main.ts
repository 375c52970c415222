// The plan graph panel's entry ("Rozet: Open Plan Graph"): the same protocol, store and
// plan edits as the sidebar, drawn as a graph. Loaded under the same strict CSP.
import '../zod-config';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import css from './graph.css';
import editing from '../plan-editing.css';
import { parseHostMessage, type WebviewMessage } from '../protocol';
import { Store } from '../state/store';
import { errorMessage } from '../../core/text/error-message';
import { GraphApp } from './graph-app';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const sheets = [css, editing].map((text) => {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
});
document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];

const store = new Store();
store.onPlanEdit = (planId, plan) => vscode.postMessage({ type: 'plan.edit', planId, plan });
const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
root.classList.add('rz-root', 'rz-graph');
const app = new GraphApp(root, store, (message) => vscode.postMessage(message));

window.addEventListener('message', (event: MessageEvent) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.warn(`[rozet] host message ignored: ${parsed.error}`);
    return;
  }
  try {
    store.apply(parsed.message);
  } catch (error) {
    store.notify('error', `A message from the extension could not be applied: ${errorMessage(error)}`);
  }
  if (parsed.message.type === 'init') app.flush();
  else app.schedule();
});

vscode.postMessage({ type: 'ready' });
