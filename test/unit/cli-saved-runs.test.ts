// `rozet runs`, `rozet resume`, `rozet undo`, budgets and cost through the CLI, in temp
// workspaces against the scripted model server over real HTTP, with saved runs in a temp
// state folder (XDG_STATE_HOME). Every assert.ok has a message (see cli.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunEvent, RunSummary } from '../../src/core/run/events';
import { cli } from '../support/cli-harness';
import { startModelServer, type AgentRule, type ModelServer, type Scenario } from '../support/model-server';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

const task = (id: string, title: string, file: string, dependsOn: string[] = []) => ({
  id,
  title,
  description: `${title}.`,
  dependsOn,
  files: [file],
});
const writer = (match: string, file: string, content: string): AgentRule => ({
  match: `Task ${match}`,
  hasTools: true,
  steps: [
    {
      kind: 'tools',
      calls: [{ name: 'write_file', arguments: { path: file, content } }],
      usage: { prompt: 100, completion: 20 },
    },
    { kind: 'text', text: `Wrote ${file}.`, usage: { prompt: 120, completion: 10 } },
  ],
});
const failer = (match: string): AgentRule => ({
  match: `Task ${match}`,
  hasTools: true,
  steps: [{ kind: 'error', status: 400, body: { error: { message: 'scripted refusal' } } }],
});

const CHAIN = { tasks: [task('t1', 'Write alpha', 'alpha.txt'), task('t2', 'Write beta', 'beta.txt', ['t1'])] };
const PAIR = { tasks: [task('t1', 'Write alpha', 'alpha.txt'), task('t2', 'Write beta', 'beta.txt')] };

function scenario(rules: AgentRule[], plan: unknown): Scenario {
  return {
    models: [
      { id: 'planner', tools: true },
      { id: 'worker', tools: true },
    ],
    agent: [...rules, { hasTools: false, plan }],
  };
}

const events = (stdout: string): RunEvent[] =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as RunEvent);
const summaryOf = (stdout: string): RunSummary => {
  const finished = events(stdout).find((e) => e.type === 'plan.finished');
  assert.ok(finished?.type === 'plan.finished', 'a plan.finished event');
  return finished.summary;
};

