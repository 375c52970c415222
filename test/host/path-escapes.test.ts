// Workers confined to the workspace through the VS Code adapter itself (issue 8: "Node and
// VS Code adapters alike"): every escape form a model might send to read_file or
// write_file comes back as a tool error, and nothing outside the folder is read or made.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  oneTaskPlan,
  revertAndCloseAllEditors,
  runPlan,
  toolResults,
  useScriptedModels,
  workspaceFolder,
  type ScriptedModels,
} from './helpers';

const TITLE = 'Try to leave the workspace';
const OUTSIDE = mkdtempSync(join(tmpdir(), 'rozet-outside-'));
const SECRET = 'outside secret 7c1f';
writeFileSync(join(OUTSIDE, 'secret.txt'), SECRET);

const ESCAPES = [
  '../secret.txt',
  '../../../../etc/passwd',
  'sub/../../secret.txt',
  join(OUTSIDE, 'secret.txt'),
  '/etc/passwd',
  '~/.ssh/id_rsa',
  '~root/.bashrc',
  'C:\\Windows\\win.ini',
  '\\\\server\\share\\x.txt',
  'notes.txt::$DATA',
  'notes.txt.',
  '%2e%2e/secret.txt',
  '..%2fsecret.txt',
  'a\u0000b.txt',
  // Over the 1,024-character limit (kept short enough not to crowd the worker's memory).
  `${'x/'.repeat(600)}deep.txt`,
  'out-link/secret.txt',
  'dangling-link',
];

describe('path escapes through the VS Code workspace', () => {
  let models: ScriptedModels;
  before(async () => {
    const root = workspaceFolder().fsPath;
    symlinkSync(OUTSIDE, join(root, 'out-link'));
    symlinkSync(join(OUTSIDE, 'missing', 'target.txt'), join(root, 'dangling-link'));
    const reads = ESCAPES.map((path) => ({ name: 'read_file', arguments: { path } }));
    const writes = ESCAPES.map((path) => ({ name: 'write_file', arguments: { path, content: 'escaped' } }));
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          // Answers carry at most 20 tool calls each (the worker's per-answer cap).
          steps: [
            { kind: 'tools', calls: reads.slice(0, 17) },
            { kind: 'tools', calls: writes.slice(0, 17) },
            { kind: 'text', text: 'Every attempt was refused.' },
          ],
        },
      ],
    });
  });
  after(async () => {
    await models.dispose();
    await revertAndCloseAllEditors();
    const root = workspaceFolder().fsPath;
    rmSync(join(root, 'out-link'), { force: true });
    rmSync(join(root, 'dangling-link'), { force: true });
    rmSync(OUTSIDE, { recursive: true, force: true });
  });

  it('refuses every escape form for reads and writes, and nothing outside is read or created', async () => {
    const { events } = await runPlan(oneTaskPlan(TITLE));
    const results = toolResults(events);
    assert.equal(results.length, ESCAPES.length * 2, 'every call reached the tool layer');
    const allowed = results.filter((r) => r.ok);
    assert.deepEqual(
      allowed.map((r) => JSON.stringify(r.args).slice(0, 80)),
      [],
      'calls that were not refused',
    );
    assert.ok(
      results.every((r) => !r.summary.includes(SECRET)),
      'the secret outside the workspace was read',
    );
    assert.deepEqual(readdirSync(OUTSIDE), ['secret.txt'], 'a file was created outside the workspace');
    console.log(`      vscode adapter: ${results.length} escapes tried, ${results.length - allowed.length} blocked`);
  });
});
