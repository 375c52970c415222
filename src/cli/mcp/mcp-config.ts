// The rozet CLI's MCP servers: a user-level file in the shape of VS Code's mcp.json,
//   {"servers": {"github": {"command": "npx", "args": [...], "env": {...}}, "docs": {"url": "https://…"}}}
// (comments and trailing commas allowed, `${env:NAME}` filled from the environment).
// Read leniently: a syntax error is named with its line and column, the server it falls
// in is left out, and every other server still loads. Only user-level settings choose
// this file (rozet.mcp.configFile is a power setting): a workspace cannot add servers.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as nodePath from 'node:path';
import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { z } from 'zod';

export type McpServerConfig =
  | { name: string; kind: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string }
  | { name: string; kind: 'http'; url: string; headers: Record<string, string> };

export interface McpConfig {
  file: string;
  servers: McpServerConfig[];
  /** What is wrong with the file, each a sentence for the user. */
  problems: string[];
}

const strings = z.record(z.string(), z.string());
const ServerShape = z.union([
  z.object({
    type: z.literal('stdio').optional(),
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: strings.default({}),
    cwd: z.string().optional(),
  }),
  z.object({
    type: z.enum(['http', 'sse']).optional(),
    url: z.url(),
    headers: strings.default({}),
  }),
]);

/** `rozet/mcp.json` in the user's config folder, as each platform names it. */
export function defaultMcpConfigFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = env.HOME || env.USERPROFILE || homedir();
  const folder =
    platform === 'win32'
      ? env.APPDATA || nodePath.join(home, 'AppData', 'Roaming')
      : platform === 'darwin'
        ? nodePath.join(home, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME || nodePath.join(home, '.config');
  return nodePath.join(folder, 'rozet', 'mcp.json');
}

export async function readMcpConfig(file: string, env: NodeJS.ProcessEnv = process.env): Promise<McpConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    return {
      file,
      servers: [],
      problems: [
        missing
          ? `rozet.mcp.enabled is on but ${file} does not exist: create it ({"servers": {"name": {"command": "…", "args": […]}}}) or set rozet.mcp.configFile.`
          : `${file} could not be read: ${(error as Error).message}`,
      ],
    };
  }
  return parseMcpConfig(text, file, env);
}

export function parseMcpConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): McpConfig {
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  const problems: string[] = [];
  const where = (offset: number) => `${file}:${lineColumn(text, offset)}`;
  const servers: McpServerConfig[] = [];
  const entries = tree && findNodeAtLocation(tree, ['servers']);
  const claimed = new Set<ParseError>();
  for (const property of entries?.type === 'object' ? (entries.children ?? []) : []) {
    const [key, value] = property.children ?? [];
    const name = String(key?.value ?? '');
    const inside = errors.filter((e) => e.offset >= property.offset && e.offset <= property.offset + property.length);
    inside.forEach((e) => claimed.add(e));
    if (inside.length) {
      problems.push(
        `${where(inside[0].offset)}: ${describeError(inside[0])} in server "${name}", so it was not loaded; the other servers were.`,
      );
      continue;
    }
    const parsed = ServerShape.safeParse(value ? getNodeValue(value) : undefined);
    if (!parsed.success) {
      problems.push(
        `${where(property.offset)}: server "${name}" needs "command" (and optional "args", "env") or "url"; it was not loaded. (${parsed.error.issues[0]?.message ?? 'invalid'})`,
      );
      continue;
    }
    const fill = (value: string) =>
      value.replace(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, n: string) => env[n] ?? '');
    const fillAll = (record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fill(v)]));
    const server = parsed.data;
    servers.push(
      'command' in server
        ? {
            name,
            kind: 'stdio',
            command: fill(server.command),
            args: server.args.map(fill),
            env: fillAll(server.env),
            cwd: server.cwd && fill(server.cwd),
          }
        : { name, kind: 'http', url: fill(server.url), headers: fillAll(server.headers) },
    );
  }
  for (const error of errors.filter((e) => !claimed.has(e)).slice(0, 3))
    problems.push(`${where(error.offset)}: ${describeError(error)}.`);
  if (!entries && errors.length === 0)
    problems.push(`${file} has no "servers" object: expected {"servers": {"name": {"command": "…"}}}.`);
  return { file, servers, problems };
}

function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

/** "CommaExpected" → "syntax error: comma expected". */
function describeError(error: ParseError): string {
  const words = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return `syntax error: ${words}`;
}
