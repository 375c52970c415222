// The models header: per role its health dot, its name, the provider and a model picker,
// and a button that checks both providers answer. Built once and updated in place, so a
// picker keeps focus (and its open list) while the host confirms a switch.
import { PROVIDER_FACTS } from '../../core/model/provider-facts';
import { inertText } from '../../core/text/inert';
import type { ModelRole, ModelsConfig, RoleConfig } from '../protocol';
import { h, setChildren } from '../render/dom';

const ROLES: { role: ModelRole; label: string }[] = [
  { role: 'orchestrator', label: 'Planner' },
  { role: 'worker', label: 'Worker' },
];
const HEALTH_LABEL = { ok: 'reachable', error: 'not reachable', unknown: 'not checked yet' } as const;
/** Above this many models the picker filters as you type. */
const FILTER_ABOVE = 12;

/** The model picker (a vscode-single-select). */
interface SelectElement extends HTMLElement {
  value: string;
  combobox: boolean;
}

interface RoleParts {
  dot: HTMLElement;
  provider: HTMLElement;
  select: SelectElement;
  /** The option values last rendered, to rebuild the list only when it changed. */
  shown: string;
  /** The model the picker shows: the host's, or the user's pick since. */
  picked: string;
  /** The list could not be fetched, and opening the picker has not asked again yet. */
  stale: boolean;
}

export type PickModel = (role: ModelRole, model: string) => void;

export class HeaderView {
  readonly element: HTMLElement;
  private readonly waiting: HTMLElement;
  private readonly roles = {} as Record<ModelRole, RoleParts>;

  /** `onStale`: a picker whose list the host could not fetch was opened; ask again. */
  constructor(onPick: PickModel, onStale: () => void) {
    this.waiting = h('p', { class: 'rz-muted rz-waiting-models' }, 'Models: waiting for the extension…');
    const check = h(
      'vscode-button',
      { class: 'rz-check', 'data-action': 'health-check', secondary: true, title: 'Check that both providers answer' },
      'Check',
    );
    this.element = h('header', { class: 'rz-header', 'aria-label': 'Models' }, this.waiting, check);
    for (const { role, label } of ROLES) {
      const id = `rz-model-${role}`;
      const select = h('vscode-single-select', {
        id,
        class: 'rz-model-select',
        'data-role': role,
        // The picker's own combobox takes its accessible name from `label`.
        label: `${label} model`,
        filter: 'contains',
      }) as SelectElement;
      // vscode-single-select's `change` neither bubbles nor leaves its shadow root:
      // only a listener on the element itself hears a pick.
      let clicked = false;
      select.addEventListener('change', () => {
        const parts = this.roles[role];
        if (select.value !== '' && select.value !== parts.picked) onPick(role, select.value);
        parts.picked = select.value;
        // A clicked option has focus, and its list closes under it: the browser then
        // drops focus to <body>. That one time, focus goes back to the picker.
        clicked = select.shadowRoot?.activeElement?.matches('li.option') ?? false;
      });
      // The list the host could not fetch (a server that was down, a slow answer) is asked
      // for again when the user goes to pick: the options follow in a moment.
      select.addEventListener('focusin', () => {
        const parts = this.roles[role];
        if (!parts.stale) return;
        parts.stale = false;
        onStale();
      });
      select.addEventListener('focusout', (event) => {
        if (clicked && event.relatedTarget === null) requestAnimationFrame(() => select.focus());
        clicked = false;
      });
      const dot = h('span', { class: 'rz-dot', role: 'img' });
      const provider = h('span', { class: 'rz-provider' });
      this.element.append(
        h(
          'div',
          { class: 'rz-role', 'data-role': role, hidden: true },
          h('div', { class: 'rz-role-head' }, dot, h('label', { for: id, class: 'rz-role-label' }, label), provider),
          select,
        ),
      );
      this.roles[role] = { dot, provider, select, shown: '', picked: '', stale: false };
    }
    check.hidden = true;
  }

  update(models: ModelsConfig | null): void {
    this.waiting.hidden = models !== null;
    for (const el of this.element.querySelectorAll<HTMLElement>('.rz-role, .rz-check')) el.hidden = models === null;
    if (!models) return;
    for (const { role, label } of ROLES) this.updateRole(this.roles[role], label, models[role]);
  }

  private updateRole(parts: RoleParts, label: string, config: RoleConfig): void {
    const provider = PROVIDER_FACTS[config.provider].displayName;
    const health = `${label} provider ${provider}: ${HEALTH_LABEL[config.health]}${config.healthDetail ? ` — ${config.healthDetail}` : ''}`;
    parts.dot.dataset.health = config.health;
    parts.stale = config.health === 'error';
    parts.dot.setAttribute('aria-label', health);
    parts.dot.title = health;
    parts.provider.textContent = provider;
    const models = config.models.includes(config.model) ? config.models : [config.model, ...config.models];
    const shown = JSON.stringify(models);
    const { select } = parts;
    if (shown !== parts.shown) {
      parts.shown = shown;
      select.combobox = models.length > FILTER_ABOVE;
      // Names come from the provider's list: shown inert (markup as text, control
      // characters as visible stand-ins); the value sent back is the name itself.
      setChildren(
        select,
        ...models.map((model) =>
          h('vscode-option', { value: model, selected: model === config.model }, inertText(model)),
        ),
      );
    }
    for (const option of Array.from(select.children))
      option.toggleAttribute('selected', option.getAttribute('value') === config.model);
    select.title = inertText(config.model);
    parts.picked = config.model;
    if (select.value !== config.model) select.value = config.model;
  }
}
