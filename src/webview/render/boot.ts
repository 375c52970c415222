// What both webview entries (the sidebar and the plan graph tab) do to start: adopt their
// styles, find their root, and apply every host message to the store, rendering at once
// for a snapshot and on the next frame for anything else.
import { parseHostMessage } from '../protocol';
import type { Store } from '../state/store';
import { errorMessage } from '../../core/text/error-message';

/** A constructed stylesheet is not an inline style, so the CSP needs no 'unsafe-inline'. */
export function adoptStyles(...texts: string[]): void {
  const sheets = texts.map((text) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(text);
    return sheet;
  });
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, ...sheets];
}

export function mountRoot(...classes: string[]): HTMLElement {
  const root = document.getElementById('root') ?? document.body.appendChild(document.createElement('div'));
  root.classList.add(...classes);
  return root;
}

export interface Renderer {
  flush(): void;
  schedule(): void;
}

/** Applies each valid host message; `onSnapshot` runs after an `init` has rendered. */
export function listenToHost(store: Store, view: Renderer, onSnapshot?: (receivedAt: number) => void): void {
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
      view.flush();
      onSnapshot?.(received);
    } else {
      view.schedule();
    }
  });
}

/** Whatever still escapes shows as a notice rather than a silently dead panel. */
export function reportErrors(store: Store, view: Renderer): void {
  window.addEventListener('error', (event) => {
    store.notify('error', `Rozet view error: ${event.message}`);
    view.schedule();
  });
  window.addEventListener('unhandledrejection', (event) => {
    store.notify('error', `Rozet view error: ${errorMessage(event.reason)}`);
    view.schedule();
  });
}
