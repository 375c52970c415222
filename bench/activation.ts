// Activation benchmark (issue 5: activate() under 20 ms). Loads the production bundle
// (dist/extension.js from `node esbuild.mjs --production`) in fresh Node processes with
// a stub `vscode` module that implements just what activation touches, and times
// require() of the bundle and activate() separately. Fresh processes, because a second
// load in one process would hit Node's module cache; the median damps a busy machine.
//
//   npx tsx bench/activation.ts      (also part of `npm run bench`)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const RUNS = 15;
const TARGET_ACTIVATE_MS = 20;
const repoRoot = join(__dirname, '..');

// Plain JavaScript run by `node -e`: no tsx loader in the measured process. The stub
// records what activate() registered, so the benchmark also checks it registered the
// commands and views and that disposing the subscriptions disposes them all.
const CHILD = String.raw`
const Module = require('node:module');
const { performance } = require('node:perf_hooks');
let live = 0;
const disposable = () => { live++; let done = false; return { dispose() { if (!done) { done = true; live--; } } }; };
const registered = { commands: [], views: [], contentProviders: [] };
class EventEmitter {
  constructor() { this.listeners = new Set(); this.event = (l) => { this.listeners.add(l); return { dispose: () => this.listeners.delete(l) }; }; }
  fire(v) { for (const l of this.listeners) l(v); }
  dispose() { this.listeners.clear(); }
}
class Disposable { constructor(fn) { this.fn = fn; } dispose() { this.fn?.(); this.fn = undefined; } }
const uri = (path) => ({ scheme: 'file', path, fsPath: path, toString: () => 'file://' + path, with: () => uri(path) });
const noop = () => undefined;
const channel = () => Object.assign(disposable(), { info: noop, warn: noop, error: noop, debug: noop, trace: noop, append: noop, appendLine: noop, show: noop });
const vscode = {
  EventEmitter, Disposable,
  Uri: { file: uri, parse: uri, joinPath: (base, ...parts) => uri([base.path, ...parts].join('/')) },
  StatusBarAlignment: { Left: 1, Right: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  MarkdownString: class { constructor(value) { this.value = value; } },
  commands: {
    registerCommand: (id) => { registered.commands.push(id); return disposable(); },
    executeCommand: async () => undefined,
  },
  window: {
    registerWebviewViewProvider: (id) => { registered.views.push(id); return disposable(); },
    createOutputChannel: channel,
    createStatusBarItem: () => Object.assign(disposable(), { show: noop, hide: noop }),
    showInformationMessage: async () => undefined, showWarningMessage: async () => undefined, showErrorMessage: async () => undefined,
  },
  workspace: {
    registerTextDocumentContentProvider: (scheme) => { registered.contentProviders.push(scheme); return disposable(); },
    onDidChangeConfiguration: () => disposable(),
    getConfiguration: () => ({ get: noop, inspect: noop, has: () => false, update: async () => undefined }),
    workspaceFolders: undefined,
    isTrusted: true,
    fs: { stat: async () => { throw new Error('stub fs'); }, readFile: async () => { throw new Error('stub fs'); } },
  },
};
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const memento = () => { const m = new Map(); return { get: (k, d) => (m.has(k) ? m.get(k) : d), update: async (k, v) => void m.set(k, v), keys: () => [...m.keys()] }; };
const context = {
  subscriptions: [], extensionUri: uri(process.argv[1]), extensionPath: process.argv[1],
  secrets: { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => disposable() },
  workspaceState: memento(), globalState: Object.assign(memento(), { setKeysForSync: noop }),
};
const t0 = performance.now();
const extension = require(process.argv[1] + '/dist/extension.js');
const t1 = performance.now();
const api = extension.activate(context);
const t2 = performance.now();
const liveAfterActivate = live;
// What the first command or view pays once: loading and building the lazy runtime.
const t3 = performance.now();
require(process.argv[1] + '/dist/runtime.js').createRuntime(context);
const t4 = performance.now();
for (const s of context.subscriptions) s.dispose();
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, runtimeMs: t4 - t3, apiVersion: api.version, registered, liveAfterActivate, leftUndisposed: live }));
process.exit(0);
`;

interface Sample {
  requireMs: number;
  activateMs: number;
  runtimeMs: number;
  apiVersion: number;
  registered: { commands: string[]; views: string[]; contentProviders: string[] };
  liveAfterActivate: number;
  leftUndisposed: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export async function benchActivation(): Promise<Record<string, unknown>> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'ignore' });
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) {
    const out = execFileSync(process.execPath, ['-e', CHILD, repoRoot], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    samples.push(JSON.parse(out) as Sample);
  }
  const activate = samples.map((s) => s.activateMs);
  const load = samples.map((s) => s.requireMs);
  const last = samples[samples.length - 1];
  const medianActivate = median(activate);
  return {
    bundle: 'dist/extension.js (production)',
    runs: RUNS,
    activateMs: { median: round(medianActivate), min: round(Math.min(...activate)), max: round(Math.max(...activate)) },
    requireMs: { median: round(median(load)), min: round(Math.min(...load)), max: round(Math.max(...load)) },
    firstUseRuntimeLoadMs: {
      median: round(median(samples.map((s) => s.runtimeMs))),
      note: 'paid once, by the first Rozet command or view',
    },
    activateTargetMs: TARGET_ACTIVATE_MS,
    withinTarget: medianActivate < TARGET_ACTIVATE_MS,
    commandsRegistered: last.registered.commands.length,
    viewsRegistered: last.registered.views,
    disposablesRegistered: last.liveAfterActivate,
    leftUndisposedAfterDeactivate: last.leftUndisposed,
  };
}

if (require.main === module) {
  benchActivation().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
