// The execute_bash tool: the approval policy (rozet.bash.approval and the allowlist), the
// allowlist's second look outside a sandbox (redirects.ts), the run itself, and what the
// model and the user hear afterwards — the sandbox a run's first command ran in, a likely
// missing network, and any protected path the command created, which is kept only if the
// user agrees.
import { ModelError } from '../model/chat';
import { ToolError } from '../workspace/workspace';
import { alwaysAllowPrefix, decideCommand } from './command-policy';
import { redirectedBy } from './redirects';
import type { ToolContext, ToolResult } from './tools';

export async function executeBash(args: { command: string }, ctx: ToolContext): Promise<ToolResult> {
  if (ctx.shell.refusal) throw new ToolError(ctx.shell.refusal);
  const decision = decideCommand(args.command, {
    mode: ctx.policy.bashApproval,
    allowlist: ctx.policy.allowlist,
    sessionAllowlist: ctx.sessionAllowlist,
  });
  if (decision.action === 'deny') throw new ToolError(`Command not run: ${decision.reason}`);
  let reason = decision.reason;
  let ask = decision.action === 'ask';
  // An allow-listed command, not `auto`: the user chose to run anything under auto.
  if (!ask && ctx.policy.bashApproval !== 'auto' && !ctx.shell.sandboxed) {
    const redirected = await redirectedBy(args.command, ctx.runWrites, ctx.workspace);
    if (redirected) [ask, reason] = [true, redirected];
  }
  if (ask) {
    const answer = await ctx.approver.approve(
      { kind: 'command', taskId: ctx.taskId, subject: args.command, reason, where: ctx.shell.confinement },
      ctx.signal,
    );
    if (!answer.approved)
      throw new ToolError(
        `The user declined to run this command${answer.message ? `: ${answer.message}` : '.'} Do not try the same command again.`,
      );
    // Whatever prefix a host showed, the one rule decides what "always" adds.
    const prefix = answer.alwaysAllowPrefix !== undefined ? alwaysAllowPrefix(args.command) : undefined;
    if (prefix) ctx.sessionAllowlist.push(prefix);
  }
  const result = await ctx.shell.run(args.command, {
    timeoutMs: ctx.bashTimeoutMs,
    maxOutputBytes: ctx.maxOutputBytes,
    signal: ctx.signal,
  });
  if (result.cancelled) throw new ModelError('cancelled', 'Cancelled.');
  const notes = [...(result.notes ?? [])];
  if (result.createdProtected?.length) notes.push(await keepCreated(args.command, result.createdProtected, ctx));
  const status = result.timedOut
    ? `killed after ${Math.round(ctx.bashTimeoutMs / 1000)} s (timeout)`
    : `exit code ${result.exitCode}`;
  return {
    ok: result.exitCode === 0 && !result.timedOut,
    // Rozet's notes first: a long output must not push "why" out of the short summaries.
    output: `[${status}]${notes.map((n) => `\n[rozet: ${n}]`).join('')}\n${result.output}`,
    command: args.command,
  };
}

/** Protected paths a command created stay only with the user's yes, like a write to them. */
async function keepCreated(command: string, created: readonly string[], ctx: ToolContext): Promise<string> {
  const answer = await ctx.approver.approve(
    {
      kind: 'write',
      taskId: ctx.taskId,
      subject: created.join(', '),
      reason: `protected path created by the command \`${command}\``,
    },
    ctx.signal,
  );
  if (answer.approved) return `The user agreed to keep ${created.join(', ')}, which the command created.`;
  await ctx.shell.discard?.(created);
  return `The command created protected paths (${created.join(', ')}); the user declined them and they were removed.`;
}
