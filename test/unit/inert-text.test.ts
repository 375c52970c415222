// Issue 12, "approval prompt spoofing": a command `touch /outside/pwned #ESC[2K\r[t1] wants
// to run `npm test`` showed on a terminal as a request to run npm test. Model text (task
// ids and titles, commands, output, errors) now reaches the terminal with every control
// character visible, in plain mode and on a TTY, and the prompt shows the whole command
// on its own line.
import assert from 'node:assert/strict';
import { CliApprover } from '../../src/cli/approver';
import { Output } from '../../src/cli/io';
import { createPrinter } from '../../src/cli/printers';
import { Prompter } from '../../src/cli/prompt';
import type { RunEvent } from '../../src/core/run/events';
import { inertText } from '../../src/core/text/inert';
import { fakeIo } from '../support/fake-terminal';
import { Tally } from '../support/tally';

const ESC = '\x1b';
const SPOOF = `touch /outside/pwned #${ESC}[2K\r[t1] wants to run \`npm test\``;
/** Anything a terminal would act on: C0 but newline, DEL, C1, bidi and zero-width controls. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** The live tree uses its own escapes (cursor moves); strip exactly those before checking. */
function withoutOwnEscapes(text: string): string {
  return text.replace(/\x1b\[\d+F\x1b\[J/g, '').replace(/\x1b\[[\d;]*m/g, '');
}

describe('inert model text on the terminal', () => {
  const tally = new Tally('terminal injection');
  tally.report();

  it('makes every control character visible; newlines only survive in multi-line text', () => {
    assert.equal(inertText(`a${ESC}[2Kb\rc`), 'a␛[2Kb␍c');
    assert.equal(inertText('x\ny\tz'), 'x␊y␉z');
    assert.equal(inertText('x\ny\tz', { multiline: true }), 'x\ny\tz');
    assert.equal(inertText('\u009b31m\u202eevil\u200b\u0007\u007f'), '\\u009b31m\\u202eevil\\u200b␇␡');
    assert.equal(inertText('plain text, ünïcödé, emoji 🚀'), 'plain text, ünïcödé, emoji 🚀');
  });

  it('the spoofed approval prompt: the whole command on its own line, ESC and CR visible', async () => {
    tally.add('tried');
    const { io, stderr: err } = fakeIo({ tty: false, input: 'n\n' });
    const prompter = new Prompter(io);
    const decision = await new CliApprover('ask', prompter).approve({
      kind: 'command',
      taskId: 't1',
      subject: SPOOF,
      reason: 'not on the allowlist',
    });
    prompter.close();
    assert.equal(decision.approved, false);
    const shown = err();
    assert.doesNotMatch(shown, ACTIVE);
    const lines = shown.split('\n');
    assert.equal(lines[1], '  touch /outside/pwned #␛[2K␍[t1] wants to run `npm test`', 'exactly what will run');
    assert.equal(lines.filter((l) => l.includes('wants to run')).length, 2, 'the question line and the quoted command');
    assert.doesNotMatch(shown, /\[a\]lways/, 'no "always" for a command no prefix covers');
    tally.add('blocked');
  });

  it('task ids, titles, commands, output and errors with escape sequences: plain, TTY and JSON', () => {
    const evil = `${ESC}]0;pwned${ESC}\\${ESC}[2J${ESC}[31m\u009b1m\rX`;
    const plan = { tasks: [{ id: `t1${evil}`, title: `Title ${evil}`, description: '', dependsOn: [], files: [] }] };
    const id = plan.tasks[0].id;
    const base = { runId: 'r', at: 1000 };
    const events: RunEvent[] = [
      { ...base, type: 'plan.started', plan, source: 'llm' },
      { ...base, type: 'task.started', taskId: id, model: `m${evil}`, attempt: 1 },
      { ...base, type: 'task.delta', taskId: id, text: `thinking ${evil}` },
      {
        ...base,
        type: 'task.toolCall',
        taskId: id,
        callId: 'c',
        name: 'execute_bash',
        args: { command: `ls ${evil}` },
      },
      {
        ...base,
        type: 'task.toolResult',
        taskId: id,
        record: {
          id: 'c',
          name: 'execute_bash',
          args: { command: `ls ${evil}` },
          ok: false,
          summary: `[exit code 1] ${evil}`,
          resultBytes: 10,
          durationMs: 1,
          startedAt: 1000,
        },
      },
      { ...base, at: 2000, type: 'task.failed', taskId: id, error: `Boom ${evil}` },
      {
        ...base,
        at: 2100,
        type: 'plan.finished',
        summary: {
          outcome: 'failed',
          tasks: [
            {
              id,
              title: plan.tasks[0].title,
              status: 'failed',
              error: `Boom ${evil}`,
              filesChanged: [],
              commandsRun: [],
              toolCalls: [],
              usage: { promptTokens: 0, completionTokens: 0 },
              attempts: 1,
            },
          ],
          filesChanged: [`f${evil}`],
          commandsRun: [],
          usage: { promptTokens: 0, completionTokens: 0 },
          wallMs: 1100,
        },
      },
    ];
    for (const [mode, tty, json] of [
      ['plain', false, false],
      ['TTY', true, false],
      ['JSON', false, true],
    ] as const) {
      tally.add('tried');
      const { io, stdout: out } = fakeIo({ tty, env: { NO_COLOR: '1' }, columns: 200 });
      const printer = createPrinter(new Output(io), json);
      events.forEach((e) => printer.event(e));
      printer.close();
      const text = withoutOwnEscapes(out());
      assert.doesNotMatch(text, ACTIVE, `${mode}: ${JSON.stringify(text.match(ACTIVE))}`);
      assert.match(text, json ? /\\u001b\]0;pwned/ : /␛\]0;pwned/, `${mode} shows the sequence, inert`);
      tally.add('blocked');
    }
  });

  it('errors and warnings on stderr are inert too', () => {
    tally.add('tried');
    const { io, stderr: err } = fakeIo({ tty: false });
    new Output(io).err(`rozet: the model said ${ESC}[2K\rall good`);
    assert.equal(err(), 'rozet: the model said ␛[2K␍all good\n');
    tally.add('blocked');
  });
});
