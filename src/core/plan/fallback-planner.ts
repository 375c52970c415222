// The plan Rozet makes without a model: when none is configured, it is unreachable, or
// its answers cannot be used. It reads the request the way a person skimming it would:
// list items and sentences are tasks, "then"/"before"/"after" order them, a list of
// files becomes one task per file, tests wait for the code they test, and a final
// verification task waits for everything. Deterministic, so the same request always
// gives the same plan.
import type { Plan, Task } from './plan';
import type { PlanContext } from './planner';

export interface FallbackOptions {
  maxTasks?: number;
}

interface Unit {
  title: string;
  files: string[];
  /** Follows "then"/"after that": waits for the group of units before it. */
  sequential: boolean;
  /** Units split from one "then" segment share it, so they wait for the same group. */
  segment: number;
  deps: Unit[];
  isTest: boolean;
}

const VERBS = new Set(
  'add create write implement fix update refactor remove delete rename move test document build run make change extract convert replace install configure setup set migrate improve optimize optimise clean check verify review read generate support handle introduce split merge bump upgrade port translate deploy lint format wire hook connect expose use enable disable allow validate parse log cache rewrite simplify debug investigate ensure split include export import define declare register prepare draft edit adjust'.split(
    ' ',
  ),
);
const THEN_WORDS = /^(?:and\s+)?(?:then|after\s+that|afterwards|afterward|next|finally|lastly)\b[,:]?\s*/i;
const THEN_SPLIT = /,?\s*\b(?:and\s+then|then|after\s+that|afterwards|and\s+finally|finally)\b,?\s+/i;
const LIST_ITEM = /^\s*(?:\d+[.)]|[-*•+]|\[[ x]\])\s+(.*)$/i;
const FILE_EXTENSIONS =
  'ts tsx js jsx mjs cjs json jsonc md mdx py rs go java kt kts c h cc cpp hpp cs rb php swift scala yaml yml toml ini cfg conf txt html htm css scss sass less sh bash zsh ps1 sql vue svelte xml gradle lock env proto graphql dart lua r ex exs erl hs ml clj'.split(
    ' ',
  );
const FILE_NAME = new RegExp(
  `(?<![\\w/.-])(?:[\\w.-]+/)*[\\w-][\\w.-]*\\.(?:${FILE_EXTENSIONS.join('|')})(?![\\w-])|\\b(?:Makefile|Dockerfile|Justfile|Rakefile|Gemfile|Procfile)\\b|(?<![\\w/])\\.(?:gitignore|env|editorconfig|npmrc|prettierrc)\\b`,
  'g',
);
const TEST_CLAUSE =
  /^(?:(?:write|add|create|update|extend|fix|run|improve)\s+(?:\S+\s+){0,2}?)?(?:unit\s+|integration\s+|e2e\s+|end-to-end\s+)?(?:tests?|specs?)\b|^test\b/i;
const WITH_TESTS =
  /\s*,?\s+(?:with|including|plus|and|\+)\s+(?:some\s+)?(?:unit\s+|integration\s+)?tests?(?:\s+for\s+(?:it|them|this|that))?\s*$/i;
// "Fix the parser and the lexer", "Add a flag and tests for it": a second object of the same verb.
const BORROWS_VERB =
  /^(?:the|a|an|its|their|all|any|each|new|this|that|these|those|tests?|docs|documentation|specs?|types|examples?)\b/i;
const MENTIONS_TESTS = /\b(?:tests?|testing|specs?|unit[- ]tests?)\b/i;

export function fallbackPlan(request: string, context: PlanContext = {}, options: FallbackOptions = {}): Plan {
  const maxTasks = Math.max(1, options.maxTasks ?? 50);
  const summary = request.trim().replace(/\s+/g, ' ') || 'the request';
  const units = readUnits(request, context.workspaceFiles ?? []);
  if (units.length === 0) units.push(newUnit(summary, [], false, 0));
  // "Add X with tests": the tests become their own task after the code.
  const wantsTests = MENTIONS_TESTS.test(request) && !units.some((u) => u.isTest);
  for (const unit of units) unit.title = unit.title.replace(WITH_TESTS, '') || unit.title;
  if (!units.some((u) => u.files.length) && context.selection)
    for (const u of units) u.files = [context.selection.path];

  // Within maxTasks the work itself comes first, then the added test task, then verification.
  const addTests = wantsTests && maxTasks >= 2;
  const verify = maxTasks >= 2 + (addTests ? 1 : 0);
  const work = mergeOverflow(units, maxTasks - (addTests ? 1 : 0) - (verify ? 1 : 0));
  if (addTests) work.push(newUnit('Write tests for the changes', [], false, -1, true));
  linkTests(work);

  const tasks: Task[] = work.map((unit, i) => ({
    id: `t${i + 1}`,
    title: titleCase(unit.title),
    description: describe(unit, summary, context),
    dependsOn: [],
    files: unit.files,
  }));
  const idOf = new Map(work.map((u, i) => [u, `t${i + 1}`]));
  work.forEach((unit, i) => {
    const task = tasks[i];
    if (task) task.dependsOn = [...new Set(unit.deps.map((d) => idOf.get(d) ?? ''))].filter(Boolean);
  });
  if (verify) {
    tasks.push({
      id: `t${tasks.length + 1}`,
      title: 'Verify the changes',
      description: `Check that the work for "${clip(summary, 300)}" is complete and consistent: read the changed files, run the project's build and tests if it has them, and fix what is broken.`,
      dependsOn: tasks.map((t) => t.id),
      files: [],
    });
  }
  return { tasks };
}

