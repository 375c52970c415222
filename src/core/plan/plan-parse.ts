// From whatever JSON a model produced to a plan the coordinator can trust. Models are
// sloppy about names and types (`steps`, `depends_on`, numeric ids, `files` as one
// string), so the first pass is lenient; the second is strict about what scheduling
// depends on: unique ids, dependencies that exist, no cycles. Repairs are made only
// when there is exactly one sensible reading, and each is reported.
import { z } from 'zod';
import { extractJson } from '../text/json-extract';
import { PlanSchema, type Plan } from './plan';
import { isRecord } from '../text/is-record';

export interface ParsePlanOptions {
  maxTasks: number;
}

export type ParsePlanResult = { ok: true; plan: Plan; repairs: string[] } | { ok: false; error: string };

interface DraftTask {
  id: string | undefined;
  title: string;
  description: string;
  dependsOn: string[];
  files: string[];
  model?: string;
  tools?: string[];
}

const TASK_LIST_KEYS = ['tasks', 'steps', 'subtasks', 'plan', 'todo', 'items'];
const ID_KEYS = ['id', 'task_id', 'taskId', 'key'];
const TITLE_KEYS = ['title', 'name', 'task', 'summary'];
const DESCRIPTION_KEYS = ['description', 'details', 'desc', 'instructions', 'instruction'];
const DEPENDS_KEYS = ['dependsOn', 'depends_on', 'dependencies', 'deps', 'depends', 'requires', 'after'];
const FILES_KEYS = ['files', 'file', 'paths'];

export function parsePlan(value: unknown, options: ParsePlanOptions): ParsePlanResult {
  const list = findTaskList(value, 0);
  if (!list) return { ok: false, error: 'The JSON has no list of tasks: expected {"tasks": [...]}.' };
  if (list.length === 0) return { ok: false, error: 'The plan has no tasks; it needs at least one.' };
  if (list.length > options.maxTasks) {
    return {
      ok: false,
      error: `The plan has ${list.length} tasks; at most ${options.maxTasks} are allowed (rozet.planner.maxTasks). Merge small steps into larger tasks.`,
    };
  }
  const repairs: string[] = [];
  const drafts: DraftTask[] = [];
  for (const [index, item] of list.entries()) {
    const draft = toDraft(item);
    if (!draft) return { ok: false, error: `Task ${index + 1} has neither a title nor a description.` };
    drafts.push(draft);
  }
  const assigned = assignIds(drafts, repairs);
  if (typeof assigned === 'string') return { ok: false, error: assigned };
  const resolved = resolveDependencies(assigned.drafts, assigned.byPosition, repairs);
  if (typeof resolved === 'string') return { ok: false, error: resolved };
  const cycle = findCycle(assigned.drafts);
  if (cycle)
    return {
      ok: false,
      error: `The tasks depend on each other in a cycle: ${cycle.join(' → ')}. Each task must only wait for tasks that can finish first.`,
    };
  const parsed = PlanSchema.safeParse({ tasks: assigned.drafts });
  if (!parsed.success)
    return { ok: false, error: `The plan is malformed: ${parsed.error.issues.map((i) => i.message).join('; ')}` };
  return { ok: true, plan: parsed.data, repairs };
}

/** Find the plan in a model's answer (fences, prose, think blocks…) and parse it. */
export function parsePlanText(text: string, options: ParsePlanOptions): ParsePlanResult {
  const schema = z.unknown().transform((value, ctx) => {
    const result = parsePlan(value, options);
    if (result.ok) return result;
    ctx.addIssue({ code: 'custom', message: result.error });
    return z.NEVER;
  });
  const extracted = extractJson(text, schema);
  if (!extracted.ok) return { ok: false, error: extracted.error };
  const repairs = extracted.repaired
    ? ['The JSON was malformed or cut off and has been repaired.', ...extracted.value.repairs]
    : extracted.value.repairs;
  return { ok: true, plan: extracted.value.plan, repairs };
}

