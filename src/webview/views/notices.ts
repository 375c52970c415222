// Notices under the header: errors, warnings and confirmations from the host, each with
// Dismiss. Kept in place between renders: an error is an alert announced once, when it
// appears, not again whenever another notice comes or goes. Warnings and confirmations
// are read out by the live status region instead.
import type { Notice } from '../state/model';
import { h } from '../render/dom';
import { patchChildren } from '../render/in-place';

const LEVEL_LABEL: Record<Notice['level'], string> = { error: 'Error', warning: 'Warning', info: 'Note' };

export class NoticesView {
  readonly element = h('div', { class: 'rz-notices' });

  update(notices: Notice[]): void {
    patchChildren(
      this.element,
      notices.map((notice) =>
        h(
          'div',
          {
            class: 'rz-notice',
            'data-key': notice.id,
            'data-level': notice.level,
            role: notice.level === 'error' ? 'alert' : null,
          },
          h('span', {}, h('span', { class: 'rz-notice-level' }, `${LEVEL_LABEL[notice.level]}: `), notice.message),
          h(
            'button',
            {
              type: 'button',
              class: 'rz-link rz-dismiss',
              'data-action': 'dismiss-notice',
              'data-id': notice.id,
              'aria-label': `Dismiss: ${notice.message.slice(0, 80)}`,
            },
            '×',
          ),
        ),
      ),
    );
  }

  /** Where focus goes when notice `id` is dismissed: the next notice's Dismiss, else the previous one's. */
  neighbour(id: number): HTMLElement | null {
    const notice = this.element.querySelector(`[data-key="${id}"]`);
    const other = notice?.nextElementSibling ?? notice?.previousElementSibling;
    return other?.querySelector<HTMLElement>('[data-action="dismiss-notice"]') ?? null;
  }
}
