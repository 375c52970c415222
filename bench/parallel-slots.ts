// Parallel runs on servers with a limited number of slots (issue 11): a scripted Ollama
// server over real HTTP that serves K requests at once and queues the rest unanswered,
// as Ollama and llama.cpp do; 8 independent tasks × 2 model calls of 400 ms each, run by
// the real coordinator with rozet.worker.parallelRequests = "auto" (never told K).
// Targets: speedup ≥ 90 % of min(8, K, workers) over one worker; never more than one
// request waiting at the server; at K = 1 within 5 % of one worker; two 1-slot endpoints
// ≥ 1.8× one; an endpoint down fails no task. `npx tsx bench/parallel-slots.ts` runs it alone.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Coordinator } from '../src/core/run/coordinator';
import { NodeShell } from '../src/core/workspace/node-shell';
import { NodeWorkspace } from '../src/core/workspace/node-workspace';
import { ModelPools, taskModelResolver, type ModelSpec } from '../src/providers';
import { startModelServer, type ModelServer } from '../test/support/model-server';
import { closedPortUrl } from '../test/support/ports';
import { writeTasksPlan, writeTasksScenario } from '../test/support/write-tasks';
import { APPROVE_ALL, round } from './support';

const TASKS = 8;
const CALL_MS = 400;
const WORKERS = 8;
const UNLIMITED = 1000;

const scenario = (slots: number) => writeTasksScenario(TASKS, slots, { chunks: 8, delayMs: CALL_MS / 8 }, ['worker']);

async function run(spec: ModelSpec, workers: number) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-slots-')));
  try {
    const plan = writeTasksPlan(TASKS);
    const pools = new ModelPools();
    const coordinator = new Coordinator({
      plan,
      resolveModel: taskModelResolver(spec, pools),
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: APPROVE_ALL,
      policy: { bashApproval: 'deny', allowlist: [], writeApproval: 'auto' },
      limits: { maxParallelWorkers: workers },
      summaries: 'digest',
    });
    const started = performance.now();
    const summary = await coordinator.run();
    const ms = performance.now() - started;
    const failed = summary.tasks.filter((t) => t.status !== 'succeeded').length;
    return { ms, failed, endpoints: pools.status() };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const spec = (server: ModelServer, extra: Partial<ModelSpec> = {}): ModelSpec => ({
  provider: 'ollama',
  model: 'worker',
  baseUrl: server.url,
  ...extra,
});

export async function benchParallelSlots(): Promise<Record<string, unknown>> {
  const a = await startModelServer({ scenario: scenario(1) });
  const b = await startModelServer({ scenario: scenario(1) });
  try {
    const baseline = await run(spec(a), 1);
    const rows = [];
    for (const slots of [1, 2, 4, UNLIMITED]) {
      a.load(scenario(slots));
      const result = await run(spec(a), WORKERS);
      const stats = a.slotStats()!;
      const ideal = Math.min(TASKS, slots, WORKERS);
      const speedup = baseline.ms / result.ms;
      rows.push({
        serverSlots: slots === UNLIMITED ? 'unlimited' : slots,
        workers: WORKERS,
        ms: Math.round(result.ms),
        speedup: round(speedup),
        efficiency: round(speedup / ideal),
        slotsFound: result.endpoints[0]?.slots,
        mostServedAtOnce: stats.maxServing,
        mostWaitingAtServer: stats.maxWaiting,
        failedTasks: result.failed,
      });
    }

    a.load(scenario(1));
    b.load(scenario(1));
    const oneEndpoint = await run(spec(a), WORKERS);
    a.load(scenario(1));
    const twoEndpoints = await run(spec(a, { endpoints: [{ baseUrl: b.url }] }), WORKERS);
    a.load(scenario(2));
    const dead = await closedPortUrl();
    const oneDown = await run(spec(a, { endpoints: [{ baseUrl: dead }] }), WORKERS);

    return {
      setup: `${TASKS} independent tasks × 2 model calls of ${CALL_MS} ms, Ollama wire format over HTTP, rozet.worker.parallelRequests "auto"`,
      oneWorkerMs: Math.round(baseline.ms),
      rows,
      twoOneSlotEndpoints: {
        oneEndpointMs: Math.round(oneEndpoint.ms),
        twoEndpointsMs: Math.round(twoEndpoints.ms),
        speedup: round(oneEndpoint.ms / twoEndpoints.ms),
        target: 1.8,
      },
      oneEndpointDown: { failedTasks: oneDown.failed, ms: Math.round(oneDown.ms), target: 0 },
      targets: 'efficiency ≥ 0.9; mostWaitingAtServer ≤ 1; K = 1 within 5 % of one worker',
    };
  } finally {
    await a.close();
    await b.close();
  }
}

if (require.main === module) {
  benchParallelSlots().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
