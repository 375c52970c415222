// Laying out the plan graph (dagre, as the panel does it) for 200 tasks: target < 100 ms.
// Two shapes of plan: 20 layers of 10 tasks each depending on one or two tasks of the
// layer above (a wide plan), and 40 chains of 5 tasks that join in pairs (a plan of many
// small pieces). Wall and CPU time of each layout, median of 7 after a warm-up.
//   npm run bench -- --only graph-layout
import { loadavg } from 'node:os';
import { layoutPlan } from '../src/webview/graph/layout';
import { percentile, round } from './support';

type Tasks = Array<{ id: string; dependsOn: string[] }>;

function layered(): Tasks {
  return Array.from({ length: 200 }, (_, i) => {
    const layer = Math.floor(i / 10);
    const pos = i % 10;
    const above = (p: number) => `t${(layer - 1) * 10 + p}`;
    return { id: `t${i}`, dependsOn: layer ? [above(pos), ...(pos % 3 === 0 ? [above((pos + 4) % 10)] : [])] : [] };
  });
}

function chains(): Tasks {
  return Array.from({ length: 200 }, (_, i) => {
    const chain = Math.floor(i / 5);
    const step = i % 5;
    const dependsOn = step ? [`t${i - 1}`] : chain % 2 === 1 ? [`t${(chain - 1) * 5 + 4}`] : [];
    return { id: `t${i}`, dependsOn };
  });
}

function measure(tasks: Tasks): Record<string, number> {
  layoutPlan(tasks);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 7; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    layoutPlan(tasks);
    wall.push(performance.now() - t);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  return { medianMs: round(percentile(wall, 0.5), 1), medianCpuMs: round(percentile(cpu, 0.5), 1) };
}

export async function benchGraphLayout(): Promise<Record<string, unknown>> {
  return {
    tasks: 200,
    layered: measure(layered()),
    chains: measure(chains()),
    targetMs: 100,
    loadAverage: loadavg()
      .map((l) => l.toFixed(2))
      .join(' '),
  };
}
