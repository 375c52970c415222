// MCP for one `rozet run` (or REPL request): when rozet.mcp.enabled, the servers of the
// configured file are started, their tools handed to the planner and the workers, and
// every problem reported as a warning that does not stop the run.
import { homedir } from 'node:os';
import type { ExternalTools } from '../../core/tools/external-tools';
import type { Output } from '../io';
import type { CliContext } from '../setup';
import { defaultMcpConfigFile, readMcpConfig } from './mcp-config';
import { McpSession } from './mcp-session';

export type CliMcp = ExternalTools & { close(): Promise<void> };

export async function startMcp(ctx: CliContext, output: Output): Promise<CliMcp | undefined> {
  const values = ctx.resolved.values;
  if (!values['rozet.mcp.enabled']) return undefined;
  const configured = values['rozet.mcp.configFile'];
  const file = configured
    ? configured.replace(/^~(?=$|[\\/])/, ctx.env.HOME || homedir())
    : defaultMcpConfigFile(ctx.env);
  const config = await readMcpConfig(file, ctx.env);
  const warn = (message: string) => output.err(`rozet: warning: ${message}`);
  config.problems.forEach(warn);
  const timeoutMs = values['rozet.mcp.timeoutSeconds'] * 1000;
  const session = await McpSession.connect(config.servers, {
    timeoutMs,
    cwd: ctx.root,
    redactor: output.redactor,
    onProblem: warn,
  });
  if (config.servers.length)
    output.err(
      `MCP: ${session.tools.length} tool${session.tools.length === 1 ? '' : 's'} from ${config.servers.length} server${config.servers.length === 1 ? '' : 's'} in ${file}.`,
    );
  return {
    host: session,
    allow: values['rozet.mcp.allow'],
    timeoutMs,
    redactor: output.redactor,
    sessionAllowed: new Set(),
    close: () => session.close(),
  };
}
