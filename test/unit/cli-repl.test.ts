// `rozet repl`: slash commands are commands, never requests; a plain line plans and asks
// as `run` does; Ctrl-C cancels the run and a second one leaves.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chatRequests, cli, ptyCli, useCliFixture, workerRequests } from '../support/cli-harness';

const REVIEW = /Run (this task|these \d+ tasks)\? \[Y\/n\/e\]/;

describe('rozet repl', function () {
  this.timeout(60_000);
  const f = useCliFixture('rozet-repl-');

  it('/help lists the commands and is never sent to a model; an unknown /word is an error, not a request', async () => {
    const r = await cli(['repl', '-w', f.root], f.env, '/help\n/frobnicate the files\n/exit\n');
    assert.equal(r.code, 0, r.stderr);
    const shown = r.stdout + r.stderr;
    for (const command of ['/plan', '/run', '/retry', '/cancel', '/models', '/config', '/health', '/history', '/exit'])
      assert.ok(shown.includes(command), `/help lists ${command}`);
    assert.match(shown, /Unknown command \/frobnicate/);
    assert.equal(chatRequests(f.server).length, 0, 'no line was planned');
    assert.deepEqual(fs.readdirSync(f.root), []);
  });

  it('/run with nothing planned says so; /plan plans only; /run runs it; /history lists both', async () => {
    const r = await cli(
      ['repl', '--yes', '-w', f.root],
      f.env,
      '/run\n/plan make a hello script\n/history\n/run\n/history\n/exit\n',
    );
    assert.equal(r.code, 0, r.stderr);
    const shown = r.stdout + r.stderr;
    assert.match(shown, /[Nn]othing planned yet/);
    assert.equal(fs.readFileSync(path.join(f.root, 'hello.py'), 'utf8'), "print('hi')\n", '/run ran the plan');
    const planned = chatRequests(f.server).filter((q) => !(q.body as { tools?: unknown[] }).tools?.length);
    assert.equal(planned.length, 1, 'one planner call: /run reused the plan');
    const history = shown.slice(shown.lastIndexOf('make a hello script') - 200);
    assert.match(history, /make a hello script.*succeeded/s);
  });

  it('/retry <task> runs a failed task again with the tasks skipped after it; a bad id names the tasks', async () => {
    const r = await cli(['repl', '--yes', '-w', f.root], f.env, 'break it\n/retry t9\n/retry t1\n/exit\n');
    assert.equal(r.code, 0, r.stderr);
    const shown = r.stdout + r.stderr;
    assert.match(shown, /No task t9 in the last run.*t1, t2/);
    const breaks = workerRequests(f.server).filter((q) => JSON.stringify(q.body).includes('Break things'));
    assert.equal(breaks.length, 2, 'the failed task ran again');
    assert.match(shown, /Retrying t1.*t2/);
  });

  it('/models, /config and /health answer from the configuration and the server', async () => {
    const r = await cli(['repl', '-w', f.root], f.env, '/models\n/config\n/health\n/cancel\n/exit\n');
    assert.equal(r.code, 0, r.stderr);
    const shown = r.stdout + r.stderr;
    assert.match(shown, /worker.*\n(.*\n)*.*\bworker\b/, '/models lists the worker models');
    assert.match(shown, /rozet\.maxParallelWorkers/, '/config shows the settings');
    assert.match(shown, /All checks passed/, '/health ran the health check');
    assert.match(shown, /[Nn]othing (is running|to cancel)/);
  });

  it('on a terminal: /help, an unknown /word; a line plans and asks [Y/n/e]; Ctrl-C cancels the run; a second Ctrl-C leaves with 130', async () => {
    const term = ptyCli(['repl', '-w', f.root], f.env);
    try {
      await term.waitFor('rozet> ');
      term.type('/help\r');
      await term.waitFor(/\/retry <task>/);
      term.type('/nope\r');
      await term.waitFor(/Unknown command \/nope/);
      term.type('make a hello script\r');
      await term.waitFor(REVIEW);
      term.type('\r');
      await term.waitFor(/Done: 1 succeeded/);
      assert.ok(fs.existsSync(path.join(f.root, 'hello.py')), 'the reviewed plan ran');

      const mark = term.screen().length;
      term.type('slow please\r');
      await term.waitFor(REVIEW, { from: mark });
      term.type('y\r');
      await term.waitFor(/running/, { from: mark });
      term.type('\x03');
      await term.waitFor(/Cancelled/, { from: mark });
      await term.waitFor('rozet> ', { from: term.screen().lastIndexOf('Cancelled') });
      assert.equal(fs.existsSync(path.join(f.root, 'slow.txt')), false, 'the cancelled task wrote nothing');
      const atPrompt = term.screen().length;
      term.type('\x03');
      await term.waitFor(/Ctrl-C again/, { from: atPrompt });
      term.type('\x03');
      assert.equal(await term.exited, 130, term.screen());
    } finally {
      term.kill();
    }
  });
});
