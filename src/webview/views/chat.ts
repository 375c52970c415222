// The chat panel: a virtualised message list and the composer (text, attachment chips).
import type { TranscriptMessage } from '../protocol';
import type { Changes } from '../state/model';
import type { Store } from '../state/store';
import { formatTime, h, setChildren } from '../render/dom';
import { renderMarkdown } from '../render/markdown';
import { VirtualList } from '../render/virtual-list';
import { guardItem, type Post } from '../render/ui';

const ROLE_LABEL: Record<TranscriptMessage['role'], string> = { user: 'You', assistant: 'Rozet', system: 'System' };

interface TextareaElement extends HTMLElement {
  value: string;
  label: string;
}

export class ChatView {
  readonly panel: HTMLElement;
  private readonly list: VirtualList;
  private readonly chips: HTMLElement;
  private readonly input: TextareaElement;
  private readonly empty: HTMLElement;

  constructor(
    private readonly store: Store,
    private readonly post: Post,
    private readonly requestRender: () => void,
    onDraft: () => void,
  ) {
    const viewport = h('div', {
      class: 'rz-scroll rz-chat-list',
      role: 'list',
      'aria-label': 'Conversation',
      tabindex: 0,
    });
    this.empty = h(
      'p',
      { class: 'rz-empty' },
      'Describe a change — Rozet plans it as tasks and runs them with worker agents.',
    );
    this.list = new VirtualList({
      viewport,
      estimate: 72,
      stickToBottom: true,
      render: (key) => guardItem(() => this.renderMessage(key)),
      patch: (_el, key) => guardItem(() => this.renderMessage(key)),
      place: (el, index, count) => {
        el.setAttribute('aria-posinset', String(index + 1));
        el.setAttribute('aria-setsize', String(count));
      },
    });
    this.chips = h('div', { class: 'rz-chips', role: 'list', 'aria-label': 'Attachments' });
    this.input = h('vscode-textarea', {
      id: 'rz-input',
      class: 'rz-input',
      rows: 3,
      resize: 'vertical',
      placeholder: 'Ask Rozet… (Enter to send, Shift+Enter for a new line)',
    }) as TextareaElement;
    // The inner <textarea>'s name: `label` is a property of vscode-textarea, not an attribute.
    this.input.label = 'Message to Rozet';
    this.input.addEventListener('keydown', (event) => {
      // isComposing: Enter that confirms an IME composition must not send.
      if (
        event.key === 'Enter' &&
        !event.shiftKey &&
        !event.isComposing &&
        !event.altKey &&
        !event.ctrlKey &&
        !event.metaKey
      ) {
        event.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener('input', () => {
      this.store.model.ui.draft = this.input.value;
      onDraft();
    });
    const composer = h(
      'div',
      { class: 'rz-composer' },
      this.chips,
      this.input,
      h(
        'div',
        { class: 'rz-actions' },
        h('vscode-button', { 'data-action': 'send', title: 'Send (Enter)' }, 'Send'),
        h(
          'vscode-button',
          { 'data-action': 'plan', secondary: true, title: 'Plan this request as tasks' },
          'Plan tasks',
        ),
      ),
    );
    this.panel = h(
      'div',
      { class: 'rz-panel rz-chat', id: 'rz-panel-chat', role: 'tabpanel', 'aria-labelledby': 'rz-tab-chat' },
      this.empty,
      viewport,
      composer,
    );
  }

  /** Reads the composer and posts it; used by Enter and the Send / Plan buttons. */
  submit(): void {
    const text = this.input.value.trim();
    const attachments = this.store.model.attachments;
    if (text === '' && attachments.length === 0) return;
    this.post({ type: 'plan.request', text, attachments });
    this.input.value = '';
    this.store.clearComposer();
    this.requestRender();
  }

  focusInput(): void {
    this.input.focus();
  }

  update(changes: Changes): void {
    const { messages } = this.store.model;
    if (changes.all) {
      this.list.setKeys(
        messages.map((m) => m.id),
        true,
      );
      if (this.input.value !== this.store.model.ui.draft) this.input.value = this.store.model.ui.draft;
    } else if (changes.messages) {
      this.list.setKeys(
        messages.map((m) => m.id),
        false,
      );
    }
    for (const id of changes.patchedMessages) this.list.patch(id);
    if (changes.all || changes.messages || changes.patchedMessages.size > 0) this.list.layout();
    this.empty.hidden = messages.length > 0;
    if (changes.all || changes.attachments) this.renderChips();
  }

  /** Re-lays out after the panel becomes visible (hidden panels measure as zero). */
  relayout(): void {
    this.list.layout();
  }

  get mountedCount(): number {
    return this.list.mountedCount;
  }

  private message(key: string): TranscriptMessage | undefined {
    const index = this.store.model.messageIndex.get(key);
    return index === undefined ? undefined : this.store.model.messages[index];
  }

  private renderMessage(key: string): HTMLElement {
    const message = this.message(key);
    if (!message) throw new Error(`message ${key} is missing`);
    const body = h('div', { class: 'rz-msg-body' });
    if (message.role === 'user') body.append(h('p', { class: 'rz-user-text' }, message.text));
    else body.append(renderMarkdown(message.id, message.text));
    return h(
      'article',
      { class: `rz-msg rz-msg-${message.role}`, role: 'listitem' },
      h(
        'div',
        { class: 'rz-msg-head' },
        h('span', { class: 'rz-msg-role' }, ROLE_LABEL[message.role]),
        h('time', { class: 'rz-msg-time', datetime: new Date(message.at).toISOString() }, formatTime(message.at)),
      ),
      message.attachments && message.attachments.length > 0
        ? h(
            'div',
            { class: 'rz-chips' },
            ...message.attachments.map((a) =>
              h('span', { class: 'rz-chip', title: a.text.slice(0, 2000) }, chipLabel(a)),
            ),
          )
        : null,
      body,
    );
  }

  private renderChips(): void {
    setChildren(
      this.chips,
      ...this.store.model.attachments.map((a) =>
        h(
          'span',
          { class: 'rz-chip', role: 'listitem', title: a.text.slice(0, 2000) },
          chipLabel(a),
          h(
            'button',
            {
              type: 'button',
              class: 'rz-chip-remove',
              'data-action': 'remove-attachment',
              'data-id': a.id,
              'aria-label': `Remove ${chipLabel(a)}`,
            },
            '×',
          ),
        ),
      ),
    );
  }
}

function chipLabel(a: { path: string; startLine: number; endLine: number }): string {
  return a.startLine === a.endLine ? `${a.path}:${a.startLine}` : `${a.path}:${a.startLine}-${a.endLine}`;
}
