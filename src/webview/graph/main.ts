// The plan graph panel's entry ("Rozet: Open Plan Graph"): the same protocol, store and
// plan edits as the sidebar, drawn as a graph. Loaded under the same strict CSP.
import '../zod-config';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import css from './graph.css';
import editing from '../plan-editing.css';
import type { WebviewMessage } from '../protocol';
import { Store } from '../state/store';
import { adoptStyles, listenToHost, mountRoot, reportErrors } from '../render/boot';
import { GraphApp } from './graph-app';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
adoptStyles(css, editing);

const store = new Store();
store.onPlanEdit = (planId, plan) => vscode.postMessage({ type: 'plan.edit', planId, plan });
const root = mountRoot('rz-root', 'rz-graph');
const app = new GraphApp(root, store, (message) => vscode.postMessage(message));

listenToHost(store, app);
reportErrors(store, app);

vscode.postMessage({ type: 'ready' });
