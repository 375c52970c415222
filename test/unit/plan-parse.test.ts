import { strict as assert } from 'node:assert';
import { findCycle, parsePlan, parsePlanText, type ParsePlanResult } from '../../src/core/plan/plan-parse';
import type { Plan } from '../../src/core/plan/plan';

const opts = { maxTasks: 50 };

function ok(result: ParsePlanResult): { plan: Plan; repairs: string[] } {
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result;
}

function fails(result: ParsePlanResult, pattern: RegExp): void {
  assert.equal(result.ok, false, 'expected an error');
  assert.match(result.ok ? '' : result.error, pattern);
}

describe('plan-parse: lenient normalisation', () => {
  it('accepts the exact contract shape unchanged with no repairs', () => {
    const value = {
      tasks: [{ id: 't1', title: 'Write hello.py', description: 'Print hello', dependsOn: [], files: ['hello.py'] }],
    };
    const { plan, repairs } = ok(parsePlan(value, opts));
    assert.deepEqual(plan, value);
    assert.deepEqual(repairs, []);
  });

  for (const key of ['steps', 'subtasks', 'plan']) {
    it(`reads "${key}" as the task list`, () => {
      const { plan } = ok(parsePlan({ [key]: [{ id: 'a', title: 'A' }] }, opts));
      assert.deepEqual(
        plan.tasks.map((t) => t.id),
        ['a'],
      );
    });
  }

  it('reads a bare array and a wrapped {"plan": {"tasks": [...]}}', () => {
    assert.equal(ok(parsePlan([{ id: 'a', title: 'A' }], opts)).plan.tasks.length, 1);
    assert.equal(
      ok(
        parsePlan(
          {
            plan: {
              tasks: [
                { id: 'a', title: 'A' },
                { id: 'b', title: 'B' },
              ],
            },
          },
          opts,
        ),
      ).plan.tasks.length,
      2,
    );
  });

  for (const key of ['depends_on', 'dependencies', 'deps']) {
    it(`reads "${key}" as dependsOn`, () => {
      const { plan } = ok(
        parsePlan(
          {
            tasks: [
              { id: 'a', title: 'A' },
              { id: 'b', title: 'B', [key]: ['a'] },
            ],
          },
          opts,
        ),
      );
      assert.deepEqual(plan.tasks[1]?.dependsOn, ['a']);
    });
  }

  it('turns numeric ids and dependencies into strings', () => {
    const { plan } = ok(
      parsePlan(
        {
          tasks: [
            { id: 1, title: 'A' },
            { id: 2, title: 'B', depends_on: [1] },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => [t.id, t.dependsOn]),
      [
        ['1', []],
        ['2', ['1']],
      ],
    );
  });

  it('generates ids t1.. for tasks without one, avoiding ids already taken', () => {
    const { plan, repairs } = ok(
      parsePlan({ tasks: [{ title: 'A' }, { id: 't1', title: 'B' }, { title: 'C' }] }, opts),
    );
    assert.deepEqual(
      plan.tasks.map((t) => t.id),
      ['t2', 't1', 't3'],
    );
    assert.match(repairs.join(' '), /no ids; generated t2, t3/);
  });

  it('splits files given as one comma- or space-separated string', () => {
    const { plan } = ok(
      parsePlan(
        {
          tasks: [
            { id: 'a', title: 'A', files: 'src/a.ts, src/b.ts' },
            { id: 'b', title: 'B', files: 'x.py y.py' },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => t.files),
      [
        ['src/a.ts', 'src/b.ts'],
        ['x.py', 'y.py'],
      ],
    );
  });

  it('takes name/task as the title, defaults the description, and reads plain strings as tasks', () => {
    const { plan } = ok(
      parsePlan(
        { tasks: [{ id: 'a', name: 'From name' }, { id: 'b', task: 'From task', details: 'More' }, 'Just a string'] },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => [t.title, t.description]),
      [
        ['From name', ''],
        ['From task', 'More'],
        ['Just a string', ''],
      ],
    );
  });

  it('derives a missing title from the description', () => {
    const { plan } = ok(
      parsePlan({ tasks: [{ id: 'a', description: 'Create the parser. It must handle quotes.' }] }, opts),
    );
    assert.equal(plan.tasks[0]?.title, 'Create the parser.');
  });

  it('reads dependencies given as a string ("t1, t2") and keeps the per-task model', () => {
    const { plan } = ok(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'A' },
            { id: 't2', title: 'B' },
            { id: 't3', title: 'C', dependsOn: 't1, t2', model: 'qwen2.5-coder:7b' },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(plan.tasks[2]?.dependsOn, ['t1', 't2']);
    assert.equal(plan.tasks[2]?.model, 'qwen2.5-coder:7b');
  });
});

describe('plan-parse: strict validation and repair', () => {
  it('names the cycle in the error', () => {
    fails(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'A', dependsOn: ['t2'] },
            { id: 't2', title: 'B', dependsOn: ['t1'] },
          ],
        },
        opts,
      ),
      /t1 → t2 → t1/,
    );
  });

  it('names a longer cycle that does not start at the first task', () => {
    const tasks = [
      { id: 'x', title: 'X' },
      { id: 'a', title: 'A', dependsOn: ['c'] },
      { id: 'b', title: 'B', dependsOn: ['a'] },
      { id: 'c', title: 'C', dependsOn: ['b'] },
    ];
    fails(parsePlan({ tasks }, opts), /a → c → b → a/);
  });

  it('drops a self-dependency and says so', () => {
    const { plan, repairs } = ok(parsePlan({ tasks: [{ id: 't1', title: 'A', dependsOn: ['t1'] }] }, opts));
    assert.deepEqual(plan.tasks[0]?.dependsOn, []);
    assert.match(repairs.join(' '), /depended on itself/);
  });

  it('renumbers distinct tasks that share an id when no dependency names it', () => {
    const { plan, repairs } = ok(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'A' },
            { id: 't1', title: 'B' },
            { id: 't2', title: 'C' },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => t.id),
      ['t1', 't3', 't2'],
    );
    assert.match(repairs.join(' '), /duplicate id "t1"; it is now "t3"/);
  });

  it('refuses duplicate ids when a dependency makes the meaning ambiguous', () => {
    fails(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'A' },
            { id: 't1', title: 'B' },
            { id: 't2', title: 'C', dependsOn: ['t1'] },
          ],
        },
        opts,
      ),
      /unclear which one/,
    );
  });

  it('drops an exact repeat of a task even when it is depended on', () => {
    const { plan } = ok(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'A' },
            { id: 't1', title: 'A' },
            { id: 't2', title: 'C', dependsOn: ['t1'] },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => t.id),
      ['t1', 't2'],
    );
  });

  it('maps an unknown dependency that matches a task title', () => {
    const { plan, repairs } = ok(
      parsePlan(
        {
          tasks: [
            { id: 't1', title: 'Create the model' },
            { id: 't2', title: 'Add routes', dependsOn: ['create the model'] },
          ],
        },
        opts,
      ),
    );
    assert.deepEqual(plan.tasks[1]?.dependsOn, ['t1']);
    assert.match(repairs.join(' '), /read as task t1/);
  });

  it('maps positional dependencies ("1", "step 2") when tasks have no ids', () => {
    const { plan } = ok(
      parsePlan(
        { steps: [{ title: 'A' }, { title: 'B', depends_on: [1] }, { title: 'C', depends_on: ['step 2'] }] },
        opts,
      ),
    );
    assert.deepEqual(
      plan.tasks.map((t) => t.dependsOn),
      [[], ['t1'], ['t2']],
    );
  });

  it('refuses a dependency on a task that does not exist', () => {
    fails(
      parsePlan({ tasks: [{ id: 't1', title: 'A', dependsOn: ['t9'] }] }, opts),
      /depends on "t9", which is not a task/,
    );
  });

  it('refuses an empty plan and one larger than maxTasks', () => {
    fails(parsePlan({ tasks: [] }, opts), /no tasks/);
    fails(
      parsePlan(
        {
          tasks: [
            { id: 'a', title: 'A' },
            { id: 'b', title: 'B' },
            { id: 'c', title: 'C' },
          ],
        },
        { maxTasks: 2 },
      ),
      /3 tasks; at most 2/,
    );
  });

  it('refuses JSON without a task list and tasks with no title or description', () => {
    fails(parsePlan({ name: 'read_file', arguments: {} }, opts), /no list of tasks/);
    fails(parsePlan({ tasks: [{ id: 'a', files: ['x'] }] }, opts), /Task 1 has neither a title nor a description/);
  });
});