function readUnits(request: string, workspaceFiles: readonly string[]): Unit[] {
  const units: Unit[] = [];
  let segment = 0;
  for (const item of items(request)) {
    const parts = item.split(THEN_SPLIT);
    parts.forEach((part, partIndex) => {
      segment++;
      const sequential = partIndex > 0 || THEN_WORDS.test(part);
      const text = part.replace(THEN_WORDS, '').trim();
      let previous: Unit[] = [];
      for (const ordered of splitBeforeAfter(text)) {
        const split = splitClauses(ordered.text).flatMap((clause) => splitFiles(clause, workspaceFiles));
        const made = split.map((s) => newUnit(s.title, s.files, sequential, segment));
        if (ordered.waitsForPrevious) for (const unit of made) unit.deps.push(...previous);
        units.push(...made);
        previous = made;
      }
    });
  }
  linkSequential(units);
  return units;
}

/** List items if the request is a list (a preamble line stays in every description), else its sentences. */
function items(request: string): string[] {
  const lines = request.replace(/\r\n?/g, '\n').split('\n');
  const listed = lines.map((l) => LIST_ITEM.exec(l)?.[1]?.trim()).filter((l): l is string => !!l);
  if (listed.length >= 2) return listed;
  return request
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?;])\s+(?=[A-Z"'`]|$)|;\s*/)
    .map((s) => s.replace(/[.!?;:]+$/, '').trim())
    .filter(Boolean);
}

/** "A before B" and "Before B, A" put A first; "A after B" and "After B, A" put B first. */
function splitBeforeAfter(text: string): Array<{ text: string; waitsForPrevious: boolean }> {
  const lead = /^(before|after)\s+(.+?),\s*(.+)$/i.exec(text);
  if (lead?.[1] && lead[2] && lead[3] && isWork(lead[2])) {
    const [first, second] = lead[1].toLowerCase() === 'before' ? [lead[3], lead[2]] : [lead[2], lead[3]];
    return [
      { text: imperative(first), waitsForPrevious: false },
      { text: imperative(second), waitsForPrevious: true },
    ];
  }
  const mid = /^(.+?)\s+(before|after)\s+(.+)$/i.exec(text);
  // "Run the linter after every change" is one task: the other side must be work too.
  if (mid?.[1] && mid[2] && mid[3] && words(mid[1]) >= 2 && isWork(mid[3])) {
    const [first, second] = mid[2].toLowerCase() === 'before' ? [mid[1], mid[3]] : [mid[3], mid[1]];
    return [
      { text: imperative(first), waitsForPrevious: false },
      { text: imperative(second), waitsForPrevious: true },
    ];
  }
  return [{ text, waitsForPrevious: false }];
}

/** Split "A, B and C" into clauses where each part is a piece of work of its own. */
function splitClauses(text: string): string[] {
  const pieces = text.split(/\s*,\s*(?:and\s+)?|\s+and\s+/i);
  const separators = [...text.matchAll(/\s*,\s*(?:and\s+)?|\s+and\s+/gi)];
  const out: string[] = [];
  let current = pieces[0] ?? '';
  for (let i = 1; i < pieces.length; i++) {
    const next = pieces[i] ?? '';
    const between = separators[i - 1]?.[0] ?? ' and ';
    if (startsWithVerb(next) && words(next) >= 2 && words(current) >= 2) {
      out.push(current);
      current = next;
    } else if (BORROWS_VERB.test(next) && startsWithVerb(current) && words(current) >= 3 && words(next) >= 2) {
      // "Fix the parser and the lexer": the second part borrows the verb.
      out.push(current);
      current = `${firstWord(current)} ${next}`;
    } else {
      current = `${current}${between}${next}`;
    }
  }
  out.push(current);
  return out.map((s) => s.trim()).filter(Boolean);
}

/** A clause listing several files ("update a.ts, b.ts and c.ts to …") becomes one clause per file. */
function splitFiles(clause: string, workspaceFiles: readonly string[]): Array<{ title: string; files: string[] }> {
  const mentions = [...clause.matchAll(FILE_NAME)].map((m) => ({
    name: m[0],
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
  }));
  const files = [...new Set(mentions.map((m) => resolveFile(m.name, workspaceFiles)))];
  const first = mentions[0];
  const last = mentions[mentions.length - 1];
  const isList =
    mentions.length >= 2 &&
    mentions.every(
      (m, i) => i === 0 || /^\s*(?:,|and|&|or|,\s*and)?\s*$/i.test(clause.slice(mentions[i - 1]?.end ?? 0, m.start)),
    );
  if (!isList || !first || !last || files.length < 2) return [{ title: clause, files }];
  return files.map((file) => ({
    title: `${clause.slice(0, first.start)}${file}${clause.slice(last.end)}`,
    files: [file],
  }));
}

/** A bare name the user typed, as the workspace path it uniquely matches. */
function resolveFile(name: string, workspaceFiles: readonly string[]): string {
  if (workspaceFiles.includes(name)) return name;
  const matches = workspaceFiles.filter((f) => f === name || f.endsWith(`/${name}`));
  return matches.length === 1 && matches[0] ? matches[0] : name;
}

function linkSequential(units: Unit[]): void {
  let previous: Unit[] = [];
  let current: Unit[] = [];
  let lastSegment = -1;
  for (const unit of units) {
    if (unit.sequential && unit.segment !== lastSegment) {
      previous = current;
      current = [];
      lastSegment = unit.segment;
    }
    if (unit.sequential) unit.deps.push(...previous);
    current.push(unit);
  }
}

/** Test tasks wait for every implementation task that does not itself wait for them. */
function linkTests(units: Unit[]): void {
  for (const test of units.filter((u) => u.isTest)) {
    for (const unit of units) {
      if (unit.isTest || test.deps.includes(unit) || dependsOn(unit, test)) continue;
      test.deps.push(unit);
    }
  }
}

function dependsOn(unit: Unit, target: Unit, seen = new Set<Unit>()): boolean {
  if (seen.has(unit)) return false;
  seen.add(unit);
  return unit.deps.some((d) => d === target || dependsOn(d, target, seen));
}

/** Keep the plan within maxTasks: the last kept unit takes over the work of the rest. */
function mergeOverflow(units: Unit[], room: number): Unit[] {
  if (units.length <= room) return units;
  const kept = units.slice(0, room);
  const rest = units.slice(room);
  const last = kept[kept.length - 1];
  if (!last) return kept;
  last.title = `${last.title}; ${rest.map((u) => u.title).join('; ')}`;
  last.files = [...new Set([...last.files, ...rest.flatMap((u) => u.files)])];
  last.isTest = last.isTest && rest.every((u) => u.isTest);
  const merged = new Set(rest);
  for (const unit of kept) unit.deps = unit.deps.filter((d) => !merged.has(d) && d !== unit);
  return kept;
}

function newUnit(
  title: string,
  files: string[],
  sequential: boolean,
  segment: number,
  isTest = TEST_CLAUSE.test(title.trim()),
): Unit {
  return { title, files, sequential, segment, deps: [], isTest };
}

function describe(unit: Unit, summary: string, context: PlanContext): string {
  const parts = [`${titleCase(unit.title)}.`, `This is part of the request: "${clip(summary, 500)}".`];
  if (unit.files.length) parts.push(`Files: ${unit.files.join(', ')}.`);
  if (context.selection)
    parts.push(
      `The request refers to the selected code in ${context.selection.path}, lines ${context.selection.startLine}–${context.selection.endLine}.`,
    );
  else if (context.activeFile) parts.push(`The user was looking at ${context.activeFile}.`);
  return parts.join(' ');
}

/** "implementing the parser" → "implement the parser". */
function imperative(text: string): string {
  const [first = '', ...rest] = text.trim().split(/\s+/);
  const lower = first.toLowerCase();
  if (!lower.endsWith('ing')) return text.trim();
  const stem = lower.slice(0, -3);
  const candidates = [stem, `${stem}e`, stem.slice(0, -1)];
  const verb = candidates.find((c) => VERBS.has(c) && (c !== stem.slice(0, -1) || stem.at(-1) === stem.at(-2)));
  return verb ? [verb, ...rest].join(' ') : text.trim();
}

function startsWithVerb(text: string): boolean {
  return VERBS.has(firstWord(text).toLowerCase());
}

function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? '';
}

function words(text: string): number {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

function isWork(text: string): boolean {
  return startsWithVerb(imperative(text));
}

function titleCase(text: string): string {
  const t = clip(text.trim().replace(/[.;:,]+$/, ''), 100);
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
