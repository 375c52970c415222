// The approvals strip: each command or protected write a worker waits on, shown verbatim
// with Approve, Deny and — when the host offers a safe prefix — Always allow. Patched in
// place (an approval that did not change keeps its element and focus); the live status
// region, not this strip, says that an approval is waiting.
import type { ApprovalPrompt } from '../protocol';
import type { Model, PendingApproval } from '../state/model';
import { h } from '../render/dom';
import { isFocusable, patchChildren } from '../render/in-place';

export const APPROVAL_TITLES: Record<ApprovalPrompt['kind'], string> = {
  command: 'Run this command?',
  write: 'Write to this protected file?',
  read: 'Send this file to the model? It may hold secrets.',
  tool: 'Call this tool?',
};

export class ApprovalsView {
  readonly element = h('section', { class: 'rz-approvals', 'aria-label': 'Approvals', hidden: true });

  update(model: Model): void {
    patchChildren(
      this.element,
      model.approvals.map((approval) => renderApproval(approval, model)),
    );
    this.element.hidden = model.approvals.length === 0;
  }

  /** The first button of the next approval still waiting after `id` (or before it), if any. */
  nextAfter(id: string): HTMLElement | null {
    const items = Array.from(this.element.querySelectorAll<HTMLElement>('.rz-approval'));
    const index = items.findIndex((el) => el.dataset.key === id);
    const others = [...items.slice(index + 1), ...items.slice(0, Math.max(index, 0))];
    for (const item of others) {
      const button = item.querySelector('[data-action="approve"]');
      if (isFocusable(button)) return button;
    }
    return null;
  }
}

function renderApproval(approval: PendingApproval, model: Model): HTMLElement {
  const task = approval.taskId ? model.run?.tasks.get(approval.taskId)?.title : undefined;
  const titleId = `rz-approval-${approval.id}`;
  return h(
    'div',
    { class: 'rz-approval', role: 'group', 'aria-labelledby': titleId, 'data-key': approval.id },
    h(
      'div',
      { class: 'rz-approval-title', id: titleId },
      APPROVAL_TITLES[approval.kind],
      task ? h('span', { class: 'rz-muted' }, ` — ${task}`) : null,
    ),
    h('pre', { class: 'rz-approval-subject', tabindex: 0 }, approval.subject),
    approval.reason ? h('div', { class: 'rz-muted' }, approval.reason) : null,
    approval.where ? h('div', { class: 'rz-muted rz-approval-where' }, approval.where) : null,
    h(
      'div',
      { class: 'rz-actions' },
      h('vscode-button', { 'data-action': 'approve', 'data-id': approval.id, disabled: approval.answered }, 'Approve'),
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
}
