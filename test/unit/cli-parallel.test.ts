// `rozet run` on model servers that serve K requests at once, as a user runs it: the
// README's case (Ollama, several workers) no longer runs one task at a time, what was
// found is printed, tasks spread over several endpoints, a dead endpoint fails no task,
// and bad values for the new settings stop with a message that says what is allowed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from '../support/cli-harness';
import { startModelServer, type ModelServer } from '../support/model-server';
import { closedPortUrl } from '../support/ports';
import { writeTasksScenario } from '../support/write-tasks';
import { removeDir, tempDir } from '../support/run-engine-fixtures';

const TASKS = 6;

const scenario = (slots: number) => writeTasksScenario(TASKS, slots, { chunks: 4, delayMs: 60 }, ['planner', 'worker']);

function env(planner: ModelServer, worker: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ROZET_ORCHESTRATOR_PROVIDER: 'ollama',
    ROZET_ORCHESTRATOR_BASE_URL: planner.url,
    ROZET_ORCHESTRATOR_MODEL: 'planner',
    ROZET_WORKER_PROVIDER: 'ollama',
    ROZET_WORKER_BASE_URL: worker,
    ROZET_WORKER_MODEL: 'worker',
    ROZET_MAX_PARALLEL_WORKERS: '4',
    ...extra,
  };
}

describe('rozet run on servers with parallel slots', function () {
  this.timeout(60_000);
  let planner: ModelServer;
  let a: ModelServer;
  let root: string;
  beforeEach(async () => {
    planner = await startModelServer({ scenario: scenario(8) });
    a = await startModelServer({ scenario: scenario(2) });
    root = tempDir('rozet-cli-par-');
  });
  afterEach(async () => {
    await planner.close();
    await a.close();
    removeDir(root);
  });

  const files = () => fs.readdirSync(root).filter((f) => f.endsWith('.txt')).length;

  it('an Ollama with two slots and the default "auto": two requests at once, found and printed', async () => {
    const r = await cli(['run', '--yes', '-w', root, 'write the files'], env(planner, a.url));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(files(), TASKS);
    const stats = a.slotStats()!;
    assert.equal(stats.maxServing, 2, 'two requests were served at once');
    assert.ok(stats.maxWaiting <= 1, `never more than one request waiting at the server (${stats.maxWaiting})`);
    assert.match(r.stdout, /Model slots: worker @ 127\.0\.0\.1:\d+: 2 slots \(found\)/);
    assert.match(r.stdout, /\[t\d\] waiting: no free model slot \(worker \d\/\d @ 127\.0\.0\.1:\d+/);
  });

  it('a number in rozet.worker.parallelRequests is obeyed as given', async () => {
    a.load(scenario(8));
    const r = await cli(
      ['run', '--yes', '-w', root, 'write the files'],
      env(planner, a.url, { ROZET_WORKER_PARALLEL_REQUESTS: '3' }),
    );
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(a.slotStats()!.maxServing, 3);
    assert.match(r.stdout, /3 slots \(rozet\.worker\.parallelRequests\)/);
  });

  it('spreads tasks over rozet.worker.endpoints, and a dead endpoint fails no task', async () => {
    const b = await startModelServer({ scenario: scenario(1) });
    const dead = await closedPortUrl();
    try {
      a.load(scenario(1));
      const r = await cli(
        ['run', '--yes', '-w', root, 'write the files'],
        env(planner, a.url, { ROZET_WORKER_ENDPOINTS: `${dead},${b.url}` }),
      );
      assert.equal(r.code, 0, r.stderr + r.stdout);
      assert.equal(files(), TASKS);
      const served = (s: ModelServer) => s.requests.filter((q) => q.route === 'ollama.chat').length;
      assert.ok(served(a) > 0 && served(b) > 0, `a served ${served(a)}, b ${served(b)}`);
      assert.equal(served(a) + served(b), TASKS * 2);
      assert.match(r.stdout, /set aside: .*connect/i);
    } finally {
      await b.close();
    }
  });

  it('bad values stop with the key, the value, what is allowed and what would be used: exit 2', async () => {
    for (const [name, value, allowed] of [
      ['ROZET_WORKER_PARALLEL_REQUESTS', '0', /"auto" or a whole number from 1 to 64/],
      ['ROZET_WORKER_PARALLEL_REQUESTS', '-1', /"auto" or a whole number from 1 to 64/],
      ['ROZET_WORKER_PARALLEL_REQUESTS', 'lots', /neither "auto" nor a whole number/],
      ['ROZET_WORKER_ENDPOINTS', 'not a url', /not a URL/],
      ['ROZET_WORKER_ENDPOINTS', 'http://10.0.0.1:11434,http://10.0.0.1:11434/', /listed twice/],
    ] as const) {
      const r = await cli(['run', '--yes', '-w', root, 'write the files'], env(planner, a.url, { [name]: value }));
      assert.equal(r.code, 2, `${name}=${value}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${name}`));
      assert.match(r.stderr, allowed);
      assert.equal(a.requests.length, 0, 'nothing was sent');
    }
  });

  it('rozet health says per worker endpoint how many requests it takes, where that is known before running', async () => {
    const llama = await startModelServer({ scenario: { ...scenario(3), slotsReported: true } });
    try {
      const r = await cli(['health', '--json', '-w', root], {
        ...env(planner, `${llama.url}/v1`, { ROZET_WORKER_ENDPOINTS: `${a.url}/v1` }),
        ROZET_WORKER_PROVIDER: 'openaiCompatible',
      });
      const report = JSON.parse(r.stdout) as { slots: Array<{ url: string; slots?: number; source: string }> };
      assert.deepEqual(
        report.slots.map((s) => [s.slots, s.source]),
        [
          [3, 'reported'],
          [undefined, 'found while running'],
        ],
        r.stdout,
      );
      const text = await cli(['health', '-w', root], {
        ...env(planner, `${llama.url}/v1`),
        ROZET_WORKER_PROVIDER: 'openaiCompatible',
        ROZET_WORKER_PARALLEL_REQUESTS: '5',
      });
      assert.match(
        text.stdout,
        /Worker slots \(rozet\.worker\.parallelRequests\):\n  127\.0\.0\.1:\d+: 5 at once \(configured\)/,
      );
    } finally {
      await llama.close();
    }
  });

  it('rozet config shows the new settings and where each came from', async () => {
    fs.writeFileSync(path.join(root, '.rozet.yaml'), 'worker:\n  endpoints: [http://10.0.0.2:11434]\n');
    const r = await cli(['config', '-w', root], { ROZET_WORKER_PARALLEL_REQUESTS: '4' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /rozet\.worker\.parallelRequests\s+4\s+environment\s+ROZET_WORKER_PARALLEL_REQUESTS/);
    assert.match(r.stdout, /rozet\.worker\.endpoints\s+\["http:\/\/10\.0\.0\.2:11434"\]\s+\.rozet\.yaml/);
    assert.match(r.stdout, /rozet\.worker\.firstTokenTimeoutSeconds\s+600\s+default/);
  });
});
