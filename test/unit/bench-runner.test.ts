// `npm run bench` writes its report where it is told (bench/out/ by default, ignored by
// git) and leaves the tracked bench/results.md alone unless asked; and a run at the most
// parallel workers allowed prints no MaxListenersExceededWarning (it did, at 16 workers).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Coordinator } from '../../src/core/run/coordinator';
import { APPROVE_ALL, InstantAnswerModel, NO_SHELL } from '../../bench/support';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { REPO } from '../support/cli-harness';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

describe('benchmarks', function () {
  this.timeout(120_000);

  it('--out DIR gets the report; bench/results.md is untouched; bench/out/ is git-ignored', async () => {
    const results = path.join(REPO, 'bench', 'results.md');
    const before = fs.readFileSync(results, 'utf8');
    const out = tempDir('rozet-bench-');
    try {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', 'bench/run.ts', '--only', 'json-repair', '--out', out],
        { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0, stderr);
      const report = fs.readFileSync(path.join(out, 'results.md'), 'utf8');
      assert.match(report, /## JSON-repair throughput/);
      assert.doesNotMatch(report, /## Activation/, '--only ran one benchmark');
      assert.equal(fs.readFileSync(results, 'utf8'), before, 'the tracked results were rewritten');
      assert.doesNotMatch(stderr, /MaxListenersExceededWarning/);
    } finally {
      removeDir(out);
    }
    const ignored = execFileSync('git', ['check-ignore', 'bench/out/results.md'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(ignored.trim(), 'bench/out/results.md');
  });

  it('16 parallel workers on one run signal raise no MaxListenersExceededWarning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const root = tempDir('rozet-listeners-');
    try {
      const model = new InstantAnswerModel();
      const tasks = Array.from({ length: 40 }, (_, i) => ({
        id: `t${i}`,
        title: `Task ${i}`,
        description: '',
        dependsOn: [],
        files: [],
      }));
      const summary = await new Coordinator({
        plan: { tasks },
        resolveModel: () => model,
        workspace: new NodeWorkspace(root),
        shell: NO_SHELL,
        approver: APPROVE_ALL,
        policy: { bashApproval: 'deny', allowlist: [], writeApproval: 'auto' },
        limits: { maxParallelWorkers: 16 },
        summaries: 'digest',
      }).run(new AbortController().signal);
      assert.equal(summary.outcome, 'succeeded');
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message),
        [],
      );
    } finally {
      process.off('warning', onWarning);
      removeDir(root);
    }
  });
});
