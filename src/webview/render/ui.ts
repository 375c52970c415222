// Pieces shared by the panels.
import type { WebviewMessage } from '../protocol';
import { h } from './dom';
import { errorMessage } from '../../core/text/error-message';

export type Post = (message: WebviewMessage) => void;

/** An inline error in place of what failed to render, so one bad item never blanks the panel. */
export function renderError(what: string, error: unknown): HTMLElement {
  console.error(`[rozet] ${what} failed to render`, error);
  return h('div', { class: 'rz-render-error', role: 'alert' }, `${what} could not be shown: ${errorMessage(error)}`);
}

export function guardItem(render: () => HTMLElement): HTMLElement {
  try {
    return render();
  } catch (error) {
    return renderError('This item', error);
  }
}
