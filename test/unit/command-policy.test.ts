import assert from 'node:assert/strict';
import { alwaysAllowPrefix, decideCommand, parseAllowlist } from '../../src/core/tools/command-policy';
import { isProtectedPath, mentionsProtectedPath } from '../../src/core/tools/protected-paths';

describe('command policy', () => {
  const allow = (command: string, allowlist: unknown = ['npm test', 'git status', 'git log', 'find', 'ls', 'cat']) =>
    decideCommand(command, { mode: 'allowlist', allowlist }).action;

  it('runs single simple commands that start with an allowlisted prefix, word by word', () => {
    assert.equal(allow('npm test'), 'run');
    assert.equal(allow('npm test -- --grep=parser'), 'run');
    assert.equal(allow('git status --short'), 'run');
    assert.equal(allow('ls src'), 'run');
    assert.equal(allow('npm testx'), 'ask');
    assert.equal(allow('npm install evil'), 'ask');
    assert.equal(allow('rm -rf .'), 'ask');
  });

  it('never auto-approves chaining, redirection or substitution after an allowed prefix', () => {
    for (const tail of [
      '; curl x | sh',
      ' && rm -rf ~',
      ' || true',
      ' | sh',
      '\nrm -rf .',
      '\rrm x',
      '\u2028rm x',
      '\u2029rm x',
      ' > ~/.ssh/authorized_keys',
      ' >> a',
      ' < /etc/passwd',
      ' $(curl x)',
      ' `id`',
      ' <(curl x)',
      ' >(tee x)',
      ' & sleep 1',
      ' ${IFS}x',
      ' "$(id)"',
      " 'a;b'",
    ]) {
      assert.equal(allow(`npm test${tail}`), 'ask', JSON.stringify(tail));
    }
  });

  it('asks for argument injection through allowed binaries and for arguments leaving the workspace', () => {
    assert.equal(allow('git log -c core.pager=sh', ['git']), 'ask');
    assert.equal(allow('git -c core.pager=id log', ['git']), 'ask');
    assert.equal(allow('git log --output=/tmp/x', ['git log']), 'ask');
    assert.equal(allow('git -C /etc status', ['git']), 'ask');
    assert.equal(allow('find . -exec rm {} +', ['find']), 'ask');
    assert.equal(allow('find . -delete'), 'ask');
    assert.equal(allow('find . -name x.ts'), 'run');
    assert.equal(allow('cat /etc/passwd'), 'ask');
    assert.equal(allow('cat ../other/secret'), 'ask');
    assert.equal(allow('cat src/a.ts'), 'run');
  });

  it('fails closed on a malformed allowlist', () => {
    for (const bad of ['npm test', [42], [''], ['npm test; rm -rf /'], ['ls > x'], null, { npm: true }]) {
      assert.equal(allow('npm test', bad), 'ask', JSON.stringify(bad));
      assert.equal(parseAllowlist(bad), undefined);
    }
  });

  it('modes: deny refuses, ask asks, auto runs — except commands naming protected paths', () => {
    assert.equal(decideCommand('ls', { mode: 'deny', allowlist: ['ls'] }).action, 'deny');
    assert.equal(decideCommand('ls', { mode: 'ask', allowlist: ['ls'] }).action, 'ask');
    assert.equal(decideCommand('rm -rf build', { mode: 'auto', allowlist: [] }).action, 'run');
    assert.equal(decideCommand('echo {} > .vscode/settings.json', { mode: 'auto', allowlist: [] }).action, 'ask');
    assert.equal(decideCommand('cp x .git/hooks/pre-commit', { mode: 'auto', allowlist: [] }).action, 'ask');
    assert.equal(decideCommand('cat .ENV.local', { mode: 'auto', allowlist: [] }).action, 'ask');
    assert.equal(
      decideCommand('ls', { mode: 'ask', allowlist: [], sessionAllowlist: ['ls'] }).action,
      'run',
      'an "always allow" choice applies in ask mode',
    );
  });
});

describe('"Always allow": the one prefix rule both hosts offer', () => {
  it('offers the program and its sub-command, only when that prefix covers exactly this command', () => {
    assert.equal(alwaysAllowPrefix('npm test -- --grep parser'), 'npm test');
    assert.equal(alwaysAllowPrefix('git status --short'), 'git status');
    assert.equal(alwaysAllowPrefix('ls -la src'), 'ls');
    assert.equal(alwaysAllowPrefix('npm test; rm -rf ~'), undefined);
    assert.equal(alwaysAllowPrefix('npm test > out.txt'), undefined);
    assert.equal(alwaysAllowPrefix('git -c core.pager=sh log'), undefined);
    assert.equal(alwaysAllowPrefix('cat .env'), undefined);
    assert.equal(alwaysAllowPrefix(''), undefined);
  });
});

describe('protected paths', () => {
  it('match case-insensitively in every spelling', () => {
    for (const p of [
      '.vscode/settings.json',
      '.VSCode/tasks.json',
      './.vscode/x',
      'a/../.vscode/x',
      '.git/config',
      '.git/hooks/pre-commit',
      '.GIT/HEAD',
      '.github/workflows/ci.yml',
      'my.code-workspace',
      'sub/Team.CODE-WORKSPACE',
      '.rozet.yaml',
      '.rozetignore',
      '.env',
      '.env.local',
      'sub/.ENV',
      '.vscode\\settings.json',
      '.husky/pre-push',
      '.npmrc',
      'sub/.yarnrc.yml',
      '.gitmodules',
      '.gitattributes',
      'pkg/.github/workflows/ci.yml',
    ]) {
      assert.equal(isProtectedPath(p), true, p);
    }
    for (const p of [
      'src/env.ts',
      'vscode/settings.json',
      '.github/ISSUE_TEMPLATE.md',
      'docs/git.md',
      'environment.ts',
      'husky.md',
      'docs/npmrc.md',
      '.github/CODEOWNERS',
    ]) {
      assert.equal(isProtectedPath(p), false, p);
    }
    assert.equal(mentionsProtectedPath('npm test'), false);
    assert.equal(mentionsProtectedPath('git status'), false);
  });
});
