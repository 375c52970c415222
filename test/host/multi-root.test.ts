// Issue 5, multi-root: in a window opened on a .code-workspace with the folders "app" and
// "lib", a worker lists both folders, reads and writes with the folder name first, is told
// the folder names when a path has none, and its system prompt names both folders. The
// driver runs this suite in its own code-server profile (see run-code-server.ts).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  oneTaskPlan,
  runPlan,
  toolMessages,
  toolResults,
  useScriptedModels,
  workerRequests,
  type ScriptedModels,
} from './helpers';

const TITLE = 'Copy the lib greeting into the app folder';

function folderUri(name: string, ...path: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  if (!folder) throw new Error(`no workspace folder named ${name}`);
  return vscode.Uri.joinPath(folder.uri, ...path);
}

describe('multi-root workspace', () => {
  let models: ScriptedModels;
  before(async () => {
    assert.deepEqual(
      vscode.workspace.workspaceFolders?.map((f) => f.name),
      ['app', 'lib'],
      'this suite runs in the multi-root profile (see run-code-server.ts)',
    );
    models = await useScriptedModels({
      agent: [
        {
          match: TITLE,
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'list_files', arguments: {} }] },
            { kind: 'tools', calls: [{ name: 'read_file', arguments: { path: 'lib/greeting.txt' } }] },
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'app/new.txt', content: 'hello from lib\n' } }],
            },
            {
              kind: 'tools',
              calls: [{ name: 'write_file', arguments: { path: 'stray.txt', content: 'no folder name\n' } }],
            },
            { kind: 'text', text: 'Copied.' },
          ],
        },
      ],
    });
  });
  after(async () => {
    await models?.dispose();
  });

  it('list_files, read_file and write_file work across both folders; a path without a folder name is refused', async () => {
    const { summary, events } = await runPlan(oneTaskPlan(TITLE));
    const results = toolResults(events);
    assert.deepEqual(
      results.map((r) => [r.name, r.ok]),
      [
        ['list_files', true],
        ['read_file', true],
        ['write_file', true],
        ['write_file', false],
      ],
      `tool results: ${JSON.stringify(results.map((r) => r.summary))}`,
    );
    const [list, read, , stray] = results;
    assert.match(list.summary, /app\//);
    assert.match(list.summary, /lib\//);
    assert.match(read.summary, /hello from lib/);
    assert.match(stray.summary, /does not start with a workspace folder name/);
    assert.match(stray.summary, /app, lib/);
    assert.equal(summary.outcome, 'succeeded', `run outcome ${summary.outcome}: ${summary.tasks[0]?.error ?? ''}`);

    // On disk: the new file is in the app folder; nothing landed at either folder's root by another name.
    assert.equal(
      new TextDecoder().decode(await vscode.workspace.fs.readFile(folderUri('app', 'new.txt'))),
      'hello from lib\n',
    );
    for (const uri of [folderUri('app', 'stray.txt'), folderUri('lib', 'stray.txt'), folderUri('lib', 'new.txt')]) {
      await assert.rejects(Promise.resolve(vscode.workspace.fs.stat(uri)), `${uri.fsPath} exists`);
    }

    // What the worker was told: both folder names in its system prompt, the listing in the tool result.
    const requests = workerRequests(models.server, TITLE);
    assert.ok(requests.length > 0, 'the worker sent no request');
    const body = requests[0].body as { messages: Array<{ role: string; content: unknown }> };
    const system = body.messages.find((m) => m.role === 'system');
    assert.ok(system, 'the worker request has no system message');
    const prompt = typeof system.content === 'string' ? system.content : JSON.stringify(system.content);
    assert.match(prompt, /"app"/);
    assert.match(prompt, /"lib"/);
    const lastTools = toolMessages(requests[requests.length - 1]);
    assert.ok(
      lastTools.some((m) => m.includes('app/') && m.includes('lib/')),
      `the worker never saw both folders listed: ${JSON.stringify(lastTools)}`,
    );
  });
});
