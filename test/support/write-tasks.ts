// A plan of independent tasks that each write one file, and the scripted workers that do
// it, for runs whose point is how many run at once (the CLI tests and the benchmark).
import type { Plan } from '../../src/core/plan/plan';
import type { AgentRule, Scenario, StreamShape } from './model-server';

export function writeTasksPlan(count: number): Plan {
  return {
    tasks: Array.from({ length: count }, (_, i) => ({
      id: `t${i}`,
      title: `Write file ${i}`,
      description: '',
      dependsOn: [],
      files: [`f${i}.txt`],
    })),
  };
}

/**
 * The server side: a planner answering with the plan and a worker per task that writes
 * f<i>.txt and then says so, each answer streamed as `stream` shapes it; `slots` as the
 * server's own limit.
 */
export function writeTasksScenario(count: number, slots: number, stream: StreamShape, models: string[]): Scenario {
  const plan = writeTasksPlan(count);
  const workers: AgentRule[] = plan.tasks.map((t, i) => ({
    match: `Task ${t.id}: `,
    hasTools: true,
    steps: [
      {
        kind: 'tools',
        // Text before the call, so this answer streams for as long as the final one.
        text: 'I will write the file now.',
        calls: [{ name: 'write_file', arguments: { path: `f${i}.txt`, content: `${i}\n` } }],
        ...stream,
      },
      { kind: 'text', text: `Wrote f${i}.txt, as the task asked.`, ...stream },
    ],
  }));
  return { models, slots, agent: [...workers, { hasTools: false, plan }] };
}
