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
import type { WebviewMessage } from './protocol';
import { Store } from './state/store';
import { App } from './views/app';
import { adoptStyles, listenToHost, mountRoot, reportErrors } from './render/boot';
import { warmUpMarkdown } from './render/markdown';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

adoptStyles(css, editing);

const store = new Store();
// Every view edits the same plan: the host checks each edit and passes it to the others.
store.onPlanEdit = (planId, plan) => vscode.postMessage({ type: 'plan.edit', planId, plan });
try {
  if (!store.restore(vscode.getState()) && vscode.getState() !== undefined)
    console.warn('[rozet] saved state was unusable and is ignored');
} catch (error) {
  console.warn('[rozet] saved state could not be restored', error);
}

const root = mountRoot('rz-root');
const app = new App(
  root,
  store,
  (message) => vscode.postMessage(message),
  () => vscode.setState(store.persisted()),
);
store.takeChanges();
store.setTab(store.model.ui.tab);
app.flush();

listenToHost(store, app, (received) => performance.measure('rozet:init', { start: received }));

reportErrors(store, app);
vscode.postMessage({ type: 'ready' });
warmUpMarkdown();
