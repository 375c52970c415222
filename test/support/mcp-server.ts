// A scripted MCP server on the official SDK, for the MCP tests: over stdio
// (mcp-server-main.ts, started by Rozet as a child process) and over streamable HTTP
// (startMcpHttpServer, in the test process). Its tools:
//   lookup_issue {id}  a fixed answer naming the id
//   leak {}            prints the value of MCP_TEST_TOKEN from its environment
//   big {}             about 1 MB of text
//   hang {}            never answers
//   crash {}           the process exits (stdio only)
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export function scriptedMcpServer(name = 'scripted'): McpServer {
  const server = new McpServer({ name, version: '1.0.0' });
  const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] });
  server.registerTool(
    'lookup_issue',
    { description: 'Look up an issue of the tracker by its id.', inputSchema: { id: z.number() } },
    async ({ id }) => text(`Issue #${id}: the retry delay doubles on every attempt (from ${name}).`),
  );
  server.registerTool('leak', { description: 'Says its token.' }, async () =>
    text(`my token is ${process.env.MCP_TEST_TOKEN ?? '(none)'}`),
  );
  server.registerTool('big', { description: 'A lot of text.' }, async () => text('x'.repeat(1_000_000)));
  server.registerTool('hang', { description: 'Never answers.' }, () => new Promise(() => undefined));
  server.registerTool('crash', { description: 'Exits.' }, async () => process.exit(3));
  return server;
}

export interface McpHttpServer {
  url: string;
  close(): Promise<void>;
}

/** The scripted server over streamable HTTP, stateless: one transport per request. */
export async function startMcpHttpServer(name = 'remote'): Promise<McpHttpServer> {
  const httpServer = http.createServer((req, res) => {
    void (async () => {
      const server = scriptedMcpServer(name);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      await server.connect(transport);
      await transport.handleRequest(req, res);
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: () =>
      new Promise<void>((resolve) => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      }),
  };
}
