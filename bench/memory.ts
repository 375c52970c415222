// Memory per 1,000 tasks: the heap a finished run retains (coordinator, outcomes, event
// records) for plans of 1,000 and 5,000 independent tasks against a zero-latency model,
// measured after full collections.
import { Coordinator } from '../src/core/run/coordinator';
import type { Plan } from '../src/core/plan/plan';
import { ToolError, type Workspace } from '../src/core/workspace/workspace';
import { APPROVE_ALL, collectGarbage, InstantAnswerModel, NO_SHELL, round } from './support';

const NO_FILES: Workspace = {
  description: '/bench',
  read: async (p) => {
    throw new ToolError(`${p}: no such file`);
  },
  write: async (_p, content) => ({ created: true, bytes: content.length }),
  list: async () => ({ entries: [], truncated: false }),
  stat: async () => undefined,
  lockKey: (p) => p,
};

async function retained(
  tasks: number,
  gc: () => void,
): Promise<{ heapMiB: number; wallMs: number; retainedBy: Coordinator }> {
  const plan: Plan = {
    tasks: Array.from({ length: tasks }, (_, i) => ({
      id: `t${i}`,
      title: `Task ${i}`,
      description: `Do step ${i} of the work.`,
      dependsOn: [],
      files: [],
    })),
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  const model = new InstantAnswerModel();
  const coordinator = new Coordinator({
    plan,
    resolveModel: () => model,
    workspace: NO_FILES,
    shell: NO_SHELL,
    approver: APPROVE_ALL,
    policy: { bashApproval: 'deny', allowlist: [], writeApproval: 'auto' },
    limits: { maxParallelWorkers: 16 },
    summaries: 'digest',
  });
  const started = performance.now();
  const summary = await coordinator.run();
  const wallMs = performance.now() - started;
  if (summary.outcome !== 'succeeded')
    throw new Error(`memory run failed: ${summary.tasks.find((t) => t.status !== 'succeeded')?.error}`);
  gc();
  return { heapMiB: (process.memoryUsage().heapUsed - before) / 2 ** 20, wallMs, retainedBy: coordinator };
}

export async function benchMemory(): Promise<Record<string, unknown>> {
  const gc = collectGarbage();
  await retained(200, gc); // warm-up: JIT and module state are not per-task memory
  const rows = [];
  for (const tasks of [1000, 5000]) {
    const { heapMiB, wallMs, retainedBy } = await retained(tasks, gc);
    rows.push({
      tasks,
      retainedHeapMiB: round(heapMiB, 2),
      perThousandTasksMiB: round((heapMiB * 1000) / tasks, 2),
      wallMs: Math.round(wallMs),
      tasksSettled: retainedBy.tasks.length,
    });
  }
  return {
    rows,
    note: 'heap retained by a finished run (coordinator + outcomes), after full GCs; zero-latency model, one model call per task',
  };
}
