// Where each task of a plan sits in the graph: a layered drawing of the dependency DAG,
// dependencies above their dependents, computed by dagre (@dagrejs/dagre, the maintained
// Sugiyama-style layout). Pure: the panel draws what this returns, the bench times it.
import { Graph, layout } from '@dagrejs/dagre';

export interface LaidNode {
  id: string;
  /** Centre, in px. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LaidEdge {
  from: string;
  to: string;
  points: Array<{ x: number; y: number }>;
}

export interface GraphLayout {
  nodes: LaidNode[];
  edges: LaidEdge[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 230;
export const NODE_HEIGHT = 64;

export function layoutPlan(tasks: ReadonlyArray<{ id: string; dependsOn: readonly string[] }>): GraphLayout {
  if (tasks.length === 0) return { nodes: [], edges: [], width: 0, height: 0 };
  const graph = new Graph({ multigraph: false });
  // longest-path: a task's layer is the longest chain of dependencies above it, as in the
  // CLI's text graph; with the extra ordering sweeps off, 200 tasks lay out within 100 ms.
  graph.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 48, marginx: 16, marginy: 16, ranker: 'longest-path' });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(tasks.map((t) => t.id));
  for (const task of tasks) graph.setNode(task.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const task of tasks) for (const dep of task.dependsOn) if (ids.has(dep)) graph.setEdge(dep, task.id);
  layout(graph, { disableOptimalOrderHeuristic: true });
  const label = graph.graph();
  return {
    nodes: tasks.map((t) => {
      const node = graph.node(t.id);
      return { id: t.id, x: node.x, y: node.y, width: node.width, height: node.height };
    }),
    edges: graph.edges().map((e) => ({ from: e.v, to: e.w, points: graph.edge(e).points ?? [] })),
    width: label.width ?? 0,
    height: label.height ?? 0,
  };
}
