// Approvals in the terminal. With a terminal the user is asked y/n/a(lways) on stderr;
// without one nobody can answer, so everything that asks is refused (DESIGN §3) — except
// commands when --approve-commands said yes to all of them in advance. (--yes answers the
// plan review only.) The refusal tells the model, and the user in the run's output,
// exactly which switch would allow it.
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/workspace/workspace';
import type { Prompter } from './prompt';

export type ApprovalMode = 'ask' | 'refuse';

export class CliApprover implements Approver {
  /** Paths the user said "always" to for this run. */
  private readonly alwaysWrite = new Set<string>();

  constructor(
    private readonly mode: ApprovalMode,
    private readonly prompter?: Prompter,
    /** Lets the live task tree step aside while a question is on screen. */
    private readonly around?: <T>(ask: () => Promise<T>) => Promise<T>,
    /** --approve-commands: every command of this run is approved without asking. */
    private readonly approveCommands = false,
  ) {}

  async approve(request: ApprovalRequest, signal?: AbortSignal): Promise<ApprovalDecision> {
    if (request.kind === 'command' && this.approveCommands) return { approved: true };
    if (this.mode === 'refuse' || !this.prompter) return { approved: false, message: refusal(request) };
    if (request.kind === 'write' && this.alwaysWrite.has(request.subject)) return { approved: true };

    const what = request.kind === 'command' ? `run \`${request.subject}\`` : `write ${request.subject}`;
    const question = `[${request.taskId}] wants to ${what} (${request.reason}).\nAllow? [y]es / [n]o / [a]lways: `;
    const prompter = this.prompter;
    const ask = () => prompter.ask(question, signal);
    const answer = (await (this.around ? this.around(ask) : ask()))?.trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return { approved: true };
    if (answer === 'a' || answer === 'always') {
      if (request.kind === 'write') {
        this.alwaysWrite.add(request.subject);
        return { approved: true };
      }
      // The core only accepts a plain prefix; a compound command is approved this once.
      return { approved: true, alwaysAllowPrefix: request.subject };
    }
    return { approved: false, message: 'declined in the terminal' };
  }
}

function refusal(request: ApprovalRequest): string {
  return request.kind === 'command'
    ? 'there is no terminal to ask for approval; rerun with --approve-commands, in a terminal, or with ROZET_BASH_APPROVAL=allowlist or auto'
    : 'there is no terminal to ask for approval; rerun in a terminal, or with ROZET_WRITE_APPROVAL=auto (protected paths always ask)';
}
