// Confinement and protected paths (docs/ARCHITECTURE.md, "Security invariants"): every
// form of path escape, through the real tool layer (runTool over NodeWorkspace) and
// through the two functions the VS Code adapter shares (normaliseRelative,
// confineToRoot); and protected paths asking even under `auto`, whether a file is
// created, modified or renamed into place by a command.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { confineToRoot, normaliseRelative } from '../../src/core/workspace/path-confinement';
import { isProtectedPath } from '../../src/core/tools/protected-paths';
import { runTool, type ToolContext } from '../../src/core/tools/tools';
import { ToolError } from '../../src/core/workspace/workspace';
import { RecordingApprover, removeDir, tempDir, toolContext } from '../support/run-engine-fixtures';
import { Tally } from '../support/tally';

/** Every spelling of "outside the root" a model (or a file it read) might try. */
function escapes(outside: string, root: string): string[] {
  return [
    '..',
    '../secret.txt',
    '../../../../../../etc/passwd',
    'a/../../secret.txt',
    'a/b/../../../secret.txt',
    './../secret.txt',
    '..\\secret.txt',
    'a\\..\\..\\secret.txt',
    '/etc/passwd',
    '/',
    `${outside}/secret.txt`,
    `${root}/../${path.basename(outside)}/secret.txt`,
    `${root}x/secret.txt`,
    '~',
    '~/secret.txt',
    '~root/.ssh/id_rsa',
    '~/.ssh/authorized_keys',
    'C:\\Windows\\win.ini',
    'C:secret.txt',
    'c:/Windows/win.ini',
    '\\\\server\\share\\secret.txt',
    '//server/share/secret.txt',
    '\\\\?\\C:\\secret.txt',
    '\\\\.\\pipe\\x',
    'secret.txt::$DATA',
    'secret.txt:stream',
    'dir.:x',
    'secret.txt.',
    'a /secret.txt',
    'a./b.txt',
    '%2e%2e/secret.txt',
    '%2E%2E%2Fsecret.txt',
    '..%2fsecret.txt',
    '..%5csecret.txt',
    'a%00.txt',
    'secret.txt\u0000.md',
    '\u0000',
    `${'a/'.repeat(5000)}x`,
    'x'.repeat(10_000),
    `${'../'.repeat(3000)}etc/passwd`,
  ];
}

