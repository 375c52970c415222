// The approvals strip: each command or protected write a worker waits on, shown verbatim
// with Approve, Deny and — when the host offers a safe prefix — Always allow.
import type { ApprovalPrompt } from '../protocol';
import type { Model } from '../state/model';
import { h, setChildren } from '../render/dom';

const APPROVAL_TITLES: Record<ApprovalPrompt['kind'], string> = {
  command: 'Run this command?',
  write: 'Write to this protected file?',
  read: 'Send this file to the model? It may hold secrets.',
  tool: 'Call this tool?',
};

export function renderApprovals(container: HTMLElement, model: Model): void {
  const run = model.run;
  setChildren(
    container,
    ...model.approvals.map((approval) => {
      const task = approval.taskId ? run?.tasks.get(approval.taskId)?.title : undefined;
      const titleId = `rz-approval-${approval.id}`;
      return h(
        'div',
        { class: 'rz-approval', role: 'group', 'aria-labelledby': titleId },
        h(
          'div',
          { class: 'rz-approval-title', id: titleId },
          APPROVAL_TITLES[approval.kind],
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
  container.hidden = model.approvals.length === 0;
}
