// The macOS Seatbelt profile cannot run here (Linux); what can be checked is that its
// protected-path patterns match what the rule says — every protected name at any depth,
// in any case, and the git parts that run code — and nothing else, and that the profile
// is one balanced expression per rule.
import assert from 'node:assert/strict';
import { protectedPattern, seatbeltProfile } from '../../src/core/sandbox/seatbelt';

const ROOT = '/Users/me/my project (v2)';

describe('Seatbelt profile (macOS)', () => {
  const profile = seatbeltProfile(
    {
      root: ROOT,
      cwd: ROOT,
      readOnly: [],
      hidden: { dirs: ['/Users/me/.ssh'], files: ['/Users/me/.netrc'] },
      network: false,
    },
    ['/private/tmp'],
  );
  // Seatbelt's #"…" regexes, read back as JavaScript ones (the same syntax for these patterns).
  const denied = [...profile.matchAll(/\(regex #"((?:[^"\\]|\\.)*)"\)/g)]
    .map((m) => m[1])
    .filter((source) => source.startsWith('^/Users'))
    .map((source) => new RegExp(source));
  const blocked = (p: string) => denied.some((re) => re.test(`${ROOT}/${p}`));

  it('denies writes to every protected path at any depth and in any case, and to the git parts that run code', () => {
    for (const p of [
      '.vscode/settings.json',
      'sub/.VSCode/tasks.json',
      '.git/hooks/pre-commit',
      'pkg/.git/config',
      '.git/info/attributes',
      '.env.local',
      '.npmrc',
      '.yarnrc.yml',
      '.husky/pre-commit',
      'a/.github/workflows/ci.yml',
      'team.code-workspace',
      '.rozet.yaml',
    ])
      assert.ok(blocked(p), p);
  });

  it('leaves the rest of the workspace writable, git objects and refs included', () => {
    for (const p of [
      'src/a.ts',
      '.git/objects/ab/cdef',
      '.git/refs/heads/main',
      '.git/index',
      'env.ts',
      '.github/x.md',
    ])
      assert.ok(!blocked(p), p);
  });

  it('has balanced rules, hides the secret places and has no network when it is off', () => {
    for (const line of profile.split('\n')) {
      let depth = 0;
      for (const c of line.replace(/"(?:[^"\\]|\\.)*"/g, '""')) depth += c === '(' ? 1 : c === ')' ? -1 : 0;
      assert.equal(depth, 0, line);
    }
    assert.match(
      profile,
      /\(allow file-read\* \(require-not \(require-any \(subpath "\/Users\/me\/\.ssh"\) \(literal "\/Users\/me\/\.netrc"\)\)\)\)/,
    );
    assert.doesNotMatch(profile, /network/);
    assert.match(
      seatbeltProfile({ root: ROOT, cwd: ROOT, readOnly: [], hidden: { dirs: [], files: [] }, network: true }, []),
      /\(allow network\*\)/,
    );
  });

  it('escapes the root for the regex', () => {
    assert.equal(protectedPattern('/a.b', '.npmrc'), '^/a\\.b/(.*/)?\\.[nN][pP][mM][rR][cC](/.*)?$');
  });
});
