// The shell: header (models per role, health), notices, tabs, the three panels and the
// approvals strip. It owns the render loop — host messages mark what changed in the
// store and one requestAnimationFrame flush patches just that — and one delegated
// listener per kind of input, which hands clicks to actions.ts.
import type { Tab } from '../state/model';
import type { Store } from '../state/store';
import { h, setChildren } from '../render/dom';
import { errorMessage } from '../../core/text/error-message';
import { renderError, type Post } from '../render/ui';
import { act, type ActionTarget } from './actions';
import { renderApprovals } from './approvals';
import { ChatView } from './chat';
import { renderHeader, type SelectElement } from './header';
import { HistoryView } from './history';
import { TasksView } from './tasks';

const TABS: { tab: Tab; label: string }[] = [
  { tab: 'chat', label: 'Chat' },
  { tab: 'tasks', label: 'Tasks' },
  { tab: 'history', label: 'History' },
];

export class App {
  private readonly header: HTMLElement;
  private readonly notices: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly approvals: HTMLElement;
  private readonly history: HistoryView;
  private readonly chat: ChatView;
  private readonly tasks: TasksView;
  private readonly actionTarget: ActionTarget;
  private frame = 0;
  private persistTimer: number | undefined;

  constructor(
    root: HTMLElement,
    private readonly store: Store,
    private readonly post: Post,
    private readonly persist: () => void,
  ) {
    this.header = h('header', { class: 'rz-header', 'aria-label': 'Models' });
    this.notices = h('div', { class: 'rz-notices' });
    this.tabs = h('div', { class: 'rz-tabs', role: 'tablist', 'aria-label': 'Rozet views' });
    this.approvals = h('section', { class: 'rz-approvals', 'aria-label': 'Approvals', 'aria-live': 'polite' });
    this.chat = new ChatView(
      store,
      post,
      () => this.schedule(),
      () => this.schedulePersist(),
    );
    this.tasks = new TasksView(store);
    this.history = new HistoryView(store);
    this.actionTarget = { store, post, chat: this.chat, tasks: this.tasks, flush: () => this.flush() };
    setChildren(
      root,
      this.header,
      this.notices,
      this.tabs,
      this.chat.panel,
      this.tasks.panel,
      this.history.panel,
      this.approvals,
    );
    root.addEventListener('click', (event) => this.onClick(event));
    root.addEventListener('keydown', (event) => this.onKeyDown(event));
    root.addEventListener('change', (event) => this.onChange(event));
    root.addEventListener('focusout', (event) => {
      const target = event.target as HTMLElement;
      if (target instanceof HTMLInputElement && target.classList.contains('rz-rename')) this.endRename(target, true);
    });
  }

  /** Coalesces everything that arrives within a frame into one render. */
  schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.flush();
    });
  }

  flush(): void {
    if (!this.store.hasChanges) return;
    performance.mark('rozet:flush-start');
    const changes = this.store.takeChanges();
    this.section(
      this.header,
      () => (changes.all || changes.models) && renderHeader(this.header, this.store.model.models),
    );
    this.section(this.notices, () => (changes.all || changes.notices) && this.renderNotices());
    this.section(this.tabs, () => changes.all && this.renderTabs());
    this.section(this.chat.panel, () => this.chat.update(changes));
    this.section(this.tasks.panel, () => this.tasks.update(changes));
    this.section(this.history.panel, () => this.history.update(changes));
    this.section(this.approvals, () => (changes.all || changes.approvals || changes.run) && this.renderApprovals());
    if (changes.all) this.showTab();
    performance.measure('rozet:flush', 'rozet:flush-start');
    this.schedulePersist();
  }

  /** Renders one part of the view; a failure shows inline there instead of blanking the panel. */
  private section(container: HTMLElement, render: () => unknown): void {
    try {
      container.querySelector(':scope > .rz-render-error')?.remove();
      render();
    } catch (error) {
      container.prepend(renderError('Part of this view', error));
    }
  }

  private schedulePersist(): void {
    window.clearTimeout(this.persistTimer);
    this.persistTimer = window.setTimeout(() => this.persist(), 200);
  }

  private endRename(input: HTMLInputElement, commit: boolean): void {
    const taskId = this.tasks.finishRename(input, commit);
    if (taskId === null) return;
    this.flush();
    this.tasks.focusTask(taskId);
  }

  private afterAction(action: () => void): void {
    action();
    this.flush();
  }

  private showTab(): void {
    const current = this.store.model.ui.tab;
    this.chat.panel.hidden = current !== 'chat';
    this.tasks.panel.hidden = current !== 'tasks';
    this.history.panel.hidden = current !== 'history';
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const selected = tab.dataset.tab === current;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    // Lists measured while hidden have zero heights; measure them now they are visible.
    if (current === 'chat') this.chat.relayout();
    if (current === 'tasks') this.tasks.relayout();
    if (current === 'history') this.history.relayout();
  }

  private renderTabs(): void {
    const approvals = this.store.model.approvals.length;
    setChildren(
      this.tabs,
      ...TABS.map(({ tab, label }) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `rz-tab-${tab}`,
            'aria-controls': `rz-panel-${tab}`,
            'data-action': 'tab',
            'data-tab': tab,
          },
          label,
          tab === 'tasks' && approvals > 0
            ? h(
                'vscode-badge',
                { variant: 'counter', 'aria-label': `${approvals} waiting for approval` },
                String(approvals),
              )
            : null,
        ),
      ),
    );
  }

  private renderNotices(): void {
    setChildren(
      this.notices,
      ...this.store.model.notices.map((notice) =>
        h(
          'div',
          { class: 'rz-notice', 'data-level': notice.level, role: notice.level === 'error' ? 'alert' : 'status' },
          h('span', {}, notice.message),
          h(
            'button',
            {
              type: 'button',
              class: 'rz-link',
              'data-action': 'dismiss-notice',
              'data-id': notice.id,
              'aria-label': 'Dismiss',
            },
            '×',
          ),
        ),
      ),
    );
  }

  private renderApprovals(): void {
    renderApprovals(this.approvals, this.store.model);
    this.renderTabs();
  }

  private onClick(event: MouseEvent): void {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!target || target.hasAttribute('disabled')) return;
    try {
      act(target, this.actionTarget);
    } catch (error) {
      this.store.notify('error', `That action failed: ${errorMessage(error)}`);
      this.flush();
    }
  }

  private onKeyDown(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    if (target instanceof HTMLInputElement && target.classList.contains('rz-rename')) {
      if (event.key === 'Enter' || event.key === 'Escape') {
        event.preventDefault();
        this.endRename(target, event.key === 'Enter');
      }
      return;
    }
    if (target.getAttribute('role') === 'tab' && (event.key === 'ArrowRight' || event.key === 'ArrowLeft')) {
      const index = TABS.findIndex((t) => t.tab === target.dataset.tab);
      const next = TABS[(index + (event.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length].tab;
      this.afterAction(() => this.store.setTab(next));
      this.tabs.querySelector<HTMLElement>(`[data-tab="${next}"]`)?.focus();
      event.preventDefault();
    }
  }

  private onChange(event: Event): void {
    const select = (event.target as HTMLElement).closest<SelectElement>('.rz-model-select');
    const role = select?.dataset.role;
    if (!select || (role !== 'orchestrator' && role !== 'worker') || select.value === '') return;
    if (select.value !== this.store.model.models?.[role].model)
      this.post({ type: 'model.switch', role, model: select.value });
  }
}
