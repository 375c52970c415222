// The shell: header (models per role, health), notices, tabs, the three panels and the
// approvals strip. It owns the render loop — host messages mark what changed in the
// store and one requestAnimationFrame flush patches just that — and every action,
// through one delegated listener (the CSP forbids inline handlers, and per-row
// listeners would not survive virtualisation anyway).
import type { Role, RoleConfig } from './protocol';
import type { Changes, Store, Tab } from './store';
import { editedPlan } from './store';
import { formatDateTime, h, setChildren } from './dom';
import { ChatView } from './chat';
import { TasksView } from './tasks';
import { VirtualList } from './virtual-list';
import { errorText, guardItem, renderError, type Post } from './ui';

const ROLES: { role: Role; label: string }[] = [
  { role: 'orchestrator', label: 'Planner' },
  { role: 'worker', label: 'Worker' },
];
const TABS: { tab: Tab; label: string }[] = [
  { tab: 'chat', label: 'Chat' },
  { tab: 'tasks', label: 'Tasks' },
  { tab: 'history', label: 'History' },
];
const HEALTH_LABEL = { ok: 'reachable', error: 'not reachable', unknown: 'not checked yet' } as const;

interface SelectElement extends HTMLElement {
  value: string;
}

export class App {
  private readonly header: HTMLElement;
  private readonly notices: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly approvals: HTMLElement;
  private readonly historyPanel: HTMLElement;
  private readonly historyList: VirtualList;
  private readonly historyEmpty: HTMLElement;
  private readonly chat: ChatView;
  private readonly tasks: TasksView;
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
    const historyViewport = h('div', { class: 'rz-scroll', role: 'list', 'aria-label': 'History' });
    this.historyEmpty = h('p', { class: 'rz-empty' }, 'No past runs or chats yet.');
    this.historyList = new VirtualList({
      viewport: historyViewport,
      estimate: 44,
      stickToBottom: false,
      render: (key) => guardItem(() => this.renderHistoryItem(key)),
      patch: (_el, key) => guardItem(() => this.renderHistoryItem(key)),
    });
    this.historyPanel = h(
      'div',
      { class: 'rz-panel', id: 'rz-panel-history', role: 'tabpanel', 'aria-labelledby': 'rz-tab-history' },
      this.historyEmpty,
      historyViewport,
    );
    setChildren(
      root,
      this.header,
      this.notices,
      this.tabs,
      this.chat.panel,
      this.tasks.panel,
      this.historyPanel,
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
    this.section(this.header, () => (changes.all || changes.models) && this.renderHeader());
    this.section(this.notices, () => (changes.all || changes.notices) && this.renderNotices());
    this.section(this.tabs, () => changes.all && this.renderTabs());
    this.section(this.chat.panel, () => this.chat.update(changes));
    this.section(this.tasks.panel, () => this.tasks.update(changes));
    this.section(this.historyPanel, () => (changes.all || changes.history) && this.renderHistory(changes));
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
    this.historyPanel.hidden = current !== 'history';
    for (const tab of this.tabs.querySelectorAll<HTMLElement>('[role="tab"]')) {
      const selected = tab.dataset.tab === current;
      tab.setAttribute('aria-selected', String(selected));
      tab.tabIndex = selected ? 0 : -1;
    }
    // Lists measured while hidden have zero heights; measure them now they are visible.
    if (current === 'chat') this.chat.relayout();
    if (current === 'tasks') this.tasks.relayout();
    if (current === 'history') this.historyList.layout();
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

  private renderHeader(): void {
    const models = this.store.model.models;
    if (!models) {
      setChildren(this.header, h('span', { class: 'rz-muted' }, 'Models: waiting for the extension…'));
      return;
    }
    setChildren(
      this.header,
      ...ROLES.map(({ role, label }) => this.renderRole(role, label, models[role])),
      h(
        'vscode-button',
        { 'data-action': 'health-check', secondary: true, title: 'Check that both providers answer' },
        'Check',
      ),
    );
  }

  private renderRole(role: Role, label: string, config: RoleConfig): HTMLElement {
    const id = `rz-model-${role}`;
    const models = config.models.includes(config.model) ? config.models : [config.model, ...config.models];
    const select = h(
      'vscode-single-select',
      {
        id,
        class: 'rz-model-select',
        'data-role': role,
        'aria-label': `${label} model`,
        combobox: models.length > 12,
      },
      ...models.map((model) => h('vscode-option', { value: model, selected: model === config.model }, model)),
    ) as SelectElement;
    const health = `${label} provider ${config.provider}: ${HEALTH_LABEL[config.health]}${config.healthDetail ? ` — ${config.healthDetail}` : ''}`;
    return h(
      'div',
      { class: 'rz-role' },
      h('span', { class: 'rz-dot', 'data-health': config.health, role: 'img', 'aria-label': health, title: health }),
      h('label', { for: id, class: 'rz-role-label' }, label),
      select,
      h('span', { class: 'rz-muted rz-provider' }, config.provider),
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
    const run = this.store.model.run;
    setChildren(
      this.approvals,
      ...this.store.model.approvals.map((approval) => {
        const task = approval.taskId ? run?.tasks.get(approval.taskId)?.title : undefined;
        const titleId = `rz-approval-${approval.id}`;
        return h(
          'div',
          { class: 'rz-approval', role: 'group', 'aria-labelledby': titleId },
          h(
            'div',
            { class: 'rz-approval-title', id: titleId },
            approval.kind === 'command'
              ? 'Run this command?'
              : approval.kind === 'tool'
                ? 'Call this tool?'
                : 'Write to this protected file?',
            task ? h('span', { class: 'rz-muted' }, ` — ${task}`) : null,
          ),
          h('pre', { class: 'rz-approval-subject', tabindex: 0 }, approval.subject),
          approval.reason ? h('div', { class: 'rz-muted' }, approval.reason) : null,
          h(
            'div',
            { class: 'rz-actions' },
            h(
              'vscode-button',
              { 'data-action': 'approve', 'data-id': approval.id, disabled: approval.answered },
              'Approve',
            ),
            h(
              'vscode-button',
              { 'data-action': 'deny', 'data-id': approval.id, secondary: true, disabled: approval.answered },
              'Deny',
            ),
            approval.prefix !== undefined
              ? h(
                  'vscode-button',
                  {
                    'data-action': 'always-allow',
                    'data-id': approval.id,
                    secondary: true,
                    disabled: approval.answered,
                    title: `Add "${approval.prefix}" to rozet.bash.allowlist`,
                  },
                  `Always allow “${approval.prefix}”`,
                )
              : null,
          ),
        );
      }),
    );
    this.renderTabs();
    this.approvals.hidden = this.store.model.approvals.length === 0;
  }

  private renderHistory(changes: Changes): void {
    const items = this.store.model.history;
    this.historyList.setKeys(
      items.map((i) => i.id),
      changes.all || changes.history,
    );
    this.historyList.layout();
    this.historyEmpty.hidden = items.length > 0;
  }

  private renderHistoryItem(key: string): HTMLElement {
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

  private onClick(event: MouseEvent): void {
    const target = (event.target as HTMLElement).closest<HTMLElement>('[data-action]');
    if (!target || target.hasAttribute('disabled')) return;
    try {
      this.act(target);
    } catch (error) {
      this.store.notify('error', `That action failed: ${errorText(error)}`);
      this.flush();
    }
  }

  private act(target: HTMLElement): void {
    const id = target.dataset.id ?? '';
    const { model } = this.store;
    switch (target.dataset.action) {
      case 'send':
        return this.afterAction(() => this.chat.submit('chat.send'));
      case 'plan':
        return this.afterAction(() => this.chat.submit('plan.request'));
      case 'remove-attachment':
        this.post({ type: 'attachment.remove', id });
        return this.afterAction(() => this.store.removeAttachment(id));
      case 'tab':
        return this.afterAction(() => this.store.setTab(target.dataset.tab as Tab));
      case 'toggle-task':
        this.store.toggleExpanded(id);
        return this.flush();
      case 'run-plan':
        if (model.plan) this.post({ type: 'plan.run', planId: model.plan.planId, plan: editedPlan(model.plan) });
        return;
      case 'reset-plan':
        return this.afterAction(() => this.store.resetPlanEdits());
      case 'remove-task':
        return this.afterAction(() => this.store.removePlanTask(id));
      case 'rename-task':
        return this.tasks.startRename(id);
      case 'cancel-run':
        this.post({ type: 'run.cancel', runId: model.run?.runId });
        return;
      case 'retry-task':
        if (model.run) this.post({ type: 'task.retry', runId: model.run.runId, taskId: id });
        return;
      case 'undo-run':
        if (model.run) this.post({ type: 'run.undo', runId: model.run.runId });
        return;
      case 'open-diff':
        this.post({
          type: 'diff.open',
          path: target.dataset.path ?? '',
          runId: target.dataset.runId,
          taskId: target.dataset.taskId,
        });
        return;
      case 'approve':
      case 'deny':
      case 'always-allow': {
        const approval = model.approvals.find((a) => a.id === id);
        if (!approval || approval.answered) return;
        const decision =
          target.dataset.action === 'approve' ? 'approve' : target.dataset.action === 'deny' ? 'deny' : 'alwaysAllow';
        this.post({
          type: 'approval.respond',
          id,
          decision,
          ...(decision === 'alwaysAllow' ? { prefix: approval.prefix } : {}),
        });
        return this.afterAction(() => this.store.markAnswered(id));
      }
      case 'history-open':
        this.post({ type: 'history.open', id });
        return;
      case 'history-delete':
        // No confirm() in webviews: a second click within a few seconds confirms.
        if (target.dataset.armed === 'true') {
          this.post({ type: 'history.delete', id });
          return;
        }
        target.dataset.armed = 'true';
        target.textContent = 'Delete?';
        window.setTimeout(() => {
          target.dataset.armed = 'false';
          target.textContent = 'Delete';
        }, 3000);
        return;
      case 'health-check':
        this.post({ type: 'health.check' });
        return;
      case 'dismiss-notice':
        return this.afterAction(() => this.store.dismissNotice(Number(id)));
      case 'copy-code': {
        const code = target.closest('.rz-code')?.querySelector('pre')?.textContent ?? '';
        navigator.clipboard.writeText(code).then(
          () => {
            target.textContent = 'Copied';
            window.setTimeout(() => {
              target.textContent = 'Copy';
            }, 1500);
          },
          () => {
            target.textContent = 'Copy failed';
          },
        );
        return;
      }
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