function findTaskList(value: unknown, depth: number): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (!isRecord(value) || depth > 2) return undefined;
  for (const key of TASK_LIST_KEYS) {
    const inner = value[key];
    if (Array.isArray(inner)) return inner;
    // e.g. {"plan": {"tasks": [...]}}
    if (isRecord(inner)) {
      const nested = findTaskList(inner, depth + 1);
      if (nested) return nested;
    }
  }
  // e.g. {"response": {"tasks": [...]}}: a wrapper with a single object inside.
  const entries = Object.values(value);
  if (entries.length === 1 && isRecord(entries[0])) return findTaskList(entries[0], depth + 1);
  return undefined;
}

function toDraft(item: unknown): DraftTask | undefined {
  if (typeof item === 'string') {
    const title = item.trim();
    return title ? { id: undefined, title, description: '', dependsOn: [], files: [] } : undefined;
  }
  if (!isRecord(item)) return undefined;
  const description = text(pick(item, DESCRIPTION_KEYS)) ?? '';
  const title = text(pick(item, TITLE_KEYS)) ?? firstSentence(description);
  if (!title) return undefined;
  const model = text(item['model']);
  const tools = stringList(item['tools']);
  return {
    id: idText(pick(item, ID_KEYS)),
    title,
    description,
    dependsOn: idList(pick(item, DEPENDS_KEYS)),
    files: stringList(pick(item, FILES_KEYS)),
    ...(model ? { model } : {}),
    ...(tools.length ? { tools } : {}),
  };
}

/**
 * Give every task a unique id: exact repeats are dropped, distinct tasks sharing an id
 * are renumbered unless a dependency names that id (then which one is meant is a
 * guess). Returns the kept tasks and each original position's final id, for
 * dependencies written as positions.
 */
function assignIds(
  all: DraftTask[],
  repairs: string[],
): { drafts: DraftTask[]; byPosition: Map<string, string> } | string {
  const used = new Set(all.map((d) => d.id).filter((id): id is string => id !== undefined));
  const fresh = () => {
    let n = 1;
    while (used.has(`t${n}`)) n++;
    used.add(`t${n}`);
    return `t${n}`;
  };
  const keptFor = new Map<DraftTask, DraftTask>();
  const byId = new Map<string, DraftTask[]>();
  for (const draft of all) {
    if (draft.id === undefined) continue;
    const group = byId.get(draft.id) ?? [];
    const same = group.find((g) => sameTask(g, draft));
    if (same) {
      keptFor.set(draft, same);
      repairs.push(`Task ${draft.id} ("${draft.title}") appeared twice; the repeat was dropped.`);
    } else byId.set(draft.id, [...group, draft]);
  }
  const drafts = all.filter((d) => !keptFor.has(d));
  const referenced = new Set(drafts.flatMap((d) => d.dependsOn));
  for (const [id, group] of byId) {
    if (group.length < 2) continue;
    if (referenced.has(id)) {
      const titles = group.map((d) => `"${d.title}"`).join(' and ');
      return `${group.length} tasks have the id "${id}" (${titles}) and another task depends on "${id}", so it is unclear which one is meant. Give every task its own id.`;
    }
    for (const duplicate of group.slice(1)) {
      duplicate.id = fresh();
      repairs.push(`Task "${duplicate.title}" had the duplicate id "${id}"; it is now "${duplicate.id}".`);
    }
  }
  const missing = drafts.filter((d) => d.id === undefined);
  for (const draft of missing) draft.id = fresh();
  if (missing.length) {
    const who = missing.length === drafts.length ? 'The tasks had' : `${missing.length} task(s) had`;
    repairs.push(`${who} no ids; generated ${missing.map((d) => d.id).join(', ')}.`);
  }
  const byPosition = new Map<string, string>();
  all.forEach((d, i) => byPosition.set(String(i + 1), (keptFor.get(d) ?? d).id ?? ''));
  return { drafts, byPosition };
}

function sameTask(a: DraftTask, b: DraftTask): boolean {
  return (
    a.title === b.title &&
    a.description === b.description &&
    a.files.join('\n') === b.files.join('\n') &&
    a.dependsOn.join('\n') === b.dependsOn.join('\n')
  );
}

