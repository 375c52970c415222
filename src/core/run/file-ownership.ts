// Who may write which file while a plan runs. Scheduling alone (leases) only decides
// which tasks start together; a worker can still try to write any path. This is the
// rule applied to every write:
//
// - A file a task declared in `files` is its own. Another task writes it only if it
//   depends (directly or through others) on every task that declared it — that is, only
//   after they finished. Otherwise the write is refused, naming the owner.
// - A file no task declared is claimed by the first task that writes it, until that task
//   ends; meanwhile others are refused.
// - A task writes a file only on the text it last read or wrote: if the file changed
//   since (another task, a command, the user), or another task wrote it after this task
//   started and this task never read it, the write is refused and the worker told to read
//   it again. That is what keeps parallel work from being silently overwritten.
import { createHash } from 'node:crypto';
import type { Plan, Task } from '../plan/plan';

export type TaskPhase = 'running' | 'waiting' | 'done';

export interface OwnershipOptions {
  plan: Plan;
  /** The lock key of a path, or undefined when it does not resolve (it is then never owned). */
  keyOf: (path: string) => string | undefined;
  /** Where a task is, for the wording of a refusal. */
  phaseOf: (taskId: string) => TaskPhase;
}

export class FileOwnership {
  private readonly declared = new Map<string, string[]>();
  private readonly ancestors = new Map<string, Set<string>>();
  private readonly titles = new Map<string, string>();
  private readonly claims = new Map<string, string>();
  private readonly lastWrite = new Map<string, { taskId: string; at: number }>();

  constructor(private readonly options: OwnershipOptions) {
    const byId = new Map(options.plan.tasks.map((t) => [t.id, t]));
    for (const task of options.plan.tasks) {
      this.titles.set(task.id, task.title);
      this.ancestors.set(task.id, ancestorsOf(task, byId));
      for (const file of task.files) {
        const key = options.keyOf(file);
        if (key === undefined) continue;
        const owners = this.declared.get(key) ?? [];
        if (!owners.includes(task.id)) owners.push(task.id);
        this.declared.set(key, owners);
      }
    }
  }

  /** Why `taskId` may not write `path` now, or undefined when it may. */
  refusal(taskId: string, key: string, path: string): string | undefined {
    const owners = this.declared.get(key);
    if (owners) {
      if (owners.includes(taskId)) return undefined;
      const blocking = owners.filter((owner) => !this.ancestors.get(taskId)?.has(owner));
      if (blocking.length === 0) return undefined;
      const owner = blocking.find((o) => this.options.phaseOf(o) === 'running') ?? blocking[0];
      return `${path} belongs to ${this.name(owner)}, ${this.relation(owner)}. Nothing was written: leave ${path} to it, or say in your final answer what it needs.`;
    }
    const claimer = this.claims.get(key);
    if (claimer && claimer !== taskId) {
      return `${path} is being written by ${this.name(claimer)}, which runs beside this task. Nothing was written: leave ${path} to it until it is done, or say in your final answer what it needs.`;
    }
    return undefined;
  }

  /** Records a write that was applied. */
  wrote(taskId: string, key: string, at = Date.now()): void {
    if (!this.declared.has(key) && !this.claims.has(key)) this.claims.set(key, taskId);
    this.lastWrite.set(key, { taskId, at });
  }

  /** Another task's write to `key` since `since`, if any. */
  writtenBy(key: string, since: number, except: string): string | undefined {
    const last = this.lastWrite.get(key);
    return last && last.taskId !== except && last.at >= since ? last.taskId : undefined;
  }

  /** The task ended: files it claimed are free again. */
  release(taskId: string): void {
    for (const [key, holder] of this.claims) if (holder === taskId) this.claims.delete(key);
  }

  name(taskId: string): string {
    const title = this.titles.get(taskId);
    return title ? `${taskId} ("${title}")` : taskId;
  }

  private relation(owner: string): string {
    switch (this.options.phaseOf(owner)) {
      case 'running':
        return 'which runs beside this task';
      case 'waiting':
        return 'which has not run yet and which this task does not depend on';
      case 'done':
        return 'which this task does not depend on';
    }
  }
}

function ancestorsOf(task: Task, byId: Map<string, Task>): Set<string> {
  const seen = new Set<string>();
  const stack = [...task.dependsOn];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...(byId.get(id)?.dependsOn ?? []));
  }
  return seen;
}

/** What a task last read or wrote of each file, to tell when a file changed under it. */
export class ReadVersions {
  private readonly seen = new Map<string, string>();

  constructor(readonly startedAt = Date.now()) {}

  remember(key: string, content: string): void {
    this.seen.set(key, digest(content));
  }

  /** undefined: never read; true/false: whether `content` is what was read. */
  matches(key: string, content: string): boolean | undefined {
    const seen = this.seen.get(key);
    return seen === undefined ? undefined : seen === digest(content);
  }
}

function digest(content: string): string {
  return createHash('sha1').update(content).digest('base64');
}