describe('plan-parse: parsePlanText', () => {
  it('finds the plan in a fenced answer with a think block and reports JSON repair', () => {
    const text =
      '<think>one task</think>\nHere:\n```json\n{"steps": [{"id": 1, "name": "Write hello.py", "files": "hello.py",}]}\n```';
    const { plan, repairs } = ok(parsePlanText(text, opts));
    assert.deepEqual(plan.tasks, [
      { id: '1', title: 'Write hello.py', description: '', dependsOn: [], files: ['hello.py'] },
    ]);
    assert.match(repairs[0] ?? '', /repaired/);
  });

  it('skips a candidate that is not a plan and takes the one that is', () => {
    const text = 'Calling {"name": "list_files", "arguments": {}} first. Plan: {"tasks": [{"id": "t1", "title": "A"}]}';
    assert.equal(ok(parsePlanText(text, opts)).plan.tasks[0]?.title, 'A');
  });

  it('passes the plan error through when the only candidate is invalid', () => {
    fails(parsePlanText('{"tasks": [{"id": "t1", "title": "A", "dependsOn": ["t1x"]}]}', opts), /depends on "t1x"/);
  });
});

describe('plan-parse: findCycle', () => {
  it('returns undefined for a DAG with shared dependencies', () => {
    assert.equal(
      findCycle([
        { id: 'a', dependsOn: [] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'c', dependsOn: ['a', 'b'] },
      ]),
      undefined,
    );
  });
});
