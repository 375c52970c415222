// The History panel: past chats and runs, newest first, to reopen or delete.
import type { Changes } from '../state/model';
import type { Store } from '../state/store';
import { formatDateTime, h } from '../render/dom';
import { guardItem } from '../render/ui';
import { VirtualList } from '../render/virtual-list';

export class HistoryView {
  readonly panel: HTMLElement;
  private readonly list: VirtualList;
  private readonly empty: HTMLElement;

  constructor(private readonly store: Store) {
    const viewport = h('div', { class: 'rz-scroll', role: 'list', 'aria-label': 'History' });
    this.empty = h('p', { class: 'rz-empty' }, 'No past runs or chats yet.');
    this.list = new VirtualList({
      viewport,
      estimate: 44,
      stickToBottom: false,
      render: (key) => guardItem(() => this.renderItem(key)),
      patch: (_el, key) => guardItem(() => this.renderItem(key)),
    });
    this.panel = h(
      'div',
      { class: 'rz-panel', id: 'rz-panel-history', role: 'tabpanel', 'aria-labelledby': 'rz-tab-history' },
      this.empty,
      viewport,
    );
  }

  update(changes: Changes): void {
    if (!changes.all && !changes.history) return;
    const items = this.store.model.history;
    this.list.setKeys(
      items.map((i) => i.id),
      true,
    );
    this.list.layout();
    this.empty.hidden = items.length > 0;
  }

  /** Re-lays out after the panel becomes visible (hidden panels measure as zero). */
  relayout(): void {
    this.list.layout();
  }

  private renderItem(key: string): HTMLElement {
    const item = this.store.model.history.find((i) => i.id === key);
    if (!item) throw new Error(`history item ${key} is missing`);
    return h(
      'div',
      { class: 'rz-hist', role: 'listitem' },
      h(
        'button',
        {
          type: 'button',
          class: 'rz-hist-open',
          'data-action': 'history-open',
          'data-id': item.id,
          title: `Reopen ${item.title}`,
        },
        h('span', { class: 'rz-title' }, item.title),
        h(
          'span',
          { class: 'rz-muted' },
          [item.kind === 'run' ? 'Run' : 'Chat', formatDateTime(item.at), item.outcome].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'rz-link',
          'data-action': 'history-delete',
          'data-id': item.id,
          'aria-label': `Delete ${item.title}`,
        },
        'Delete',
      ),
    );
  }
}
