// Hosts the Rozet UI in the sidebar view (rozet.chat) and in editor panels (Rozet: Open
// Panel). Every webview shows the same state: messages fan out to all of them. Incoming
// messages are validated against the protocol before anything acts on them; run events
// are batched so a fast stream costs at most ~20 posts a second.
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type WebviewMessage } from '../webview/protocol';
import { coalesceDeltas } from '../core/run/coalesce-events';
import type { RunEvent } from '../core/run/events';
import { makeNonce, renderWebviewHtml } from './webview-html';

const FLUSH_MS = 50;

export interface ChatViewDelegate {
  /** A webview (re)connected: the full state it should show. */
  snapshot(): HostMessage;
  handle(message: WebviewMessage): void | Promise<void>;
  reportInvalid(error: string): void;
}

export class ChatViews implements vscode.WebviewViewProvider, vscode.Disposable {
  private readonly webviews = new Set<vscode.Webview>();
  private readonly disposables: vscode.Disposable[] = [];
  private pendingEvents: RunEvent[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  private sidebar: vscode.WebviewView | undefined;
  private readonly panels = new Set<vscode.WebviewPanel>();
  private graph: vscode.WebviewPanel | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly delegate: ChatViewDelegate,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.sidebar = view;
    this.attach(view.webview, view.onDidDispose);
    view.onDidDispose(() => {
      if (this.sidebar === view) this.sidebar = undefined;
    });
  }

  openPanel(): void {
    const panel = vscode.window.createWebviewPanel(
      'rozet.panel',
      'Rozet',
      vscode.ViewColumn.Beside,
      this.webviewOptions(),
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'rozet.svg');
    this.panels.add(panel);
    panel.onDidDispose(() => this.panels.delete(panel));
    this.attach(panel.webview, panel.onDidDispose);
  }

  /** The plan as a graph in an editor tab (one; shown again if it is open). */
  openGraph(): void {
    if (this.graph) {
      this.graph.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel('rozet.graph', 'Rozet: Plan Graph', vscode.ViewColumn.Active, {
      ...this.webviewOptions(),
      retainContextWhenHidden: false,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'rozet.svg');
    this.graph = panel;
    panel.onDidDispose(() => {
      if (this.graph === panel) this.graph = undefined;
    });
    this.attach(panel.webview, panel.onDidDispose, 'graph.js', 'Rozet: Plan Graph');
  }

  /** True when some Rozet webview is on screen (inline approvals can be seen there). */
  get visible(): boolean {
    return this.sidebar?.visible === true || [...this.panels].some((p) => p.visible);
  }

  async reveal(): Promise<void> {
    await vscode.commands.executeCommand('rozet.chat.focus');
  }

  post(message: HostMessage): void {
    // Events already queued go first so the webview sees everything in order.
    this.flushEvents();
    for (const webview of this.webviews) void webview.postMessage(message);
  }

  postEvent(event: RunEvent): void {
    this.pendingEvents.push(event);
    this.flushTimer ??= setTimeout(() => this.flushEvents(), FLUSH_MS);
  }

  dispose(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
  }

  private flushEvents(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pendingEvents.length === 0) return;
    const events = coalesceDeltas(this.pendingEvents);
    this.pendingEvents = [];
    for (const webview of this.webviews) void webview.postMessage({ type: 'run.events', events } satisfies HostMessage);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'dist')] };
  }

  private attach(
    webview: vscode.Webview,
    onDidDispose: vscode.Event<void>,
    script = 'webview.js',
    title = 'Rozet',
  ): void {
    webview.options = this.webviewOptions();
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', script)).toString(),
      cspSource: webview.cspSource,
      nonce: makeNonce(),
      title,
    });
    this.webviews.add(webview);
    const subscription = webview.onDidReceiveMessage(async (data: unknown) => {
      const parsed = parseWebviewMessage(data);
      if (!parsed.ok) {
        this.delegate.reportInvalid(parsed.error);
        return;
      }
      if (parsed.message.type === 'ready') {
        void webview.postMessage(this.delegate.snapshot());
        return;
      }
      await this.delegate.handle(parsed.message);
    });
    this.disposables.push(subscription);
    onDidDispose(() => {
      this.webviews.delete(webview);
      subscription.dispose();
    });
  }
}
