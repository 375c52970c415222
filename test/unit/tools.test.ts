import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runTool, TOOL_SPECS } from '../../src/core/tools/tools';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';

describe('tools', () => {
  let root: string;
  beforeEach(() => {
    root = tempDir();
  });
  afterEach(() => removeDir(root));

  it('offers the contract tools with JSON-schema arguments', () => {
    assert.deepEqual(
      TOOL_SPECS.map((t) => t.name),
      ['read_file', 'write_file', 'replace_in_file', 'execute_bash', 'list_files', 'search_files', 'find_files'],
    );
    const write = TOOL_SPECS.find((t) => t.name === 'write_file')?.parameters;
    assert.deepEqual(write?.required, ['path', 'content']);
    assert.equal(write?.$schema, undefined);
  });

  it('replace_in_file: exact, unique, CRLF-tolerant, and changes nothing when it cannot apply', async () => {
    fs.writeFileSync(path.join(root, 'a.ts'), 'const a = 1;\r\nconst b = 1;\r\n');
    const ctx = toolContext(root);
    const missing = await runTool('replace_in_file', { path: 'a.ts', old_string: 'const c', new_string: 'x' }, ctx);
    assert.match(missing.output, /not found/);
    const twice = await runTool('replace_in_file', { path: 'a.ts', old_string: '= 1', new_string: '= 2' }, ctx);
    assert.match(twice.output, /occurs 2 times/);
    assert.equal(fs.readFileSync(path.join(root, 'a.ts'), 'utf8'), 'const a = 1;\r\nconst b = 1;\r\n');
    const ok = await runTool(
      'replace_in_file',
      { path: 'a.ts', old_string: 'const a = 1;\nconst b', new_string: 'const a = 2;\nconst bb' },
      ctx,
    );
    assert.equal(ok.ok, true, ok.output);
    assert.equal(fs.readFileSync(path.join(root, 'a.ts'), 'utf8'), 'const a = 2;\r\nconst bb = 1;\r\n');
    const all = await runTool(
      'replace_in_file',
      { path: 'a.ts', old_string: 'const', new_string: 'let', replace_all: true },
      ctx,
    );
    assert.match(all.output, /Replaced 2/);
    assert.equal(ok.fileChanged, 'a.ts');
  });

  it('execute_bash follows the approval mode: allowlist runs, ask asks, a refusal runs nothing, "always allow" sticks', async () => {
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, {
      approver,
      policy: { bashApproval: 'allowlist', allowlist: ['echo'], writeApproval: 'auto' },
    });
    const ran = await runTool('execute_bash', { command: 'echo hello' }, ctx);
    assert.equal(ran.ok, true);
    assert.match(ran.output, /\[exit code 0\]\nhello/);
    const refused = await runTool('execute_bash', { command: 'echo hi > made.txt' }, ctx);
    assert.equal(refused.ok, false);
    assert.match(refused.output, /declined/);
    assert.equal(fs.existsSync(path.join(root, 'made.txt')), false);
    assert.equal(approver.asked.length, 1);

    const always = toolContext(root, {
      approver: { approve: async () => ({ approved: true, alwaysAllowPrefix: 'touch' }) },
      policy: { bashApproval: 'ask', allowlist: [], writeApproval: 'auto' },
    });
    await runTool('execute_bash', { command: 'touch x' }, always);
    assert.deepEqual(always.sessionAllowlist, ['touch x'], 'the core rule decides the prefix, whatever the host said');

    const denied = await runTool(
      'execute_bash',
      { command: 'echo x' },
      toolContext(root, { policy: { bashApproval: 'deny', allowlist: ['echo'], writeApproval: 'auto' } }),
    );
    assert.match(denied.output, /switched off/);
  });

  it('write approval "ask" asks for every write; a refusal writes nothing', async () => {
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, { approver, policy: { bashApproval: 'deny', allowlist: [], writeApproval: 'ask' } });
    const result = await runTool('write_file', { path: 'src/x.ts', content: 'x' }, ctx);
    assert.equal(result.ok, false);
    assert.equal(approver.asked[0].kind, 'write');
    assert.equal(fs.existsSync(path.join(root, 'src')), false);
  });

  it('protected paths ask even under auto, also when reached through a symlink', async () => {
    fs.mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
    fs.symlinkSync(path.join(root, '.git', 'hooks'), path.join(root, 'hooks'));
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, { approver });
    for (const p of [
      '.env',
      '.env.production',
      '.vscode/settings.json',
      'team.code-workspace',
      '.github/workflows/ci.yml',
      '.rozet.yaml',
      '.rozetignore',
      '.GIT/config',
      'hooks/pre-commit',
    ]) {
      const result = await runTool('write_file', { path: p, content: 'x' }, ctx);
      assert.equal(result.ok, false, p);
    }
    assert.equal(approver.asked.length, 9);
    assert.deepEqual(fs.readdirSync(path.join(root, '.git', 'hooks')), []);
    assert.deepEqual(fs.readdirSync(root).sort(), ['.git', 'hooks']);
  });

  it('reading .env and other secret files asks first; declined, nothing of them reaches the model', async () => {
    const files: Record<string, string> = {
      '.env': 'DB_PASSWORD=hunter2-secret\n',
      'config/.env.local': 'API_TOKEN=tok-secret\n',
      'certs/server.pem': '-----BEGIN PRIVATE KEY-----pem-secret',
      'keys/id_ed25519': 'ssh-secret',
      '.npmrc': '//registry.npmjs.org/:_authToken=npm-secret\n',
      'web/.npmrc': 'save-exact=true\n',
      'README.md': 'plain\n',
      'src/id_utils.ts': 'export const id = 1;\n',
    };
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), content);
    }
    const approver = new RecordingApprover(false);
    const ctx = toolContext(root, { approver });
    for (const file of Object.keys(files)) {
      const result = await runTool('read_file', { path: file }, ctx);
      const secret = /secret/.test(files[file]);
      assert.equal(result.ok, !secret, `${file}: ${result.output}`);
      assert.doesNotMatch(result.output, /secret/, file);
    }
    assert.deepEqual(
      approver.asked.map((a) => `${a.kind} ${a.subject}`),
      ['read .env', 'read config/.env.local', 'read certs/server.pem', 'read keys/id_ed25519', 'read .npmrc'],
    );
    const allowed = await runTool(
      'read_file',
      { path: '.env' },
      toolContext(root, { approver: new RecordingApprover(true) }),
    );
    assert.match(allowed.output, /hunter2-secret/, 'approved, the file is read');
  });

  it('list_files and read_file report what they found, with a note when cut', async () => {
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), 'x');
    const ctx = toolContext(root);
    assert.equal((await runTool('list_files', {}, ctx)).output, 'src/');
    assert.equal((await runTool('list_files', { path: 'src', recursive: true }, ctx)).output, 'src/a.ts');
    fs.writeFileSync(path.join(root, 'big.txt'), 'y'.repeat(300_000));
    assert.match((await runTool('read_file', { path: 'big.txt' }, ctx)).output, /file truncated/);
  });
});