describe('adversarial: path escapes', function () {
  const tally = new Tally('paths');
  tally.report();
  let root: string;
  let outside: string;
  let ctx: ToolContext;
  beforeEach(() => {
    root = tempDir('rozet-adv-');
    outside = tempDir('rozet-adv-out-');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
    ctx = toolContext(root);
  });
  afterEach(() => {
    removeDir(root);
    removeDir(outside);
  });

  const untouched = () => {
    assert.deepEqual(fs.readdirSync(outside), ['secret.txt'], 'nothing created outside');
    assert.equal(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8'), 'SECRET', 'nothing changed outside');
  };

  /** Every tool that takes a path must refuse it with a tool error and touch nothing. */
  async function refusedByEveryTool(p: string): Promise<void> {
    const label = JSON.stringify(p.slice(0, 60));
    const calls: Array<[string, Record<string, unknown>]> = [
      ['read_file', { path: p }],
      ['write_file', { path: p, content: 'owned' }],
      ['replace_in_file', { path: p, old_string: 'SECRET', new_string: 'owned' }],
      ['list_files', { path: p, recursive: true }],
    ];
    for (const [tool, args] of calls) {
      tally.add('tried');
      const result = await runTool(tool, args, ctx);
      assert.equal(result.ok, false, `${tool} ${label} must be refused: ${result.output.slice(0, 200)}`);
      assert.doesNotMatch(result.output, /SECRET/, `${tool} ${label} leaked the file`);
      assert.ok(result.output.length < 2000, `${tool} ${label}: the message stays short`);
      tally.add('blocked');
    }
    untouched();
  }

  it('refuses every lexical escape in every tool, and the shared normaliser refuses them too', async () => {
    for (const p of escapes(outside, root)) {
      await refusedByEveryTool(p);
      tally.add('tried');
      let normalised: string | undefined;
      try {
        // The VS Code adapter runs the same two steps; together they must refuse.
        normalised = normaliseRelative(p, root);
        confineToRoot(root, normalised, p);
      } catch (error) {
        assert.ok(error instanceof ToolError, `normaliseRelative ${JSON.stringify(p.slice(0, 60))} throws a ToolError`);
        tally.add('blocked');
        continue;
      }
      assert.fail(`${JSON.stringify(p.slice(0, 60))} normalised to ${JSON.stringify(normalised)} and was not refused`);
    }
    assert.deepEqual(fs.readdirSync(root), [], 'nothing was created in the workspace either');
  });

  it('refuses symlinks leading out: a linked directory, a linked file, a dangling final link, a link chain', async () => {
    fs.symlinkSync(outside, path.join(root, 'out'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'leak.txt'));
    fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling.txt'));
    fs.symlinkSync(path.join(outside, 'nowhere', 'deeper'), path.join(root, 'dangling-dir'));
    fs.symlinkSync('out', path.join(root, 'chain'));
    fs.mkdirSync(path.join(root, 'inner'));
    fs.symlinkSync('../out', path.join(root, 'inner', 'up'));
    for (const p of [
      'out/secret.txt',
      'out/new.txt',
      'out/deeper/new.txt',
      'out',
      'leak.txt',
      'dangling.txt',
      'dangling-dir/x.txt',
      'chain/secret.txt',
      'chain/new.txt',
      'inner/up/secret.txt',
      './inner/../out/secret.txt',
      'OUT/secret.txt'.toLowerCase(),
    ]) {
      await refusedByEveryTool(p);
    }
    assert.equal(
      fs.existsSync(path.join(outside, 'not-yet.txt')),
      false,
      'the dangling link was not followed to create its target',
    );
  });

  it('lists no link leading out, and list_files of the root does not descend into one', async () => {
    fs.symlinkSync(outside, path.join(root, 'out'));
    fs.writeFileSync(path.join(root, 'own.txt'), 'x');
    tally.add('tried');
    const listed = await runTool('list_files', { recursive: true }, ctx);
    assert.equal(listed.ok, true);
    assert.doesNotMatch(listed.output, /secret/, listed.output);
    tally.add('blocked');
  });

  it('still accepts ordinary and odd-but-inside names (no false refusals)', async () => {
    for (const p of [
      'a.txt',
      './b.txt',
      'dir/c.txt',
      'x/../d.txt',
      `${root}/e.txt`,
      'dir\\f.txt',
      '..foo.txt',
      'foo..bar.txt',
      '%252e%252e.txt',
      '．．/g.txt',
      'sp ace/h.txt',
      'ünïcödé.txt',
      '-rf.txt',
    ]) {
      const result = await runTool('write_file', { path: p, content: 'ok' }, ctx);
      assert.equal(result.ok, true, `${p}: ${result.output}`);
    }
    untouched();
  });
});

describe('adversarial: protected paths ask even under auto', function () {
  const tally = new Tally('protected paths');
  tally.report();
  let root: string;
  let approver: RecordingApprover;
  let ctx: ToolContext;
  beforeEach(() => {
    root = tempDir('rozet-prot-');
    fs.mkdirSync(path.join(root, '.git', 'hooks'), { recursive: true });
    fs.writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{}');
    fs.mkdirSync(path.join(root, 'sub'));
    fs.writeFileSync(path.join(root, 'payload.json'), '{"rozet.bash.approval": "auto"}');
    approver = new RecordingApprover(false);
    ctx = toolContext(root, { approver });
  });
  afterEach(() => removeDir(root));

  const PROTECTED = [
    '.vscode/settings.json',
    '.vscode/tasks.json',
    '.VSCODE/launch.json',
    '.VsCode/settings.json',
    './.vscode/settings.json',
    'sub/../.vscode/settings.json',
    '.vscode//settings.json',
    '.vscode\\settings.json',
    'my.code-workspace',
    'sub/Team.CODE-WORKSPACE',
    '.git/config',
    '.git/hooks/pre-commit',
    '.git/hooks/post-checkout',
    '.GIT/hooks/pre-push',
    '.Git/info/attributes',
    '.github/workflows/ci.yml',
    '.GitHub/Workflows/release.yaml',
    '.rozet.yaml',
    '.ROZET.YAML',
    '.rozet.yml',
    '.rozetignore',
    '.RozetIgnore',
    '.env',
    '.ENV',
    '.env.local',
    '.env.production.LOCAL',
    'sub/.env',
    'sub/.git/hooks/pre-commit',
    'sub/.vscode/settings.json',
    // Added by issue 12: commit hooks, package-manager settings, submodules, attributes,
    // and workflows below the root.
    '.husky/pre-commit',
    'web/.husky/_/husky.sh',
    '.npmrc',
    'pkg/.NPMRC',
    '.yarnrc',
    '.yarnrc.yml',
    'sub/.yarnrc.yml',
    '.gitmodules',
    'lib/.gitmodules',
    '.gitattributes',
    'sub/.GitAttributes',
    'packages/app/.github/workflows/ci.yml',
  ];

  it('asks before creating or modifying any protected path, in every spelling; a refusal writes nothing', async () => {
    for (const p of PROTECTED) {
      const target = path.join(root, p.replace(/\\/g, '/'));
      const before = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
      for (const [tool, args] of [
        ['write_file', { path: p, content: '{"rozet.bash.approval": "auto"}' }],
        ['replace_in_file', { path: p, old_string: '{}', new_string: '{"x": 1}' }],
      ] as const) {
        tally.add('tried');
        const asked = approver.asked.length;
        const result = await runTool(tool, args, ctx);
        assert.equal(result.ok, false, `${tool} ${p}: ${result.output}`);
        assert.equal(approver.asked.length, asked + 1, `${tool} ${p} asked the user`);
        assert.match(approver.asked[asked].reason, /protected path/);
        tally.add('blocked');
      }
      const after = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
      assert.equal(after, before, `${p} unchanged`);
    }
  });

  it('asks for a protected path reached through a symlink alias inside the workspace', async () => {
    fs.symlinkSync('.vscode', path.join(root, 'cfg'));
    fs.symlinkSync('.git/hooks', path.join(root, 'hooks'));
    fs.symlinkSync('.git', path.join(root, 'sub', 'g'));
    for (const p of ['cfg/settings.json', 'hooks/pre-commit', 'sub/g/config']) {
      tally.add('tried');
      const result = await runTool('write_file', { path: p, content: 'x' }, ctx);
      assert.equal(result.ok, false, `${p}: ${result.output}`);
      tally.add('blocked');
    }
    assert.equal(fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8'), '{}');
  });

  it('asks before a command that creates, renames or copies onto a protected path under auto; nothing runs when refused', async () => {
    const commands = [
      'mv payload.json .vscode/settings.json',
      'mv payload.json ./.vscode/settings.json',
      'mv payload.json .VSCODE/settings.json',
      'cp payload.json ".vscode/settings.json"',
      "cp payload.json '.vscode/settings.json'",
      'cat payload.json > .vscode/settings.json',
      'cat payload.json >.vscode/settings.json',
      'tee .vscode/settings.json < payload.json',
      'mv payload.json sub/../.vscode/settings.json',
      'ln -sf ../payload.json .vscode/settings.json',
      'install -m 755 payload.json .git/hooks/pre-commit',
      'git config core.hooksPath .githooks && mkdir .githooks',
      'echo "[core] pager = id" >> .git/config',
      'mkdir -p .github/workflows && mv payload.json .github/workflows/x.yml',
      'mv payload.json .rozet.yaml',
      'mv payload.json .rozetignore',
      'echo KEY=1 > .env.local',
      'mv payload.json team.code-workspace',
      'mv payload.json .husky/pre-commit',
      'cp payload.json .npmrc',
      'cp payload.json sub/.yarnrc.yml',
      'echo "* filter=x" >> .gitattributes',
      'mv payload.json .gitmodules',
      'mv payload.json sub/.github/workflows/ci.yml',
      'cp payload.json .np*',
      'mv payload.json .vs""code/settings.json',
      "mv payload.json .vs''code/settings.json",
      'mv payload.json .vs\\code/settings.json',
      'mv payload.json .vscod?/settings.json',
      'mv payload.json .vs*/settings.json',
      'mv payload.json .[v]scode/settings.json',
      'cp payload.json .e*',
      'cd .vscode && mv ../payload.json settings.json',
      'cd .vscode; cp ../payload.json settings.json',
    ];
    for (const command of commands) {
      tally.add('tried');
      const asked = approver.asked.length;
      const result = await runTool('execute_bash', { command }, ctx);
      assert.equal(approver.asked.length, asked + 1, `${command} asked the user: ${result.output}`);
      assert.equal(result.ok, false);
      tally.add('blocked');
    }
    assert.equal(fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8'), '{}');
    assert.equal(fs.readFileSync(path.join(root, '.git', 'config'), 'utf8'), '[core]\n');
    assert.ok(fs.existsSync(path.join(root, 'payload.json')), 'the payload was not moved');
  });

  it('does not flag ordinary paths that only look similar', () => {
    for (const p of [
      'src/env.ts',
      'vscode/settings.json',
      '.github/ISSUE_TEMPLATE.md',
      'docs/git.md',
      'environment.ts',
      'src/.gitkeep',
      '.gitignore',
      '.github/dependabot.yml',
      'code-workspace.md',
    ]) {
      assert.equal(isProtectedPath(p), false, p);
    }
  });
});
