import { strict as assert } from 'node:assert';
import { fallbackPlan } from '../../src/core/plan/fallback-planner';
import { PlanSchema, type Plan } from '../../src/core/plan/plan';
import { findCycle } from '../../src/core/plan/plan-parse';

const titles = (plan: Plan) => plan.tasks.map((t) => t.title);
const deps = (plan: Plan) => Object.fromEntries(plan.tasks.map((t) => [t.title, t.dependsOn]));
const idOf = (plan: Plan, title: string) => plan.tasks.find((t) => t.title === title)?.id ?? `missing: ${title}`;

describe('fallback planner', () => {
  it('splits "X and tests for it" into code, a test task after it, and verification', () => {
    const plan = fallbackPlan('Add a CLI flag and tests for it');
    assert.deepEqual(titles(plan), ['Add a CLI flag', 'Add tests for it', 'Verify the changes']);
    assert.deepEqual(deps(plan), {
      'Add a CLI flag': [],
      'Add tests for it': ['t1'],
      'Verify the changes': ['t1', 't2'],
    });
  });

  it('adds a test task when tests are asked for inside one clause', () => {
    const plan = fallbackPlan('add a --verbose flag to the CLI with tests');
    assert.deepEqual(titles(plan), [
      'Add a --verbose flag to the CLI',
      'Write tests for the changes',
      'Verify the changes',
    ]);
    assert.deepEqual(plan.tasks[1]?.dependsOn, ['t1']);
  });

  it('keeps bulleted items parallel', () => {
    const plan = fallbackPlan('Cleanup:\n- Remove the dead flags\n- Rename the config loader\n- Update the changelog');
    assert.deepEqual(titles(plan).slice(0, 3), [
      'Remove the dead flags',
      'Rename the config loader',
      'Update the changelog',
    ]);
    assert.deepEqual(
      plan.tasks.slice(0, 3).map((t) => t.dependsOn),
      [[], [], []],
    );
  });

  it('orders numbered items only where they say "then"', () => {
    const plan = fallbackPlan('1. Create the model\n2. Add the route\n3. Then write the docs');
    assert.deepEqual(deps(plan)['Create the model'], []);
    assert.deepEqual(deps(plan)['Add the route'], []);
    assert.deepEqual(deps(plan)['Write the docs'], ['t1', 't2']);
  });

  it('makes one task per listed file, resolving names against the workspace', () => {
    const plan = fallbackPlan('Update a.ts, b.ts and c.ts to use the new logger', {
      workspaceFiles: ['src/a.ts', 'src/b.ts', 'lib/other.ts'],
    });
    assert.deepEqual(
      plan.tasks.slice(0, 3).map((t) => [t.title, t.files]),
      [
        ['Update src/a.ts to use the new logger', ['src/a.ts']],
        ['Update src/b.ts to use the new logger', ['src/b.ts']],
        ['Update c.ts to use the new logger', ['c.ts']],
      ],
    );
  });

  it('keeps one task when two files take part in one operation', () => {
    const plan = fallbackPlan('Move the helpers from utils.ts to helpers.ts');
    assert.deepEqual(plan.tasks[0]?.files, ['utils.ts', 'helpers.ts']);
    assert.equal(plan.tasks.length, 2);
  });

  it('follows "then" across sentences: the next step waits for the whole previous group', () => {
    const plan = fallbackPlan('Fix the parser and the lexer. Then update the README.md');
    assert.deepEqual(titles(plan), ['Fix the parser', 'Fix the lexer', 'Update the README.md', 'Verify the changes']);
    assert.deepEqual(plan.tasks[2]?.dependsOn, ['t1', 't2']);
    assert.deepEqual(plan.tasks[2]?.files, ['README.md']);
  });

  it('follows "before" and "after" wording, including "-ing" forms', () => {
    const tdd = fallbackPlan('Write tests before implementing the parser');
    assert.deepEqual(deps(tdd)['Implement the parser'], [idOf(tdd, 'Write tests')]);
    assert.deepEqual(deps(tdd)['Write tests'], [], 'tests written first must not wait for the code');
    const after = fallbackPlan('After refactoring utils.ts, update the docs');
    assert.deepEqual(titles(after).slice(0, 2), ['Refactor utils.ts', 'Update the docs']);
    assert.deepEqual(after.tasks[1]?.dependsOn, ['t1']);
  });

  it('does not split on "after" when the other side is not work', () => {
    assert.equal(
      fallbackPlan('Run the linter after every change').tasks[0]?.title,
      'Run the linter after every change',
    );
  });

  it('does not split short "and" phrases', () => {
    assert.equal(fallbackPlan('Implement search and replace').tasks[0]?.title, 'Implement search and replace');
  });

  it('is never empty, even for one word, and always valid', () => {
    for (const request of ['refactor', '???', 'x']) {
      const plan = fallbackPlan(request);
      assert.ok(PlanSchema.safeParse(plan).success);
      assert.ok(plan.tasks.length >= 1);
    }
  });

  it('is deterministic', () => {
    const request = 'Create hello.py, then write tests for it. Update the README.md';
    assert.deepEqual(fallbackPlan(request), fallbackPlan(request));
  });

  it('stays within maxTasks by merging the overflow, keeping dependencies valid', () => {
    const request = '- Add a.ts\n- Add b.ts\n- Add c.ts\n- Add d.ts\n- Add e.ts\n- Then write tests for them';
    const plan = fallbackPlan(request, {}, { maxTasks: 3 });
    assert.equal(plan.tasks.length, 3);
    const ids = new Set(plan.tasks.map((t) => t.id));
    for (const task of plan.tasks)
      for (const dep of task.dependsOn) assert.ok(ids.has(dep), `${task.id} depends on missing ${dep}`);
    assert.equal(findCycle(plan.tasks), undefined);
    assert.equal(fallbackPlan(request, {}, { maxTasks: 1 }).tasks.length, 1);
  });

  it('puts the selection path on tasks and the request in every description', () => {
    const plan = fallbackPlan('Simplify this function', {
      selection: { path: 'src/util.ts', startLine: 3, endLine: 9, text: 'function f() {}' },
    });
    assert.deepEqual(plan.tasks[0]?.files, ['src/util.ts']);
    assert.match(plan.tasks[0]?.description ?? '', /Simplify this function.*src\/util\.ts, lines 3–9/);
  });

  it('ends with a verification task that depends on every other task', () => {
    const plan = fallbackPlan('Create the model, add the route, write the docs');
    const last = plan.tasks.at(-1);
    assert.equal(last?.title, 'Verify the changes');
    assert.deepEqual(
      last?.dependsOn,
      plan.tasks.slice(0, -1).map((t) => t.id),
    );
    assert.equal(plan.tasks.length, 4);
  });
});
