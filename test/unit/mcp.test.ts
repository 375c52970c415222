// MCP tools in the CLI: the config file (lenient, errors with line and column), the
// session over the official SDK against a scripted MCP server over stdio (a child
// process) and streamable HTTP, and the tool rules workers follow — allowed tools run,
// others ask, results are bounded and redacted, a hanging or crashing server becomes a
// tool error at the timeout and the run goes on.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  defaultMcpConfigFile,
  parseMcpConfig,
  readMcpConfig,
  type McpServerConfig,
} from '../../src/cli/mcp/mcp-config';
import { McpSession } from '../../src/cli/mcp/mcp-session';
import { Redactor } from '../../src/core/text/redact';
import { modelFacingNames, type ExternalTools } from '../../src/core/tools/external-tools';
import { runTool, toolSpecsFor } from '../../src/core/tools/tools';
import { runCliCaptured } from '../support/cli-capture';
import { startMcpHttpServer, type McpHttpServer } from '../support/mcp-server';
import { startModelServer, type ModelServer } from '../support/model-server';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

const REPO = path.resolve(__dirname, '..', '..');
const TOKEN = 'mcp-secret-token-0123456789';

function stdioServer(name: string, env: Record<string, string> = {}): Extract<McpServerConfig, { kind: 'stdio' }> {
  return {
    name,
    kind: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', path.join(REPO, 'test', 'support', 'mcp-server-main.ts'), name],
    env,
    cwd: REPO,
  };
}

