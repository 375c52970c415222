// Cancellation latency: a run with two workers mid-stream (slow SSE answers from the
// scripted server, over the real openai SDK) and two workers mid-command (`sleep 30`
// with a background child) is cancelled; the time is measured from cancel() until the
// run has resolved, every model call has settled (its HTTP stream aborted) and every
// process of both command trees is gone. p50/p99 over repeated runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Coordinator } from '../src/core/run/coordinator';
import { NodeShell } from '../src/core/workspace/node-shell';
import { NodeWorkspace } from '../src/core/workspace/node-workspace';
import { ModelPools } from '../src/providers';
import { startModelServer } from '../test/support/model-server';
import { isAlive } from '../test/support/processes';
import { APPROVE_ALL, percentile, round } from './support';

const RUNS = 15;
const COMMAND = 'mkdir -p pids; echo $$ > pids/$$; sleep 30 & echo $! > pids/$!; wait';

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error('timed out waiting for the run to reach its cancel point');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export async function benchCancellation(): Promise<Record<string, unknown>> {
  // The server's slot count tells the answers it is still streaming: "every stream is gone" is 0.
  const server = await startModelServer({
    scenario: {
      slots: 8,
      agent: [
        {
          match: 'Stream task',
          hasTools: true,
          steps: [{ kind: 'text', text: 'word '.repeat(400), chunks: 400, delayMs: 50 }],
        },
        {
          match: 'Command task',
          hasTools: true,
          steps: [
            { kind: 'tools', calls: [{ name: 'execute_bash', arguments: { command: COMMAND } }] },
            { kind: 'text', text: 'done' },
          ],
        },
      ],
    },
  });
  const resolved: number[] = [];
  const gone: number[] = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-cancel-')));
      try {
        const model = new ModelPools().get({
          provider: 'openaiCompatible',
          model: 'm',
          baseUrl: `${server.url}/v1`,
          parallelRequests: 8,
        });
        const streaming = () => server.slotStats()?.serving ?? 0;
        const tasks = ['Stream task a', 'Stream task b', 'Command task c', 'Command task d'].map((title, i) => ({
          id: `t${i}`,
          title,
          description: '',
          dependsOn: [],
          files: [],
        }));
        const coordinator = new Coordinator({
          plan: { tasks },
          resolveModel: () => model,
          workspace: new NodeWorkspace(root),
          shell: new NodeShell(root),
          approver: APPROVE_ALL,
          policy: { bashApproval: 'auto', allowlist: [], writeApproval: 'auto' },
          limits: { maxParallelWorkers: 4 },
          summaries: 'digest',
        });
        const running = coordinator.run();
        const pidDir = path.join(root, 'pids');
        // Cancel point: both streams open and both command trees (shell + child) running.
        await until(() => streaming() >= 2 && fs.existsSync(pidDir) && fs.readdirSync(pidDir).length >= 4, 10_000);
        const pids = fs.readdirSync(pidDir).map(Number);
        const cancelledAt = performance.now();
        coordinator.cancel();
        const summary = await running;
        resolved.push(performance.now() - cancelledAt);
        if (summary.outcome !== 'cancelled') throw new Error(`run ended ${summary.outcome}, not cancelled`);
        await until(() => streaming() === 0 && pids.every((pid) => !isAlive(pid)), 5000);
        gone.push(performance.now() - cancelledAt);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    }
  } finally {
    await server.close();
  }
  const row = (values: number[]) => ({
    p50: round(percentile(values, 0.5)),
    p99: round(percentile(values, 0.99)),
    max: round(Math.max(...values)),
  });
  return { runs: RUNS, runResolvedMs: row(resolved), streamsAndProcessTreesGoneMs: row(gone), target: 'under 1000 ms' };
}
