// The VS Code Approver: a command a worker wants to run (or a protected file it wants to
// write) waits for the user. Inline in the sidebar when a Rozet view is on screen,
// otherwise in a modal dialog. Cancelling the run answers every pending question "no".
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { alwaysAllowPrefix } from '../core/tools/command-policy';
import { inertText } from '../core/text/inert';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/workspace/workspace';
import type { ApprovalOutcome, ApprovalPrompt, HostMessage } from '../webview/protocol';
import { errorMessage } from '../core/text/error-message';

interface Pending {
  approval: ApprovalPrompt;
  resolve: (decision: ApprovalDecision) => void;
}

export interface ApprovalUi {
  readonly visible: boolean;
  post(message: HostMessage): void;
}

export class HostApprover implements Approver {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly ui: ApprovalUi,
    private readonly runId: () => string | undefined,
  ) {}

  get open(): ApprovalPrompt[] {
    return [...this.pending.values()].map((p) => p.approval);
  }

  approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (signal?.aborted) return Promise.resolve({ approved: false, message: 'The run was cancelled.' });
    const approval: ApprovalPrompt = {
      id: randomUUID(),
      runId: this.runId(),
      taskId: request.taskId,
      kind: request.kind,
      subject: request.subject,
      prefix:
        request.kind === 'command'
          ? alwaysAllowPrefix(request.subject)
          : request.kind === 'tool'
            ? request.subject.split(' ')[0]
            : undefined,
      reason: request.reason,
      where: request.where,
    };
    return new Promise<ApprovalDecision>((resolve) => {
      const onAbort = () =>
        this.settle(approval.id, { approved: false, message: 'The run was cancelled.' }, 'cancelled');
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(approval.id, {
        approval,
        resolve: (decision) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(decision);
        },
      });
      this.ui.post({ type: 'approval.requested', approval });
      if (!this.ui.visible) void this.askModal(approval);
    });
  }

  /** An answer from the sidebar ("approve" | "deny" | "alwaysAllow"). */
  respond(id: string, decision: 'approve' | 'deny' | 'alwaysAllow'): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    if (decision === 'alwaysAllow' && pending.approval.prefix) {
      this.settle(id, { approved: true, alwaysAllowPrefix: pending.approval.prefix }, 'alwaysAllowed');
    } else if (decision === 'deny') {
      this.settle(id, { approved: false, message: 'The user denied it.' }, 'denied');
    } else {
      this.settle(id, { approved: true }, 'approved');
    }
  }

  denyAll(message: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { approved: false, message }, 'cancelled');
  }

  private settle(id: string, decision: ApprovalDecision, outcome: ApprovalOutcome): void {
    const pending = this.pending.get(id);
    if (!pending) return;
    this.pending.delete(id);
    pending.resolve(decision);
    this.ui.post({ type: 'approval.resolved', id, outcome });
  }

  private async askModal(approval: ApprovalPrompt): Promise<void> {
    // The subject is model text: shown with every control character visible, like on a terminal.
    const subject = inertText(approval.subject);
    const what = {
      command: `Run this command?\n\n${subject}`,
      write: `Write the protected file ${subject}?`,
      read: `Send ${subject} to the model? It may hold secrets.`,
      tool: `Call this tool?\n\n${subject}`,
    }[approval.kind];
    const always = approval.prefix ? `Always Allow "${approval.prefix}"` : undefined;
    const buttons = ['Approve', 'Deny', ...(always ? [always] : [])];
    let pick: string | undefined;
    try {
      pick = await vscode.window.showWarningMessage(
        `Rozet: ${what}`,
        {
          modal: true,
          detail:
            [approval.reason, approval.where]
              .filter((line): line is string => !!line)
              .map((line) => inertText(line, { multiline: true }))
              .join('\n') || undefined,
        },
        ...buttons,
      );
    } catch (error) {
      // VS Code can refuse a modal (it does while extension tests or smoke tests run). A
      // question that was never shown must not keep the worker waiting for ever: no answer is "no".
      const why = errorMessage(error);
      this.settle(approval.id, { approved: false, message: `Rozet could not ask the user (${why}).` }, 'cancelled');
      return;
    }
    this.respond(
      approval.id,
      pick === 'Approve' ? 'approve' : pick !== undefined && pick === always ? 'alwaysAllow' : 'deny',
    );
  }
}
