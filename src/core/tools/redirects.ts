// The allowlist must not become a backdoor. `npm test` is harmless until a worker rewrites
// package.json's test script (or writes .npmrc `node-options=--require=./evil.js`, or a
// test file); `git status` is harmless until a worker plants a git config with
// core.fsmonitor. So, outside a sandbox, an allow-listed command asks again once this run
// has changed a file that decides what it executes:
// - git: repository files (anything in .git, or HEAD/config/objects/refs/packed-refs/
//   commondir of a bare layout, at any level) and .gitattributes/.gitmodules;
// - plain viewers (ls, cat, grep, …): nothing, they run no code from files;
// - every other program (npm, yarn, make, pytest, node, cargo, …): any file a worker wrote
//   in this run — the test files it runs are code as much as package.json is — and the
//   project files that configure such tools, changed by any means since the run began.
// Inside the sandbox the rule does not apply: whatever runs cannot reach past the workspace.
import picomatch from 'picomatch';
import type { Workspace } from '../workspace/workspace';
import { programName } from './command-policy';

// File systems keep modification times coarsely (FAT: 2 s); a change at the very start of
// the run must not be missed, so the window opens a little early (asking once too many is fine).
const MTIME_SLACK_MS = 2000;

/** What this run has written, shared by all its workers. */
export class RunWrites {
  /** Workspace-relative paths the write tools changed. */
  readonly paths = new Set<string>();
  /** Files whose modification time is at or after this were changed during the run. */
  readonly since = Date.now() - MTIME_SLACK_MS;
}

const VIEWERS = new Set([
  'ls',
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'rg',
  'find',
  'echo',
  'pwd',
  'printf',
  'date',
  'which',
  'file',
  'stat',
  'du',
  'df',
  'diff',
  'cmp',
  'sort',
  'uniq',
  'cut',
  'tr',
  'nl',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'tree',
  'true',
  'false',
  'whoami',
  'id',
  'uname',
]);

const GIT_FILES = picomatch(
  [
    '**/.git',
    '**/.git/**',
    '**/HEAD',
    '**/config',
    '**/packed-refs',
    '**/commondir',
    '**/objects/**',
    '**/refs/**',
    '**/.gitattributes',
    '**/.gitmodules',
  ],
  { nocase: true, dot: true },
);

/** Root files that configure git or the usual build, test and package tools. */
const GIT_CONTROL_FILES = [
  '.git/config',
  '.git/commondir',
  '.git/info',
  '.git/hooks',
  'HEAD',
  'config',
  'objects',
  'refs',
  'packed-refs',
  '.gitattributes',
  '.gitmodules',
];
const TOOL_CONTROL_FILES = [
  'package.json',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pnpmfile.cjs',
  'pnpm-workspace.yaml',
  'node_modules/.bin',
  'Makefile',
  'makefile',
  'GNUmakefile',
  'pyproject.toml',
  'setup.py',
  'setup.cfg',
  'tox.ini',
  'noxfile.py',
  'conftest.py',
  'pytest.ini',
  'Cargo.toml',
  'build.rs',
  'go.mod',
  'Gemfile',
  'Rakefile',
  'build.gradle',
  'pom.xml',
];

/**
 * Why an allow-listed command must ask again (outside a sandbox), or undefined when
 * nothing it could execute has changed in this run.
 */
export async function redirectedBy(
  command: string,
  writes: RunWrites,
  workspace: Workspace,
): Promise<string | undefined> {
  const program = programName(command.trim().split(/\s+/)[0] ?? '');
  if (VIEWERS.has(program)) return undefined;
  const git = program === 'git';
  const written = [...writes.paths].filter((p) => !git || GIT_FILES(p.replace(/\\/g, '/').replace(/^\.\//, '')));
  const changed = await changedSince(git ? GIT_CONTROL_FILES : TOOL_CONTROL_FILES, writes.since, workspace);
  const files = [...new Set([...written, ...changed])];
  if (!files.length) return undefined;
  const shown = files.slice(0, 3).join(', ') + (files.length > 3 ? `, and ${files.length - 3} more` : '');
  return (
    `${program} may run code from files changed in this run (${shown}); without a sandbox that code could ` +
    'reach beyond the workspace, so an allow-listed command asks again.'
  );
}

async function changedSince(paths: readonly string[], since: number, workspace: Workspace): Promise<string[]> {
  const stats = await Promise.all(paths.map((p) => workspace.stat(p).catch(() => undefined)));
  return paths.filter((_, i) => (stats[i]?.mtimeMs ?? -Infinity) >= since);
}
