// The shell: header (models per role, health), notices, tabs, the three panels, the
// approvals strip and the live status region. It owns the render loop — host messages
// mark what changed in the store and one requestAnimationFrame flush patches just that —
// and one delegated listener per kind of input, which hands clicks to actions.ts. Every
// part is patched in place, and where a control that had focus had to go, focus moves
// to the same control rebuilt or the natural next one (render/in-place.ts).
import type { Tab } from '../state/model';
import type { Store } from '../state/store';
import type { ModelRole } from '../protocol';
import { h } from '../render/dom';
import { isFocusable, keepFocus, type Lost } from '../render/in-place';
import { errorMessage } from '../../core/text/error-message';
import { switchedDuringRun } from '../../core/run/model-switch';
import { renderError, type Post } from '../render/ui';
import { act, type ActionTarget } from './actions';
import { ApprovalsView } from './approvals';
import { ChatView } from './chat';
import { HeaderView } from './header';
import { HistoryView } from './history';
import { LiveStatus } from './live-status';
import { NoticesView } from './notices';
import { TasksView } from './tasks';

const TABS: { tab: Tab; label: string }[] = [
  { tab: 'chat', label: 'Chat' },
  { tab: 'tasks', label: 'Tasks' },
  { tab: 'history', label: 'History' },
];
const ROLE_NAMES: Record<ModelRole, string> = { orchestrator: 'Planner', worker: 'Worker' };

export class App {
  private readonly header: HeaderView;
  private readonly notices = new NoticesView();
  private readonly tabs: HTMLElement;
  private readonly approvals = new ApprovalsView();
  private readonly status = new LiveStatus();
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
    this.header = new HeaderView(
      (role, model) => this.pickModel(role, model),
      () => this.post({ type: 'models.refresh' }),
    );
    this.tabs = h(
      'div',
      { class: 'rz-tabs', role: 'tablist', 'aria-label': 'Rozet views' },
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
        ),
      ),
    );
    this.chat = new ChatView(
      store,
      post,
      () => this.schedule(),
      () => this.schedulePersist(),
    );
    this.tasks = new TasksView(store);
    this.history = new HistoryView(store);
    this.actionTarget = {
      store,
      post,
      chat: this.chat,
      tasks: this.tasks,
      approvals: this.approvals,
      notices: this.notices,
      flush: () => this.flush(),
      focusHome: () => this.selectedTab().focus(),
      say: (text) => this.status.say(text),
    };
    root.replaceChildren(
      this.header.element,
      this.notices.element,
      this.tabs,
      this.chat.panel,
      this.tasks.panel,
      this.history.panel,
      this.approvals.element,
      this.status.element,
    );
    root.addEventListener('click', (event) => this.onClick(event));
    root.addEventListener('keydown', (event) => this.onKeyDown(event));
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
    const { model } = this.store;
    const home = () => this.selectedTab();
    this.section(this.header.element, () => (changes.all || changes.models) && this.header.update(model.models));
    this.section(
      this.notices.element,
      () => (changes.all || changes.notices) && this.notices.update(model.notices),
      home,
    );
    this.section(this.tabs, () => (changes.all || changes.approvals) && this.updateBadge());
    if (changes.all) this.showTab();
    this.section(this.chat.panel, () => this.chat.update(changes), home);
    this.section(
      this.tasks.panel,
      () => this.tasks.update(changes),
      (lost) => this.tasks.focusTarget(lost) ?? home(),
    );
    this.section(this.history.panel, () => this.history.update(changes), home);
    if (changes.all) this.relayout();
    this.section(
      this.approvals.element,
      () => (changes.all || changes.approvals || changes.run) && this.approvals.update(model),
      (lost) => this.approvals.nextAfter(lost.element.dataset.id ?? '') ?? home(),
    );
    this.status.update(model);
    performance.measure('rozet:flush', 'rozet:flush-start');
    this.schedulePersist();
  }

  /** Renders one part of the view; a failure shows inline there instead of blanking the panel. */
  private section(container: HTMLElement, render: () => unknown, fallback?: (lost: Lost) => Element | null): void {
    keepFocus(
      container,
      () => {
        try {
          container.querySelector(':scope > .rz-render-error')?.remove();
          render();
        } catch (error) {
          container.prepend(renderError('Part of this view', error));
        }
      },
      fallback,
    );
  }

  private schedulePersist(): void {
    window.clearTimeout(this.persistTimer);
    this.persistTimer = window.setTimeout(() => this.persist(), 200);
  }

  private pickModel(role: ModelRole, model: string): void {
    this.post({ type: 'model.switch', role, model });
    const run = this.store.model.run;
    if (run && !run.summary) this.status.say(`${ROLE_NAMES[role]} model set to ${model}. ${switchedDuringRun(model)}`);
  }

  private endRename(input: HTMLInputElement, commit: boolean): void {
    const taskId = this.tasks.finishRename(input, commit);
    if (taskId === null) return;
    this.flush();
    this.tasks.focusTask(taskId);
  }

  private selectedTab(): HTMLElement {
    return this.tabs.querySelector<HTMLElement>(`[data-tab="${this.store.model.ui.tab}"]`) ?? this.tabs;
  }

  private showTab(): void {
    const current = this.store.model.ui.tab;
    // Focus in a panel that is about to hide would fall to <body>: give it to the tab shown instead.
    const active = document.activeElement;
    const panels = { chat: this.chat.panel, tasks: this.tasks.panel, history: this.history.panel };
    const stranded = Object.entries(panels).some(
      ([tab, panel]) => tab !== current && !panel.hidden && active instanceof Node && panel.contains(active),
    );
    for (const [tab, panel] of Object.entries(panels)) panel.hidden = tab !== current;
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const selected = tab.dataset.tab === current;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    if (stranded) this.selectedTab().focus();
  }

  /** Lists measured while hidden have zero heights; measure the shown one now it is visible. */
  private relayout(): void {
    const current = this.store.model.ui.tab;
    if (current === 'chat') this.chat.relayout();
    if (current === 'tasks') this.tasks.relayout();
    if (current === 'history') this.history.relayout();
  }

  private updateBadge(): void {
    const approvals = this.store.model.approvals.length;
    const tab = this.tabs.querySelector('[data-tab="tasks"]');
    tab?.querySelector('vscode-badge')?.remove();
    if (approvals > 0)
      tab?.append(
        h('vscode-badge', { variant: 'counter', 'aria-label': `${approvals} waiting for approval` }, String(approvals)),
      );
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
    if (target.getAttribute('role') === 'tab') this.onTabKey(target, event);
  }

  /** Arrows move between tabs (wrapping), Home and End to the first and last; each selects. */
  private onTabKey(target: HTMLElement, event: KeyboardEvent): void {
    const index = TABS.findIndex((t) => t.tab === target.dataset.tab);
    const moves: Record<string, number> = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index + TABS.length - 1) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    this.store.setTab(TABS[next].tab);
    this.flush();
    const tab = this.selectedTab();
    if (isFocusable(tab)) tab.focus();
  }
}
