// The terminal side of the CLI without a real terminal: the live task tree (redrawn in
// place, colour only without NO_COLOR) and y/n/a(lways) approvals read from stdin.
import assert from 'node:assert/strict';
import { CliApprover } from '../../src/cli/approver';
import { Output } from '../../src/cli/io';
import { createPrinter } from '../../src/cli/printers';
import { Prompter } from '../../src/cli/prompt';
import type { RunEvent, RunSummary } from '../../src/core/run/events';
import { TASK_STATUS } from '../../src/core/run/task-status';
import { fakeIo } from '../support/fake-terminal';

const PLAN = {
  tasks: [
    { id: 't1', title: 'Write hello.py', description: '', dependsOn: [], files: [] },
    { id: 't2', title: 'Test it', description: '', dependsOn: ['t1'], files: [] },
  ],
};
const base = { runId: 'r', at: 1000 };
const SUMMARY: RunSummary = {
  outcome: 'succeeded',
  tasks: [],
  filesChanged: ['hello.py'],
  commandsRun: [],
  usage: { promptTokens: 1, completionTokens: 1 },
  wallMs: 1200,
};
const EVENTS: RunEvent[] = [
  { ...base, type: 'plan.started', plan: PLAN, source: 'llm' },
  { ...base, type: 'task.started', taskId: 't1', model: 'm', attempt: 1 },
  { ...base, type: 'task.toolCall', taskId: 't1', callId: 'c', name: 'write_file', args: { path: 'hello.py' } },
  { ...base, at: 2500, type: 'task.succeeded', taskId: 't1', result: 'Wrote it.' },
  { ...base, at: 2600, type: 'plan.finished', summary: SUMMARY },
];

describe('CLI terminal output and approvals', () => {
  it('the live tree redraws in place, indents dependents, shows durations and colours', () => {
    const { io, stdout } = fakeIo({ tty: true });
    const printer = createPrinter(new Output(io), false);
    EVENTS.forEach((e) => printer.event(e));
    printer.close();
    const text = stdout();
    assert.match(text, /\x1b\[\d+F\x1b\[J/, 'moves back over the tree and clears it');
    assert.ok(text.includes(`${TASK_STATUS.succeeded.icon} t1 Write hello.py`), 'the icon the sidebar shows too');
    assert.match(text, /succeeded 1\.5 s · Wrote it\./);
    assert.ok(
      text.includes(`  ${TASK_STATUS.pending.icon} t2 Test it`),
      'a dependent is indented under its dependency',
    );
    assert.match(text, /\x1b\[32m/, 'green for success');
    assert.match(text, /Done: .* in 1\.2 s/);
  });

  it('NO_COLOR keeps the redraw but drops colours; a pipe gets plain lines', () => {
    const noColour = fakeIo({ tty: true, env: { NO_COLOR: '1' } });
    const live = createPrinter(new Output(noColour.io), false);
    EVENTS.forEach((e) => live.event(e));
    live.close();
    assert.doesNotMatch(noColour.stdout(), /\x1b\[3\dm/);

    const piped = fakeIo({ tty: false });
    const plain = createPrinter(new Output(piped.io), false);
    EVENTS.forEach((e) => plain.event(e));
    assert.doesNotMatch(piped.stdout(), /\x1b/);
    assert.match(piped.stdout(), /\[t1\] succeeded in 1\.5 s/);
  });

  it('a retried model call is a line of its own in plain mode and an event in --json', () => {
    const retrying: RunEvent = {
      ...base,
      at: 1500,
      type: 'task.retrying',
      taskId: 't1',
      attempt: 1,
      delayMs: 5000,
      reason: 'The provider answered 500.',
    };
    const events = [...EVENTS.slice(0, 2), retrying, ...EVENTS.slice(2)];
    const piped = fakeIo({ tty: false });
    const plain = createPrinter(new Output(piped.io), false);
    events.forEach((e) => plain.event(e));
    assert.match(piped.stdout(), /^\[t1\] Retrying in 5 s \(attempt 2\): The provider answered 500\.$/m);

    const json = fakeIo({ tty: false });
    const printer = createPrinter(new Output(json.io), true);
    events.forEach((e) => printer.event(e));
    assert.ok(
      json
        .stdout()
        .split('\n')
        .some((l) => l !== '' && (JSON.parse(l) as RunEvent).type === 'task.retrying'),
    );
  });

  it('asks y/n/a on stderr: yes once, always (remembered for a write), no', async () => {
    const { io, stderr } = fakeIo({ tty: false, input: 'y\na\nn\n' });
    const prompter = new Prompter(io);
    const approver = new CliApprover('ask', prompter);
    const command = { kind: 'command' as const, taskId: 't1', subject: 'npm test', reason: 'not on the allowlist' };
    const write = { kind: 'write' as const, taskId: 't1', subject: '.env', reason: 'protected path' };
    assert.deepEqual(await approver.approve(command), { approved: true });
    assert.deepEqual(await approver.approve(write), { approved: true });
    assert.deepEqual(await approver.approve(write), { approved: true }, 'always: not asked again');
    assert.equal((await approver.approve(command)).approved, false);
    prompter.close();
    assert.ok(
      stderr().includes(
        '[t1] wants to run this command (not on the allowlist):\n  npm test\nAllow? [y]es / [n]o / [a]lways allow `npm test`: ',
      ),
      stderr(),
    );
    assert.equal(stderr().match(/wants to write \(protected path\):\n {2}\.env\n/g)?.length, 1);
  });

  it('without a terminal: refuses with the switches that would allow it; --approve-commands approves commands only', async () => {
    const command = { kind: 'command' as const, taskId: 't1', subject: 'ls', reason: 'r' };
    const write = { kind: 'write' as const, taskId: 't1', subject: '.env', reason: 'r' };
    const refused = await new CliApprover('refuse').approve(command);
    assert.equal(refused.approved, false);
    assert.match(refused.message ?? '', /--approve-commands.*ROZET_BASH_APPROVAL/);
    const approving = new CliApprover('refuse', undefined, undefined, true);
    assert.equal((await approving.approve(command)).approved, true);
    const protectedWrite = await approving.approve(write);
    assert.equal(protectedWrite.approved, false, 'a write is no command');
    assert.match(protectedWrite.message ?? '', /ROZET_WRITE_APPROVAL/);
  });
});