describe('MCP config file', () => {
  it('names a syntax error by line and column, leaves that server out and loads the others', () => {
    const text = [
      '{',
      '  // comments and trailing commas are fine, as in VS Code',
      '  "servers": {',
      '    "broken": {"command": "node" "args": ["x.js"]},',
      '    "local": {"command": "node", "args": ["server.js"], "env": {"TOKEN": "${env:MY_TOKEN}"}},',
      '    "remote": {"url": "https://mcp.example.com/mcp", "headers": {"Authorization": "Bearer ${env:MY_TOKEN}"}},',
      '  },',
      '}',
    ].join('\n');
    const config = parseMcpConfig(text, '/home/u/.config/rozet/mcp.json', { MY_TOKEN: 'abc' });
    assert.deepEqual(config.problems, [
      '/home/u/.config/rozet/mcp.json:4:34: syntax error: comma expected in server "broken", so it was not loaded; the other servers were.',
    ]);
    assert.deepEqual(config.servers, [
      { name: 'local', kind: 'stdio', command: 'node', args: ['server.js'], env: { TOKEN: 'abc' }, cwd: undefined },
      {
        name: 'remote',
        kind: 'http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer abc' },
      },
    ]);
  });

  it('reports an entry without command or url, an error outside any server, and a missing file', async () => {
    const config = parseMcpConfig('{"servers": {"odd": {"args": []}, "ok": {"command": "x"}}} extra', '/f.json');
    assert.equal(config.servers.length, 1);
    assert.match(config.problems[0], /^\/f\.json:1:14: server "odd" needs "command" .* or "url"; it was not loaded/);
    assert.match(config.problems[1], /^\/f\.json:1:60: syntax error: invalid symbol\.$/);
    const missing = await readMcpConfig(path.join(tempDir(), 'none.json'));
    assert.deepEqual(missing.servers, []);
    assert.match(missing.problems[0], /rozet\.mcp\.enabled is on but .*none\.json does not exist: create it/);
  });

  it('lives in the user config folder of each platform', () => {
    const home = '/home/u';
    assert.equal(defaultMcpConfigFile({ HOME: home }, 'linux'), '/home/u/.config/rozet/mcp.json');
    assert.equal(defaultMcpConfigFile({ HOME: home, XDG_CONFIG_HOME: '/x' }, 'linux'), '/x/rozet/mcp.json');
    assert.equal(defaultMcpConfigFile({ HOME: home }, 'darwin'), '/home/u/Library/Application Support/rozet/mcp.json');
    assert.match(
      defaultMcpConfigFile({ HOME: home, APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32'),
      /rozet.mcp\.json$/,
    );
  });

  it('gives tools names providers accept: [a-zA-Z0-9_-], at most 64 characters, unique', () => {
    const names = modelFacingNames(
      [
        { server: 'git hub', tool: 'get.issue' },
        { server: 'git-hub', tool: 'get issue' },
        { server: 's'.repeat(40), tool: 't'.repeat(40) },
        { server: 's'.repeat(40), tool: 't'.repeat(41) },
        { server: 'x', tool: 'read_file' },
      ],
      'mcp',
      ['read_file'],
    );
    assert.equal(names[0], 'mcp_git_hub_get_issue');
    assert.equal(names[1], 'mcp_git-hub_get_issue');
    assert.notEqual(names[2], names[3]);
    for (const name of names) assert.match(name, /^[a-zA-Z0-9_-]{1,64}$/);
    assert.equal(new Set(names).size, names.length);
  });
});

describe('MCP tools through the SDK', function () {
  this.timeout(30_000);
  let http: McpHttpServer;
  let session: McpSession;
  let root: string;
  const problems: string[] = [];
  const redactor = new Redactor();

  before(async () => {
    http = await startMcpHttpServer('remote');
    root = tempDir('rozet-mcp-');
    session = await McpSession.connect(
      [
        stdioServer('local', { MCP_TEST_TOKEN: TOKEN }),
        { name: 'remote', kind: 'http', url: http.url, headers: {} },
        { name: 'missing', kind: 'stdio', command: path.join(root, 'no-such-server'), args: [], env: {} },
      ],
      { timeoutMs: 20_000, cwd: root, redactor, onProblem: (m) => problems.push(m) },
    );
  });
  after(async () => {
    await session.close();
    await http.close();
    removeDir(root);
  });

  const external = (allow: string[] = [], timeoutMs = 10_000): ExternalTools => ({
    host: session,
    allow,
    timeoutMs,
    redactor,
    sessionAllowed: new Set(),
  });

  it('lists the tools of the servers that started and reports the one that did not', () => {
    const names = session.tools.map((t) => t.name);
    for (const server of ['local', 'remote'])
      for (const tool of ['lookup_issue', 'leak', 'big', 'hang', 'crash'])
        assert.ok(names.includes(`mcp_${server}_${tool}`), `${server}/${tool} in ${names.join(', ')}`);
    assert.equal(problems.length, 1, problems.join('\n'));
    assert.match(problems[0], /MCP server "missing" could not be used .*the run goes on without its tools/);
  });

  it('an allowed tool runs without asking, over stdio and over HTTP', async () => {
    for (const server of ['local', 'remote']) {
      const approver = new RecordingApprover(false);
      const ctx = toolContext(root, { approver, external: external([`${server}/*`]) });
      const result = await runTool(`mcp_${server}_lookup_issue`, { id: 7 }, ctx);
      assert.deepEqual(result, {
        ok: true,
        output: `Issue #7: the retry delay doubles on every attempt (from ${server}).`,
      });
      assert.equal(approver.asked.length, 0);
    }
  });

  it('any other tool asks like a command; "no" runs nothing, "always" stops asking for this run', async () => {
    const denying = new RecordingApprover(false);
    const refused = await runTool(
      'mcp_local_lookup_issue',
      { id: 8 },
      toolContext(root, { approver: denying, external: external(['mcp_remote_lookup_issue']) }),
    );
    assert.equal(refused.ok, false);
    assert.match(refused.output, /The user declined calling mcp_local_lookup_issue/);
    assert.deepEqual(
      denying.asked.map((a) => [a.kind, a.subject]),
      [['tool', 'mcp_local_lookup_issue {"id":8}']],
    );
    assert.match(denying.asked[0].reason, /MCP server "local" that rozet\.mcp\.allow does not list/);

    const always = { asked: 0, approve: async () => (always.asked++, { approved: true, alwaysAllowPrefix: 'x' }) };
    const shared = external();
    for (const id of [1, 2]) {
      const ok = await runTool(
        'mcp_local_lookup_issue',
        { id },
        toolContext(root, { approver: always, external: shared }),
      );
      assert.equal(ok.ok, true, ok.output);
    }
    assert.equal(always.asked, 1);
  });

  it('results are redacted and bounded', async () => {
    const ctx = toolContext(root, { external: external(['local/*']), maxOutputBytes: 4096 });
    const leak = await runTool('mcp_local_leak', {}, ctx);
    assert.equal(leak.output, 'my token is [redacted]');
    const big = await runTool('mcp_local_big', {}, ctx);
    assert.ok(big.output.length < 6000, `${big.output.length} characters`);
    assert.match(big.output, /characters of tool output omitted/);
  });

  it('a hanging server is cut at the timeout and the task goes on; the server still answers after', async () => {
    for (const server of ['local', 'remote']) {
      const ctx = toolContext(root, { external: external([`${server}/*`], 1500) });
      const started = Date.now();
      const hung = await runTool(`mcp_${server}_hang`, {}, ctx);
      assert.equal(hung.ok, false);
      assert.match(
        hung.output,
        new RegExp(`The MCP server "${server}" did not answer hang within 2 s; the call was abandoned`),
      );
      assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
      assert.equal((await runTool(`mcp_${server}_lookup_issue`, { id: 1 }, ctx)).ok, true);
    }
  });

  it('a server that crashes is a tool error and is reported; its tools then fail at once', async () => {
    const ctx = toolContext(root, { external: external(['local/*']) });
    const crashed = await runTool('mcp_local_crash', {}, ctx);
    assert.equal(crashed.ok, false);
    assert.match(crashed.output, /The MCP server "local" failed to run crash: .*Go on without this tool/);
    assert.ok(
      problems.some((p) => /MCP server "local" stopped; its tools are no longer available/.test(p)),
      problems.join('\n'),
    );
    const after = await runTool('mcp_local_lookup_issue', { id: 1 }, ctx);
    assert.match(after.output, /failed to run lookup_issue: it is not running any more/);
    assert.equal(
      (await runTool('mcp_remote_lookup_issue', { id: 2 }, toolContext(root, { external: external(['remote/*']) }))).ok,
      true,
    );
  });

  it('a task is offered the tools its plan names and the allowed ones, not every tool of a big set', () => {
    const ctx = toolContext(root, { external: external(['remote/lookup_issue']) });
    const offered = (tools?: string[]) =>
      toolSpecsFor(ctx, { tools })
        .map((s) => s.name)
        .filter((n) => n.startsWith('mcp_'));
    assert.deepEqual(offered(), ['mcp_remote_lookup_issue']);
    assert.deepEqual(offered(['mcp_local_leak']), ['mcp_local_leak', 'mcp_remote_lookup_issue']);
    const none = toolContext(root, { external: external() });
    assert.equal(
      toolSpecsFor(none, {}).filter((s) => s.name.startsWith('mcp_')).length,
      session.tools.length,
      'few tools, none named or allowed: all are offered',
    );
  });
});

describe('MCP in `rozet run`', function () {
  this.timeout(60_000);
  let models: ModelServer;
  let root: string;
  let env: Record<string, string>;
  const TASK = {
    id: 't1',
    title: 'Note issue 7',
    description: 'Look up issue 7 and write what it says to notes.md',
    dependsOn: [],
    files: ['notes.md'],
    tools: ['mcp_scripted_lookup_issue'],
  };

  beforeEach(async () => {
    models = await startModelServer({
      scenario: {
        models: [{ id: 'm', tools: true }],
        agent: [
          {
            match: 'Note issue 7',
            hasTools: true,
            steps: [
              { kind: 'tools', calls: [{ name: 'mcp_scripted_lookup_issue', arguments: { id: 7 } }] },
              { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: 'notes.md', content: 'doubles\n' } }] },
              { kind: 'text', text: 'Noted.' },
            ],
          },
          { hasTools: false, plan: { tasks: [TASK] } },
        ],
      },
    });
    root = tempDir('rozet-mcp-cli-');
    const config = path.join(root, '..', `${path.basename(root)}-mcp.json`);
    const server = stdioServer('scripted');
    fs.writeFileSync(
      config,
      `{\n  "servers": {\n    "broken": {"command": "x",, },\n    "scripted": ${JSON.stringify({ command: server.command, args: server.args, cwd: server.cwd })}\n  }\n}\n`,
    );
    env = {
      ROZET_ORCHESTRATOR_PROVIDER: 'openaiCompatible',
      ROZET_ORCHESTRATOR_BASE_URL: `${models.url}/v1`,
      ROZET_ORCHESTRATOR_MODEL: 'm',
      ROZET_WORKER_PROVIDER: 'openaiCompatible',
      ROZET_WORKER_BASE_URL: `${models.url}/v1`,
      ROZET_WORKER_MODEL: 'm',
      ROZET_MCP_ENABLED: 'true',
      ROZET_MCP_CONFIG_FILE: config,
      ROZET_MCP_TIMEOUT_SECONDS: '30',
      HOME: root,
    };
  });
  afterEach(async () => {
    await models.close();
    removeDir(root);
    fs.rmSync(env.ROZET_MCP_CONFIG_FILE, { force: true });
  });

  const chats = () => models.requests.filter((r) => r.route === 'openai.chat').map((r) => JSON.stringify(r.body));

  it('a worker calls an allowed MCP tool the planner named; the broken server is named with line:column and the rest loads', async () => {
    const r = await runCliCaptured(
      ['run', '--yes', '-w', root, 'note issue 7'],
      { ...env, ROZET_MCP_ALLOW: 'scripted/lookup_issue' },
      REPO,
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stderr,
      /mcp\.json:3:31: syntax error: property name expected in server "broken", so it was not loaded/,
    );
    assert.match(r.stderr, /MCP: 5 tools from 1 server/);
    assert.doesNotMatch(r.stderr, /stopped/, 'closing the servers at the end is not a problem');
    assert.equal(fs.readFileSync(path.join(root, 'notes.md'), 'utf8'), 'doubles\n');
    const [planner, ...workers] = chats();
    assert.match(planner, /mcp_scripted_lookup_issue: Look up an issue of the tracker by its id/);
    assert.match(workers[0], /"name":"mcp_scripted_lookup_issue"/, 'the worker was offered the tool');
    assert.match(workers[1], /Issue #7: the retry delay doubles on every attempt \(from scripted\)/);
  });

  it('rozet plan shows the planner the MCP tools, and the plan names the one the task needs', async () => {
    const r = await runCliCaptured(['plan', '--json', '-w', root, 'note issue 7'], env, REPO);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { tasks: Array<{ tools?: string[] }> }).tasks[0].tools, [
      'mcp_scripted_lookup_issue',
    ]);
    assert.match(chats()[0], /mcp_scripted_lookup_issue: Look up an issue of the tracker by its id/);
    assert.match(r.stderr, /MCP: 5 tools from 1 server/);
  });

  it('a tool not allowed asks; with no terminal to ask, the call is refused with the setting that allows it', async () => {
    const r = await runCliCaptured(['run', '--yes', '--json', '-w', root, 'note issue 7'], env, REPO);
    const results = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; record?: { name: string; ok: boolean; summary: string } })
      .filter((e) => e.type === 'task.toolResult' && e.record?.name === 'mcp_scripted_lookup_issue');
    assert.equal(results.length, 1, r.stdout);
    assert.equal(results[0].record?.ok, false);
    assert.match(results[0].record?.summary ?? '', /declined .*ROZET_MCP_ALLOW=mcp_scripted_lookup_issue/);
  });
});
