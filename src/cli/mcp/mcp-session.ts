// The MCP servers of one CLI run, through the official SDK: stdio servers are started as
// child processes (with a minimal environment plus their own `env`, never the user's API
// keys), streamable-HTTP servers are connected to. A server that does not start, does not
// list its tools in time, or dies later is reported and left out; the run goes on.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { version } from '../../../package.json';
import type { Redactor } from '../../core/text/redact';
import {
  modelFacingNames,
  type ExternalCallResult,
  type ExternalTool,
  type ExternalToolHost,
} from '../../core/tools/external-tools';
import { TOOL_NAMES } from '../../core/tools/tools';
import type { McpServerConfig } from './mcp-config';
import { errorMessage } from '../../core/text/error-message';

const MAX_TOOLS_PER_SERVER = 200;
const STDERR_KEPT = 2000;

export interface McpSessionOptions {
  /** Start/list/call limit (rozet.mcp.timeoutSeconds). */
  timeoutMs: number;
  /** Folder stdio servers run in unless they name their own. */
  cwd: string;
  /** Learns the servers' secrets (env and header values), so no output carries them. */
  redactor: Redactor;
  /** A server that failed or went away, in a sentence for the user. */
  onProblem: (message: string) => void;
}

interface Connection {
  server: McpServerConfig;
  client: Client;
  stderr: () => string;
  closed: boolean;
}

export class McpSession implements ExternalToolHost {
  private constructor(
    readonly tools: readonly ExternalTool[],
    private readonly connections: ReadonlyMap<string, Connection>,
  ) {}

  static async connect(servers: readonly McpServerConfig[], options: McpSessionOptions): Promise<McpSession> {
    for (const server of servers)
      for (const secret of Object.values(server.kind === 'stdio' ? server.env : server.headers))
        options.redactor.addSecret(secret);
    const started = await Promise.all(servers.map((server) => start(server, options)));
    const connections = new Map<string, Connection>();
    const found: Array<{ server: string; tool: string; description: string; parameters: Record<string, unknown> }> = [];
    for (const entry of started) {
      if (!entry) continue;
      connections.set(entry.connection.server.name, entry.connection);
      found.push(...entry.tools);
    }
    const names = modelFacingNames(found, 'mcp', TOOL_NAMES);
    return new McpSession(
      found.map((t, i) => ({ ...t, name: names[i] })),
      connections,
    );
  }

  async call(tool: ExternalTool, args: unknown, signal: AbortSignal): Promise<ExternalCallResult> {
    const connection = this.connections.get(tool.server);
    if (!connection || connection.closed)
      throw new Error(`it is not running any more${connection ? lastWords(connection) : ''}`);
    const result = await connection.client.callTool(
      { name: tool.tool, arguments: (args ?? {}) as Record<string, unknown> },
      undefined,
      { signal },
    );
    return { text: resultText(result), isError: result.isError === true };
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.connections.values()].map((c) => {
        c.closed = true;
        return c.client.close().catch(() => undefined);
      }),
    );
  }
}

async function start(
  server: McpServerConfig,
  options: McpSessionOptions,
): Promise<{ connection: Connection; tools: Array<Omit<ExternalTool, 'name'>> } | undefined> {
  let stderr = '';
  let transport: Transport;
  if (server.kind === 'stdio') {
    const stdio = new StdioClientTransport({
      command: server.command,
      args: server.args,
      env: { ...getDefaultEnvironment(), ...server.env },
      cwd: server.cwd ?? options.cwd,
      stderr: 'pipe',
    });
    stdio.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    transport = stdio;
  } else {
    transport = new StreamableHTTPClientTransport(new URL(server.url), {
      requestInit: { headers: server.headers },
    });
  }
  const client = new Client({ name: 'rozet', version });
  const connection: Connection = { server, client, stderr: () => stderr, closed: false };
  client.onclose = () => {
    if (connection.closed) return;
    connection.closed = true;
    options.onProblem(
      `MCP server "${server.name}" stopped${lastWords(connection)}; its tools are no longer available.`,
    );
  };
  try {
    await client.connect(transport, { timeout: options.timeoutMs });
    const tools: Array<Omit<ExternalTool, 'name'>> = [];
    let cursor: string | undefined;
    do {
      const page = await client.listTools(cursor ? { cursor } : undefined, { timeout: options.timeoutMs });
      for (const tool of page.tools)
        tools.push({
          server: server.name,
          tool: tool.name,
          description: `${tool.description ?? tool.title ?? tool.name} (MCP server "${server.name}")`,
          parameters: tool.inputSchema as Record<string, unknown>,
        });
      cursor = page.nextCursor;
    } while (cursor && tools.length < MAX_TOOLS_PER_SERVER);
    return { connection, tools };
  } catch (error) {
    connection.closed = true;
    await client.close().catch(() => undefined);
    const why = options.redactor.redact(errorMessage(error));
    options.onProblem(
      `MCP server "${server.name}" could not be used (${why})${lastWords(connection)}; the run goes on without its tools.`,
    );
    return undefined;
  }
}

function lastWords(connection: Connection): string {
  const tail = connection.stderr().trim().split('\n').slice(-3).join(' | ');
  return tail ? `; it said: ${tail.slice(-500)}` : '';
}

type CallResult = Awaited<ReturnType<Client['callTool']>>;

/** A tool result as text: text parts as they are, other parts described. */
function resultText(result: CallResult): string {
  const parts = Array.isArray(result.content) ? (result.content as Array<Record<string, unknown>>) : [];
  const texts = parts.map((part) => {
    switch (part.type) {
      case 'text':
        return String(part.text ?? '');
      case 'image':
      case 'audio':
        return `[${part.type} (${String(part.mimeType ?? 'unknown type')}) omitted]`;
      case 'resource': {
        const resource = (part.resource ?? {}) as Record<string, unknown>;
        return typeof resource.text === 'string' ? resource.text : `[resource ${String(resource.uri ?? '')}]`;
      }
      case 'resource_link':
        return `[resource ${String(part.uri ?? '')}]`;
      default:
        return JSON.stringify(part);
    }
  });
  if (texts.length === 0 && result.structuredContent !== undefined)
    texts.push(JSON.stringify(result.structuredContent));
  if (texts.length === 0 && 'toolResult' in result) texts.push(JSON.stringify(result.toolResult));
  return texts.join('\n');
}
