// The models header: per role its health dot, a model picker and the provider, and a
// button that checks both providers answer.
import type { ModelRole, ModelsConfig, RoleConfig } from '../protocol';
import { h, setChildren } from '../render/dom';

const ROLES: { role: ModelRole; label: string }[] = [
  { role: 'orchestrator', label: 'Planner' },
  { role: 'worker', label: 'Worker' },
];
const HEALTH_LABEL = { ok: 'reachable', error: 'not reachable', unknown: 'not checked yet' } as const;

/** The model picker (a vscode-single-select); `data-role` names its role. */
export interface SelectElement extends HTMLElement {
  value: string;
}

export function renderHeader(header: HTMLElement, models: ModelsConfig | null): void {
  if (!models) {
    setChildren(header, h('span', { class: 'rz-muted' }, 'Models: waiting for the extension…'));
    return;
  }
  setChildren(
    header,
    ...ROLES.map(({ role, label }) => renderRole(role, label, models[role])),
    h(
      'vscode-button',
      { 'data-action': 'health-check', secondary: true, title: 'Check that both providers answer' },
      'Check',
    ),
  );
}

function renderRole(role: ModelRole, label: string, config: RoleConfig): HTMLElement {
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
