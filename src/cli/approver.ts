// Approvals in the terminal. With a terminal the user is asked y/n/a(lways) on stderr;
// without one nobody can answer, so everything that asks is refused — except commands
// when --approve-commands said yes to all of them in advance (--yes answers the plan
// review only). The refusal tells the model, and the user in the run's output, exactly
// which switch would allow it. The command is shown whole, on its own line, with every
// control character visible: what is on screen is exactly what runs.
import { alwaysAllowPrefix } from '../core/tools/command-policy';
import { inertText } from '../core/text/inert';
import type { ApprovalDecision, ApprovalRequest, Approver } from '../core/workspace/workspace';
import type { Prompter } from './prompt';

export type ApprovalMode = 'ask' | 'refuse';

const WANTS: Record<ApprovalRequest['kind'], string> = {
  command: 'wants to run this command',
  write: 'wants to write',
  read: 'wants to read',
  tool: 'wants to call this tool',
};

export class CliApprover implements Approver {
  /** Paths the user said "always" to for this run, per kind. */
  private readonly alwaysPaths = new Set<string>();

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
    const pathKey = `${request.kind} ${request.subject}`;
    if (request.kind !== 'command' && this.alwaysPaths.has(pathKey)) return { approved: true };

    const prefix = request.kind === 'command' ? alwaysAllowPrefix(request.subject) : undefined;
    const always = {
      command: prefix ? `[a]lways allow \`${prefix}\`` : undefined,
      tool: '[a]lways for this tool in this run',
      write: '[a]lways for this file',
      read: '[a]lways for this file',
    }[request.kind];
    const question = [
      `[${inertText(request.taskId)}] ${WANTS[request.kind]} (${inertText(request.reason)}):`,
      `  ${inertText(request.subject)}`,
      ...(request.where ? [`  ${request.where}`] : []),
      `Allow? [y]es / [n]o${always ? ` / ${always}` : ''}: `,
    ].join('\n');
    const prompter = this.prompter;
    const ask = () => prompter.ask(question, signal);
    const answer = (await (this.around ? this.around(ask) : ask()))?.trim().toLowerCase();
    if (answer === 'y' || answer === 'yes') return { approved: true };
    if ((answer === 'a' || answer === 'always') && always) {
      // The core remembers a tool by its name for the rest of the run.
      if (request.kind === 'tool') return { approved: true, alwaysAllowPrefix: request.subject.split(' ')[0] };
      if (request.kind !== 'command') {
        this.alwaysPaths.add(pathKey);
        return { approved: true };
      }
      return { approved: true, alwaysAllowPrefix: prefix };
    }
    return { approved: false, message: 'declined in the terminal' };
  }
}

function refusal(request: ApprovalRequest): string {
  const setting = {
    command: 'with --approve-commands, or with ROZET_BASH_APPROVAL=allowlist or auto',
    write: 'with ROZET_WRITE_APPROVAL=auto (protected paths always ask)',
    tool: `with ROZET_MCP_ALLOW=${request.subject.split(' ')[0]}`,
    read: undefined,
  }[request.kind];
  return `there is no terminal to ask for approval; rerun in a terminal${setting ? `, or ${setting}` : ''}`;
}
