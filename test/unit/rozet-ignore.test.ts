import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { ToolError } from '../../src/core/workspace/workspace';

describe('.rozetignore in the Node workspace', () => {
  let root: string;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-ignore-'));
    fs.mkdirSync(path.join(root, 'secrets'));
    fs.writeFileSync(path.join(root, 'secrets', 'prod.key'), 'do not touch');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'fine');
    fs.writeFileSync(path.join(root, '.rozetignore'), 'secrets/\n*.pem\n');
  });

  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('refuses reads and writes of listed paths and leaves them untouched', async () => {
    const ws = new NodeWorkspace(root);
    await assert.rejects(
      ws.read('secrets/prod.key'),
      (e: unknown) => e instanceof ToolError && /\.rozetignore/.test(e.message),
    );
    await assert.rejects(ws.write('secrets/prod.key', 'changed'), ToolError);
    await assert.rejects(ws.write('cert.pem', 'x'), ToolError);
    assert.equal(fs.readFileSync(path.join(root, 'secrets', 'prod.key'), 'utf8'), 'do not touch');
    assert.equal(fs.existsSync(path.join(root, 'cert.pem')), false);
    assert.equal((await ws.read('notes.txt')).content, 'fine');
  });

  it('hides listed paths from list_files', async () => {
    const ws = new NodeWorkspace(root);
    const listed = (await ws.list('', true)).entries.map((e) => e.path);
    assert.ok(listed.includes('notes.txt'), 'ordinary files are listed');
    assert.ok(!listed.some((p) => p.startsWith('secrets')), `secrets listed: ${listed.join(', ')}`);
  });
});
