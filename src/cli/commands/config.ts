// `rozet config [--json]`: every effective value with its source; key sources, never keys.
import { describeConfig, sandboxSettingsFromConfig } from '../../config';
import { currentConfinement } from '../../core/sandbox/command-shell';
import { EXIT, type CliIo, type Output } from '../io';
import type { CliContext } from '../setup';

export async function configCommand(
  ctx: CliContext,
  output: Output,
  io: CliIo,
  options: { json: boolean },
): Promise<number> {
  const { sandboxed, network, summary } = await currentConfinement(sandboxSettingsFromConfig(ctx.resolved.values));
  const apiKeys = Object.fromEntries(
    Object.entries(ctx.apiKeys).map(([provider, found]) => [
      provider,
      { source: found.source, variable: found.variable },
    ]),
  );
  if (options.json) {
    const problems = [...ctx.errors, ...ctx.warnings];
    output.out(
      JSON.stringify(
        {
          workspace: ctx.root,
          values: ctx.resolved.values,
          sources: ctx.resolved.sources,
          problems,
          apiKeys,
          commands: { sandboxed, network, summary },
          // Other commands stop on these; the `error` member every --json failure has says so.
          ...(ctx.errors.length
            ? { error: { code: 'config', message: ctx.errors.map((p) => p.message).join(' ') } }
            : {}),
        },
        null,
        2,
      ),
    );
  } else {
    // The table lists the resolver's problems; file-level ones (an unreadable file) are added.
    const resolved = { ...ctx.resolved, problems: [...ctx.errors, ...ctx.warnings] };
    output.out(`Workspace: ${ctx.root}\n`);
    output.out(describeConfig(resolved, { apiKeys, env: io.env, host: 'cli', errorsStop: true, commands: summary }));
  }
  return ctx.errors.length > 0 ? EXIT.usage : EXIT.ok;
}
