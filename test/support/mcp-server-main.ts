// The scripted MCP server over stdio: `node --import tsx test/support/mcp-server-main.ts [name]`.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { scriptedMcpServer } from './mcp-server';

void scriptedMcpServer(process.argv[2] ?? 'scripted').connect(new StdioServerTransport());