describe('rozet CLI: saved runs, resume, undo, budgets and cost', function () {
  let server: ModelServer;
  let root: string;
  let state: string;
  let env: Record<string, string>;
  beforeEach(async () => {
    server = await startModelServer({});
    root = tempDir('rozet-saved-');
    state = tempDir('rozet-state-');
    env = {
      ROZET_ORCHESTRATOR_PROVIDER: 'openaiCompatible',
      ROZET_ORCHESTRATOR_BASE_URL: `${server.url}/v1`,
      ROZET_ORCHESTRATOR_MODEL: 'planner',
      ROZET_WORKER_PROVIDER: 'openaiCompatible',
      ROZET_WORKER_BASE_URL: `${server.url}/v1`,
      ROZET_WORKER_MODEL: 'worker',
      ROZET_WORKER_IDLE_TIMEOUT_SECONDS: '5',
      ROZET_MAX_PARALLEL_WORKERS: '1',
      XDG_STATE_HOME: state,
    };
  });
  afterEach(async () => {
    await server.close();
    removeDir(root);
    removeDir(state);
  });

  const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
  const workerAsked = (title: string, since = 0) =>
    server.requests
      .slice(since)
      .filter((r) => r.route === 'openai.chat' && JSON.stringify(r.body).includes(`Task ${title}`));
  async function runsJson() {
    const r = await cli(['runs', '--json', '-w', root], env);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as {
      runs: Array<{
        runId: string;
        state: string;
        usage: { cost?: number };
        tasks: Array<{ id: string; status: string }>;
      }>;
      problems: Array<{ runId: string; kind: string }>;
    };
  }

  it('saves the run outside the workspace; run --json and runs --json carry tokens and cost per task', async () => {
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], CHAIN));
    const r = await cli(['run', '--yes', '--json', '-w', root, 'write both'], {
      ...env,
      ROZET_PRICING: '{"worker": {"input": 2, "output": 10}}',
    });
    assert.equal(r.code, 0, r.stderr);
    const summary = summaryOf(r.stdout);
    // Two calls per task: 220 prompt and 30 completion tokens, at $2 / $10 per million.
    assert.deepEqual(
      summary.tasks.map((t) => t.usage),
      [
        { promptTokens: 220, completionTokens: 30, cost: 0.00074 },
        { promptTokens: 220, completionTokens: 30, cost: 0.00074 },
      ],
    );
    assert.ok(
      events(r.stdout).some((e) => e.type === 'task.usage' && e.taskId === 't1'),
      'live task.usage events',
    );
    assert.deepEqual(fs.readdirSync(root).sort(), ['alpha.txt', 'beta.txt'], 'nothing saved inside the workspace');

    const listed = await runsJson();
    assert.equal(listed.runs.length, 1);
    assert.equal(listed.runs[0].runId, summary.tasks.length ? events(r.stdout)[0].runId : '');
    assert.equal(listed.runs[0].state, 'succeeded');
    assert.equal(listed.runs[0].usage.cost, 0.00148);
    const text = await cli(['runs', '-w', root], env);
    assert.match(text.stdout, /succeeded\s+2\/2 tasks\s+500 tokens · \$0\.0015\s+write both/);
  });

  it('resume keeps the succeeded task (its model is not asked again) and runs the failed one', async () => {
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), failer('t2')], CHAIN));
    const first = await cli(['run', '--yes', '-w', root, 'write both'], env);
    assert.equal(first.code, 1, first.stderr);
    assert.match(first.stdout, /rozet resume/);
    assert.equal(workerAsked('t1: Write alpha').length, 2);

    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], CHAIN));
    const before = server.requests.length;
    const resumed = await cli(['resume', '--json', '-w', root], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(workerAsked('t1: Write alpha', before).length, 0, 'the kept task was not run again');
    assert.equal(workerAsked('t2: Write beta', before).length, 2);
    assert.match(resumed.stderr, /keeping t1; running t2/);
    assert.ok(
      events(resumed.stdout).some((e) => e.type === 'task.succeeded' && e.taskId === 't1' && e.kept),
      't1 kept',
    );
    assert.equal(read('beta.txt'), 'B\n');
    assert.equal((await runsJson()).runs[0].state, 'succeeded');
    const again = await cli(['resume', '-w', root], env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /no saved run to resume/);
  });

  it('resume names a kept task whose file changed since; without a terminal only --yes goes on', async () => {
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), failer('t2')], CHAIN));
    await cli(['run', '--yes', '-w', root, 'write both'], env);
    fs.writeFileSync(path.join(root, 'alpha.txt'), 'edited since\n');
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], CHAIN));
    const before = server.requests.length;
    const refused = await cli(['resume', '-w', root], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /t1 \(Write alpha\) is kept, but since it ran alpha\.txt was changed/);
    assert.equal(workerAsked('t2: Write beta', before).length, 0, 'nothing ran');
    const yes = await cli(['resume', '--yes', '-w', root], env);
    assert.equal(yes.code, 0, yes.stderr);
    assert.equal(read('alpha.txt'), 'edited since\n');
  });

  it('undo RUN TASK reverts only that task; later edits on the same lines ask, and a deleted file is named', async () => {
    fs.writeFileSync(path.join(root, 'beta.txt'), 'old beta\n');
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], PAIR));
    const run = await cli(['run', '--yes', '--json', '-w', root, 'write both'], env);
    assert.equal(run.code, 0, run.stderr);
    const runId = events(run.stdout)[0].runId;

    const undone = await cli(['undo', runId.slice(0, 8), 't2', '--json', '-w', root], env);
    assert.equal(undone.code, 0, undone.stderr);
    assert.deepEqual(JSON.parse(undone.stdout), {
      runId,
      taskId: 't2',
      files: [{ path: 'beta.txt', action: 'restored' }],
    });
    assert.equal(read('beta.txt'), 'old beta\n');
    assert.equal(read('alpha.txt'), 'A\n', 'the other task keeps its file');

    fs.writeFileSync(path.join(root, 'alpha.txt'), 'A edited by hand\n');
    const asked = await cli(['undo', runId, 't1', '-w', root], env);
    assert.equal(asked.code, 1);
    assert.match(asked.stderr, /Undoing it would lose these edits:[\s\S]*-A edited by hand/);
    assert.equal(read('alpha.txt'), 'A edited by hand\n', 'nothing lost without a yes');
    const forced = await cli(['undo', runId, 't1', '--yes', '-w', root], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(fs.existsSync(path.join(root, 'alpha.txt')), false, 't1 created it, so undo removes it');
  });

  it('undo says so when the file was deleted since, and restores nothing', async () => {
    fs.writeFileSync(path.join(root, 'beta.txt'), 'old beta\n');
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], PAIR));
    const runId = events((await cli(['run', '--yes', '--json', '-w', root, 'write both'], env)).stdout)[0].runId;
    fs.rmSync(path.join(root, 'beta.txt'));
    const r = await cli(['undo', runId, 't2', '-w', root], env);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /beta\.txt: not undone — it was deleted since; nothing restored/);
    assert.equal(fs.existsSync(path.join(root, 'beta.txt')), false);
  });

  it('a task budget stops the task as over budget, its dependent waits, and resume runs them', async () => {
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], CHAIN));
    const r = await cli(['run', '--yes', '--json', '-w', root, 'write both'], {
      ...env,
      ROZET_BUDGET_TOKENS_PER_TASK: '100',
    });
    assert.equal(r.code, 1, r.stderr);
    const summary = summaryOf(r.stdout);
    assert.equal(summary.outcome, 'overBudget');
    assert.deepEqual(
      summary.tasks.map((t) => t.status),
      ['overBudget', 'pending'],
    );
    assert.ok(
      events(r.stdout).some((e) => e.type === 'task.overBudget' && e.used === 120 && e.budget === 100),
      'task.overBudget',
    );
    const resumed = await cli(['resume', '-w', root], env);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(read('beta.txt'), 'B\n');
  });

  it('reports corrupt and other-version saved runs without crashing, and prunes them', async () => {
    server.load(scenario([writer('t1', 'alpha.txt', 'A\n'), writer('t2', 'beta.txt', 'B\n')], PAIR));
    await cli(['run', '--yes', '-w', root, 'write both'], env);
    const [folder] = fs.readdirSync(path.join(state, 'rozet'));
    const dir = path.join(state, 'rozet', folder);
    fs.writeFileSync(path.join(dir, 'broken.jsonl'), 'not json at all\n');
    fs.writeFileSync(path.join(dir, 'future.jsonl'), `${JSON.stringify({ t: 'run', record: { version: 7 } })}\n`);
    const listed = await cli(['runs', '-w', root], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /2 saved runs cannot be used/);
    assert.match(listed.stderr, /broken: line 1 is not a saved-run entry/);
    assert.match(listed.stderr, /future: it was saved by another version of Rozet/);
    assert.match(listed.stderr, /rozet runs prune/);
    const resume = await cli(['resume', 'broken', '-w', root], env);
    assert.equal(resume.code, 2);
    assert.match(resume.stderr, /Saved run broken cannot be used: line 1 .* Delete it with `rozet runs delete broken`/);
    const pruned = await cli(['runs', 'prune', '--json', '-w', root], env);
    assert.deepEqual(JSON.parse(pruned.stdout).deleted.sort(), ['broken', 'future']);
    assert.deepEqual((await runsJson()).problems, []);
  });

  it('rozet plan prints the plan as a layered graph with its edges', async () => {
    server.load(scenario([], { tasks: [...CHAIN.tasks, task('t3', 'Write gamma', 'gamma.txt', ['t1'])] }));
    const r = await cli(['plan', '-w', root, 'write them'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Plan graph: 3 tasks in 2 layers/);
    assert.match(
      r.stdout,
      /layer 1\n\s+t1\s+Write alpha\s+→ t2, t3\n\s+files: alpha\.txt\nlayer 2\n\s+t2\s+Write beta\s+← t1/,
    );
  });
});
