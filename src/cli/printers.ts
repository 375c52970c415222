// Run events → the terminal. Three shapes of the same stream: a live task tree redrawn in
// place (stdout is a terminal), plain lines (a pipe or a log), or one JSON event per line
// (--json, for scripts). The summary goes last in the first two. Plain lines get a
// heartbeat when nothing was printed for a while, so a long task never looks hung.
import { describeEndpoint, describeSlots } from '../core/model/endpoint-status';
import { describeRetry, type RunEvent, type TaskStatus } from '../core/run/events';
import type { Plan } from '../core/plan/plan';
import { TASK_STATUS } from '../core/run/task-status';
import { inertText } from '../core/text/inert';
import { depths, describeCall, duration, oneLine, summaryLines } from './format';
import type { Output } from './io';
import { HEARTBEAT_MS, seconds } from './progress';

export interface RunPrinter {
  event(event: RunEvent): void;
  /** Runs `ask` with the printer out of the way (the live tree is cleared meanwhile). */
  around<T>(ask: () => Promise<T>): Promise<T>;
  /** Stops timers; safe to call more than once. */
  close(): void;
}

export function createPrinter(output: Output, json: boolean): RunPrinter {
  if (json) return new JsonPrinter(output);
  return output.live ? new LivePrinter(output) : new PlainPrinter(output);
}

class JsonPrinter implements RunPrinter {
  constructor(private readonly output: Output) {}
  event(event: RunEvent): void {
    this.output.out(JSON.stringify(event));
  }
  around<T>(ask: () => Promise<T>): Promise<T> {
    return ask();
  }
  close(): void {}
}

