// The plan as a graph: tasks as nodes (status colour, id and title, model, elapsed time or
// status), dependencies as arrows, laid out by layout.ts. Nodes are reachable from the
// keyboard with one tab stop: arrows move between nodes (left/right within a layer,
// up/down along dependencies), Enter or Space opens a task's details (its fields while the
// plan is under review), Delete removes it. Live during a run; text is set as text.
import { TASK_STATUS } from '../../core/run/task-status';
import type { TaskStatus } from '../../core/run/events';
import { formatDuration } from '../render/dom';
import { layoutPlan, type GraphLayout } from './layout';

const SVG = 'http://www.w3.org/2000/svg';

export interface GraphNode {
  id: string;
  title: string;
  dependsOn: string[];
  status: TaskStatus;
  model?: string;
  startedAt?: number;
  endedAt?: number;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  ...children: Array<Node | string>
): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

export function nodeLine(node: GraphNode, now = Date.now()): string {
  const status = TASK_STATUS[node.status].label;
  const time = node.startedAt !== undefined ? formatDuration((node.endedAt ?? now) - node.startedAt) : '';
  return [node.model, time || status].filter(Boolean).join(' · ');
}

function clipText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export class GraphView {
  readonly element: HTMLElement;
  private layout: GraphLayout | undefined;
  private layoutKey = '';
  private focused: string | undefined;
  private nodes: GraphNode[] = [];

  constructor(
    private readonly onOpen: (taskId: string) => void,
    private readonly onRemove: (taskId: string) => void,
  ) {
    this.element = document.createElement('div');
    this.element.className = 'rz-graph-canvas';
    this.element.addEventListener('keydown', (event) => this.onKey(event));
    this.element.addEventListener('click', (event) => {
      const id = (event.target as Element).closest<SVGGElement>('g.rz-node')?.dataset.id;
      if (id) {
        this.focus(id);
        this.onOpen(id);
      }
    });
  }

  /** Draws the nodes; lays them out again only when tasks or edges changed. */
  render(nodes: GraphNode[], selected: string | undefined): void {
    this.nodes = nodes;
    const key = JSON.stringify(nodes.map((n) => [n.id, n.dependsOn]));
    if (key !== this.layoutKey || !this.layout) {
      this.layout = layoutPlan(nodes);
      this.layoutKey = key;
    }
    const { width, height } = this.layout;
    if (!this.focused || !nodes.some((n) => n.id === this.focused)) this.focused = nodes[0]?.id;
    const byId = new Map(this.layout.nodes.map((n) => [n.id, n]));
    const marker = svg(
      'marker',
      {
        id: 'rz-arrow',
        viewBox: '0 0 10 10',
        refX: 9,
        refY: 5,
        markerWidth: 7,
        markerHeight: 7,
        orient: 'auto-start-reverse',
      },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'rz-arrowhead' }),
    );
    const edges = this.layout.edges.map((e) =>
      svg('path', {
        class: 'rz-edge',
        'data-from': e.from,
        'data-to': e.to,
        d: e.points.map((p, i) => `${i ? 'L' : 'M'} ${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' '),
        'marker-end': 'url(#rz-arrow)',
      }),
    );
    const drawn = nodes.map((node) => {
      const box = byId.get(node.id);
      if (!box) return svg('g', {});
      const x = box.x - box.width / 2;
      const y = box.y - box.height / 2;
      const label = `${node.id} ${node.title}, ${TASK_STATUS[node.status].label}${node.model ? `, model ${node.model}` : ''}${node.dependsOn.length ? `, after ${node.dependsOn.join(', ')}` : ''}`;
      const g = svg(
        'g',
        {
          class: 'rz-node',
          'data-id': node.id,
          'data-status': node.status,
          role: 'button',
          tabindex: node.id === this.focused ? 0 : -1,
          'aria-label': label,
          'aria-pressed': String(node.id === selected),
          transform: `translate(${x.toFixed(1)} ${y.toFixed(1)})`,
        },
        svg('title', {}, label),
        svg('rect', { width: box.width, height: box.height, rx: 6 }),
        svg(
          'text',
          { x: 10, y: 20, class: 'rz-node-title' },
          `${TASK_STATUS[node.status].icon} ${clipText(`${node.id} ${node.title}`, 25)}`,
        ),
        svg('text', { x: 10, y: 44, class: 'rz-node-line' }, clipText(nodeLine(node), 32)),
      );
      return g;
    });
    const canvas = svg(
      'svg',
      {
        width,
        height,
        viewBox: `0 0 ${width} ${height}`,
        role: 'group',
        'aria-label': `Plan graph, ${nodes.length} tasks`,
      },
      svg('defs', {}, marker),
      ...edges,
      ...drawn,
    );
    const hadFocus = this.element.contains(document.activeElement);
    this.element.replaceChildren(canvas);
    if (hadFocus) this.nodeEl(this.focused)?.focus();
  }

  /** Running tasks' elapsed time, without drawing anything else. */
  tick(): void {
    for (const node of this.nodes) {
      if (node.status !== 'running') continue;
      const text = this.nodeEl(node.id)?.querySelector('.rz-node-line');
      if (text) text.textContent = clipText(nodeLine(node), 32);
    }
  }

  focus(id: string): void {
    this.focused = id;
    for (const el of this.element.querySelectorAll<SVGGElement>('g.rz-node'))
      el.setAttribute('tabindex', el.dataset.id === id ? '0' : '-1');
    this.nodeEl(id)?.focus();
  }

  private nodeEl(id: string | undefined): SVGGElement | null {
    return id ? this.element.querySelector<SVGGElement>(`g.rz-node[data-id="${CSS.escape(id)}"]`) : null;
  }

  private onKey(event: KeyboardEvent): void {
    const id = (event.target as Element).closest<SVGGElement>('g.rz-node')?.dataset.id;
    if (!id || !this.layout) return;
    const here = this.layout.nodes.find((n) => n.id === id);
    const node = this.nodes.find((n) => n.id === id);
    if (!here || !node) return;
    let next: string | undefined;
    switch (event.key) {
      case 'ArrowLeft':
      case 'ArrowRight': {
        const row = this.layout.nodes.filter((n) => Math.abs(n.y - here.y) < 1).sort((a, b) => a.x - b.x);
        next = row[row.findIndex((n) => n.id === id) + (event.key === 'ArrowRight' ? 1 : -1)]?.id;
        break;
      }
      case 'ArrowUp':
        next = node.dependsOn[0];
        break;
      case 'ArrowDown':
        next = this.nodes.find((n) => n.dependsOn.includes(id))?.id;
        break;
      case 'Enter':
      case ' ':
        this.onOpen(id);
        event.preventDefault();
        return;
      case 'Delete':
      case 'Backspace':
        this.onRemove(id);
        event.preventDefault();
        return;
      default:
        return;
    }
    event.preventDefault();
    if (next) this.focus(next);
  }
}