function resolveDependencies(drafts: DraftTask[], byPosition: Map<string, string>, repairs: string[]): true | string {
  const ids = new Set(drafts.map((d) => d.id));
  for (const draft of drafts) {
    const out: string[] = [];
    for (const dep of draft.dependsOn) {
      let target: string | undefined = dep;
      if (!ids.has(dep)) {
        target = matchUnknown(dep, drafts, byPosition);
        if (target === undefined)
          return `Task ${draft.id} ("${draft.title}") depends on "${dep}", which is not a task in the plan.`;
        repairs.push(`Task ${draft.id} depended on "${dep}", read as task ${target}.`);
      }
      if (target === draft.id) {
        repairs.push(`Task ${draft.id} depended on itself; that dependency was dropped.`);
        continue;
      }
      if (!out.includes(target)) out.push(target);
    }
    draft.dependsOn = out;
  }
  return true;
}

/** The one task an unknown dependency plausibly means: a title, an id in other case, or a position ("2", "step 2"). */
function matchUnknown(dep: string, drafts: DraftTask[], byPosition: Map<string, string>): string | undefined {
  const wanted = dep.trim().toLowerCase();
  const byTitle = drafts.filter((d) => d.title.trim().toLowerCase() === wanted || d.id?.toLowerCase() === wanted);
  if (byTitle.length === 1) return byTitle[0]?.id;
  if (byTitle.length > 1) return undefined;
  const number = /^(?:(?:task|step|t|s|#)\s*[-_#]?\s*)?(\d+)$/i.exec(wanted)?.[1];
  if (number === undefined) return undefined;
  const byNumber = drafts.filter((d) => d.id === number || d.id === `t${number}`);
  if (byNumber.length === 1) return byNumber[0]?.id;
  return byPosition.get(String(Number(number)));
}

/** What is wrong with an edited plan (ids twice, unknown dependencies, a cycle), or undefined. */
export function planProblem(plan: Plan): string | undefined {
  const ids = new Set<string>();
  for (const task of plan.tasks) {
    if (ids.has(task.id)) return `the id ${task.id} is used twice`;
    ids.add(task.id);
  }
  for (const task of plan.tasks) {
    const unknown = task.dependsOn.find((d) => !ids.has(d));
    if (unknown) return `${task.id} depends on ${unknown}, which is not in the plan`;
  }
  const cycle = findCycle(plan.tasks);
  return cycle ? `it has a cycle: ${cycle.join(' → ')}` : undefined;
}

/** A dependency cycle as a path of ids that returns to its start, or undefined. */
export function findCycle(tasks: ReadonlyArray<{ id?: string; dependsOn: readonly string[] }>): string[] | undefined {
  const deps = new Map(tasks.map((t) => [t.id ?? '', t.dependsOn]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of deps.get(id) ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of deps.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

function pick(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) if (record[key] !== undefined && record[key] !== null) return record[key];
  return undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed || undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}

function idList(value: unknown): string[] {
  if (typeof value === 'number') return [String(value)];
  if (typeof value === 'string') return splitIds(value);
  if (!Array.isArray(value)) return [];
  return value.map(idText).filter((v): v is string => v !== undefined);
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return splitList(value);
  if (!Array.isArray(value)) return [];
  return value.map(text).filter((v): v is string => v !== undefined);
}

// "a.ts, b.ts" and "a.ts b.ts" are both common; paths with spaces are rare in plans.
function splitList(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

// "t1, t2", "t1 t2" and "step 1, step 2" all occur.
function splitIds(value: string): string[] {
  return value
    .split(/[,;]/)
    .flatMap((part) => (/^\s*(?:task|step)\s*#?\d+\s*$/i.test(part) ? [part.trim()] : splitList(part)))
    .filter(Boolean);
}

function firstSentence(description: string): string {
  const sentence = description.split(/(?<=[.!?])\s|\n/)[0]?.trim() ?? '';
  return sentence.length > 80 ? `${sentence.slice(0, 77)}…` : sentence;
}
