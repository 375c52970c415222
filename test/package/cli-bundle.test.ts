// The bundled `rozet` (dist/cli.js, built by `npm run package`) runs as the README's first
// command runs it: a bundling mistake (a package that requires its own files at run time)
// shows only here, since every other CLI test runs the sources.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'dist', 'cli.js');

describe('the bundled rozet command', function () {
  this.timeout(60_000);
  let root: string;
  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bundle-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  // Nothing listens on port 9: the planner is unreachable and the fallback plan answers.
  const env = () => ({
    PATH: process.env.PATH ?? '',
    HOME: root,
    ROZET_ORCHESTRATOR_PROVIDER: 'ollama',
    ROZET_ORCHESTRATOR_BASE_URL: 'http://127.0.0.1:9',
  });

  it('plans with no model reachable, and prints the plan contract', () => {
    const r = spawnSync(process.execPath, [CLI, 'plan', '--json', '-w', root, 'Add a greet() function and a test'], {
      env: env(),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const plan = JSON.parse(r.stdout) as { tasks: unknown[]; source: string; reason?: string };
    assert.equal(plan.source, 'fallback');
    assert.ok(plan.tasks.length > 0, r.stdout);
    assert.match(plan.reason ?? '', /127\.0\.0\.1:9/);
  });

  it('config and --help run', () => {
    for (const args of [['config', '-w', root], ['--help']]) {
      const r = spawnSync(process.execPath, [CLI, ...args], { env: env(), encoding: 'utf8' });
      assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    }
  });
});
