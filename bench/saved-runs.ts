// Saving run state: what recording a run costs per event at 1,000 tasks (target < 1 ms),
// counting the synchronous part each event pays and the writes to disk, compaction
// included (the journal is flushed and compacted at the end and the total divided by the
// events). Each task starts, reports usage three times, writes two 2 KiB files and succeeds.
//   npm run bench -- --only saved-runs
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Plan } from '../src/core/plan/plan';
import type { RunEvent } from '../src/core/run/events';
import type { EventInit } from '../src/core/run/task-launch';
import { RunRecorder } from '../src/core/run-state/run-recorder';
import { newRunRecord } from '../src/core/run-state/run-record';
import { RunStateStore } from '../src/core/run-state/run-store';
import { percentile, round } from './support';

const TASKS = 1000;

export async function benchSavedRuns(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'rozet-bench-state-'));
  try {
    const plan: Plan = {
      tasks: Array.from({ length: TASKS }, (_, i) => ({
        id: `t${i}`,
        title: `Task ${i}`,
        description: 'Change a file.',
        dependsOn: i ? [`t${i - 1}`] : [],
        files: [`src/f${i}.ts`],
      })),
    };
    const store = new RunStateStore(dir, '/bench/workspace');
    const recorder = new RunRecorder(
      store.begin(newRunRecord({ runId: 'bench', workspace: '/bench/workspace', title: 'bench', plan })),
    );
    const text = (n: number) => `export const value${n} = ${'x'.repeat(2000)};\n`;
    const perEvent: number[] = [];
    const started = performance.now();
    const cpu = process.cpuUsage();
    let events = 0;
    const time = (action: () => void) => {
      const t = performance.now();
      action();
      perEvent.push(performance.now() - t);
      events++;
    };
    let at = Date.now();
    const event = (e: EventInit) => time(() => recorder.event({ ...e, runId: 'bench', at: at++ } as RunEvent));
    event({ type: 'plan.started', plan });
    for (let i = 0; i < TASKS; i++) {
      const taskId = `t${i}`;
      event({ type: 'task.started', taskId, model: 'bench', attempt: 1 });
      for (let u = 1; u <= 3; u++)
        event({ type: 'task.usage', taskId, usage: { promptTokens: 1000 * u, completionTokens: 100 * u } });
      for (const f of [0, 1])
        time(() => recorder.write({ taskId, path: `src/f${i}-${f}.ts`, before: text(i), after: text(i + 1) }));
      event({ type: 'task.succeeded', taskId, result: `Task ${i} done.` });
      // Let the batched appends reach the disk as they would while a run goes.
      if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await recorder.journal.flush();
    await recorder.journal.compact();
    const totalMs = performance.now() - started;
    const used = process.cpuUsage(cpu);
    return {
      tasks: TASKS,
      events,
      syncMsPerEvent: {
        median: round(percentile(perEvent, 0.5), 4),
        p99: round(percentile(perEvent, 0.99), 4),
        max: round(Math.max(...perEvent), 2),
      },
      totalMsPerEventIncludingDiskAndCompaction: round(totalMs / events, 4),
      cpuMsPerEvent: round((used.user + used.system) / 1000 / events, 4),
      savedBytes: statSync(store.fileOf('bench')).size,
      targetMsPerEvent: 1,
      loadAverage: loadavg()
        .map((l) => l.toFixed(2))
        .join(' '),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