class PlainPrinter implements RunPrinter {
  private readonly titles = new Map<string, string>();
  private readonly started = new Map<string, number>();
  private capacity = '';
  private readonly running = new Set<string>();
  private lastPrinted = Date.now();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly output: Output) {}

  private print(text: string): void {
    this.output.out(text);
    this.lastPrinted = Date.now();
  }

  private heartbeat(): void {
    const now = Date.now();
    if (this.running.size === 0 || now - this.lastPrinted < HEARTBEAT_MS) return;
    const tasks = [...this.running].map((id) => `${id} (${seconds(now - (this.started.get(id) ?? now))})`);
    this.print(`… still running: ${tasks.join(', ')}`);
  }

  event(e: RunEvent): void {
    const line = (taskId: string, text: string) => this.print(`[${taskId}] ${text}`);
    const took = (taskId: string) => duration(e.at - (this.started.get(taskId) ?? e.at));
    if (e.type === 'task.succeeded' || e.type === 'task.failed' || e.type === 'task.cancelled')
      this.running.delete(e.taskId);
    switch (e.type) {
      case 'plan.started':
        e.plan.tasks.forEach((t) => this.titles.set(t.id, oneLine(t.title)));
        this.print(`Running ${e.plan.tasks.length} task${e.plan.tasks.length === 1 ? '' : 's'}.`);
        this.timer = setInterval(() => this.heartbeat(), HEARTBEAT_MS / 10);
        this.timer.unref();
        break;
      case 'task.started':
        this.running.add(e.taskId);
        this.started.set(e.taskId, e.at);
        line(
          e.taskId,
          `started: ${this.titles.get(e.taskId)} (${e.model}${e.attempt > 1 ? `, attempt ${e.attempt}` : ''})`,
        );
        break;
      case 'task.toolResult':
        line(
          e.taskId,
          `${describeCall(e.record.name, e.record.args)}: ${e.record.ok ? 'ok' : 'failed'} — ${oneLine(e.record.summary).slice(0, 200)}`,
        );
        break;
      case 'task.retrying':
        line(e.taskId, describeRetry(e));
        break;
      case 'task.waiting':
        line(e.taskId, `waiting: ${oneLine(e.reason)}`);
        break;
      case 'capacity': {
        // Slots found and endpoints set aside or back; requests coming and going are not news.
        const text = e.endpoints.map(describeSlots).join('; ');
        if (text !== this.capacity) this.print(`Model slots: ${text}`);
        this.capacity = text;
        break;
      }
      case 'task.succeeded':
        line(e.taskId, e.kept ? 'kept from the saved run' : `succeeded in ${took(e.taskId)}`);
        break;
      case 'task.overBudget':
        line(e.taskId, `stopped at its token budget (${e.used} of ${e.budget} tokens)`);
        break;
      case 'run.overBudget':
        this.output.out(`Run budget reached (${e.used} of ${e.budget} tokens): no further task starts.`);
        break;
      case 'task.failed':
        line(e.taskId, `failed in ${took(e.taskId)}: ${oneLine(e.error)}`);
        break;
      case 'task.skipped':
        line(e.taskId, `skipped: ${oneLine(e.reason)}`);
        break;
      case 'task.cancelled':
        line(e.taskId, 'cancelled');
        break;
      case 'plan.finished':
        this.close();
        summaryLines(e.summary).forEach((l) => this.print(l));
        break;
      default:
        // Queued, streamed text and tool calls in progress are too chatty for a log.
        break;
    }
  }

  around<T>(ask: () => Promise<T>): Promise<T> {
    return ask();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

interface Row {
  id: string;
  title: string;
  depth: number;
  status: TaskStatus;
  startedAt?: number;
  endedAt?: number;
  activity: string;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const COLOURS: Partial<Record<TaskStatus, string>> = {
  running: '36',
  succeeded: '32',
  failed: '31',
  skipped: '33',
  cancelled: '2',
  pending: '2',
  queued: '2',
  overBudget: '33',
};
const FRAME_MS = 100;

class LivePrinter implements RunPrinter {
  private rows: Row[] = [];
  /** One line per model endpoint: "qwen2.5-coder 2/4 @ 127.0.0.1:11434 (found)". */
  private capacity: string[] = [];
  private drawn = 0;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;

  constructor(private readonly output: Output) {}

  event(e: RunEvent): void {
    if (e.type === 'plan.started') {
      this.rows = rowsOf(e.plan);
      // Redrawn on a timer: spinners move, durations tick, and a burst of deltas costs one draw.
      this.timer = setInterval(() => this.draw(), FRAME_MS);
      this.draw();
      return;
    }
    if (e.type === 'capacity') {
      this.capacity = e.endpoints.map(describeEndpoint);
      return;
    }
    if (e.type === 'run.overBudget') {
      this.capacity = [...this.capacity, `run budget reached: ${e.used} of ${e.budget} tokens`];
      return;
    }
    if (e.type === 'plan.finished') {
      this.close();
      this.draw();
      this.output.out('');
      summaryLines(e.summary).forEach((l) => this.output.out(l));
      return;
    }
    const row = this.rows.find((r) => r.id === e.taskId);
    if (!row) return;
    switch (e.type) {
      case 'task.queued':
        row.status = 'queued';
        break;
      case 'task.waiting':
        row.activity = `waiting: ${oneLine(e.reason)}`;
        break;
      case 'task.started':
        Object.assign(row, {
          status: 'running',
          startedAt: e.at,
          endedAt: undefined,
          activity: e.attempt > 1 ? `attempt ${e.attempt}` : e.model,
        });
        break;
      case 'task.delta':
        if (!e.reasoning && e.text.trim()) row.activity = oneLine(`${row.activity} ${e.text}`).slice(-120);
        break;
      case 'task.toolCall':
        row.activity = describeCall(e.name, e.args);
        break;
      case 'task.retrying':
        row.activity = describeRetry(e);
        break;
      case 'task.succeeded':
        Object.assign(row, { status: 'succeeded', endedAt: e.at, activity: oneLine(e.result) });
        break;
      case 'task.failed':
        Object.assign(row, { status: 'failed', endedAt: e.at, activity: oneLine(e.error) });
        break;
      case 'task.skipped':
        Object.assign(row, { status: 'skipped', endedAt: e.at, activity: oneLine(e.reason) });
        break;
      case 'task.cancelled':
        Object.assign(row, { status: 'cancelled', endedAt: e.at, activity: 'cancelled' });
        break;
      case 'task.overBudget':
        Object.assign(row, { status: 'overBudget', endedAt: e.at, activity: `${e.used} of ${e.budget} tokens` });
        break;
      default:
        break;
    }
  }

  async around<T>(ask: () => Promise<T>): Promise<T> {
    this.paused = true;
    this.erase();
    try {
      return await ask();
    } finally {
      this.paused = false;
      this.draw();
    }
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private erase(): void {
    // Back to the first line of the tree, then clear everything below.
    if (this.drawn > 0) this.output.raw(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  private draw(): void {
    if (this.paused) return;
    this.frame = (this.frame + 1) % SPINNER.length;
    const now = Date.now();
    const width = Math.max(20, this.output.columns - 1);
    const lines = this.rows.map((row) => {
      const icon = row.status === 'running' ? SPINNER[this.frame] : TASK_STATUS[row.status].icon;
      const time = row.startedAt ? ` ${duration((row.endedAt ?? now) - row.startedAt)}` : '';
      // Ids, titles and activity are model text: inert before Rozet's own colour codes go around them.
      const head = `${'  '.repeat(row.depth)}${icon} ${inertText(row.id)} ${inertText(row.title)}`;
      // Cut to the terminal's width before colouring: a wrapped line would break the redraw.
      const text = `${head}  ${row.status}${time}${row.activity ? ` · ${inertText(row.activity)}` : ''}`.slice(
        0,
        width,
      );
      return this.paint(text, head.length, row.status);
    });
    for (const line of this.capacity) lines.push(this.dim(`  ${line}`.slice(0, width)));
    this.erase();
    this.output.raw(lines.map((l) => `${l}\n`).join(''));
    this.drawn = lines.length;
  }

  private dim(text: string): string {
    return this.output.color ? `\x1b[2m${text}\x1b[0m` : text;
  }

  private paint(text: string, headLength: number, status: TaskStatus): string {
    const colour = COLOURS[status];
    if (!this.output.color || !colour) return text;
    return `\x1b[${colour}m${text.slice(0, headLength)}\x1b[0m\x1b[2m${text.slice(headLength)}\x1b[0m`;
  }
}

function rowsOf(plan: Plan): Row[] {
  const d = depths(plan);
  return plan.tasks.map((t) => ({
    id: t.id,
    title: oneLine(t.title),
    depth: d.get(t.id) ?? 0,
    status: 'pending',
    activity: '',
  }));
}
