// The plan as a graph in text: tasks grouped by layer (a task sits one layer below the
// deepest task it depends on), each with its dependencies (←) and its dependents (→), so
// the order of a run and what waits on what read at a glance. `rozet plan` prints it; the
// review question of `rozet run` can show it too.
import type { Plan } from '../core/plan/plan';
import { depths, oneLine } from './format';

export function planGraphLines(plan: Plan): string[] {
  const depth = depths(plan);
  const layers: string[][] = [];
  for (const task of plan.tasks) (layers[depth.get(task.id) ?? 0] ??= []).push(task.id);
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const dependents = new Map<string, string[]>();
  for (const task of plan.tasks)
    for (const d of task.dependsOn) dependents.set(d, [...(dependents.get(d) ?? []), task.id]);

  const lines = [
    `Plan graph: ${plan.tasks.length} task${plan.tasks.length === 1 ? '' : 's'} in ${layers.length} layer${layers.length === 1 ? '' : 's'} (tasks in one layer may run at the same time)`,
  ];
  const idWidth = Math.max(...plan.tasks.map((t) => t.id.length));
  layers.forEach((ids, index) => {
    lines.push(`layer ${index + 1}`);
    for (const id of ids) {
      const task = byId.get(id)!;
      const edges = [
        task.dependsOn.length ? `← ${task.dependsOn.join(', ')}` : '',
        dependents.get(id)?.length ? `→ ${dependents.get(id)!.join(', ')}` : '',
      ].filter(Boolean);
      lines.push(`  ${id.padEnd(idWidth)}  ${oneLine(task.title)}${edges.length ? `   ${edges.join('   ')}` : ''}`);
      const details = [
        task.files.length ? `files: ${task.files.join(', ')}` : '',
        task.model ? `model: ${task.model}` : '',
      ]
        .filter(Boolean)
        .join(' · ');
      if (details) lines.push(`  ${' '.repeat(idWidth)}  ${details}`);
    }
  });
  return lines;
}
