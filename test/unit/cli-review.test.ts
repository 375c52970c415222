// `rozet run` reviews before it runs: on a terminal it shows the plan (source, and the
// reason for a fallback) and asks "[Y/n/e]"; without one it prints the plan and exits 4
// unless --yes. --yes answers only that question: commands follow rozet.bash.approval,
// or --approve-commands. `--plan FILE` runs a saved plan; a rejected key stops everything.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunEvent } from '../../src/core/run/events';
import { startModelServer } from '../support/model-server';
import { chatRequests, cli, jsonError, noStack, ptyCli, useCliFixture, workerRequests } from '../support/cli-harness';
import { HELLO, KEY, README, SCENARIO } from '../support/cli-scenario';

const REVIEW = /Run (this task|these \d+ tasks)\? \[Y\/n\/e\]/;

async function closedPortUrl(): Promise<string> {
  const server = await startModelServer();
  await server.close();
  return server.url;
}

describe('rozet run: review before running', function () {
  // Terminal tests start the real entry point (tsx) in a pseudo-terminal.
  this.timeout(60_000);
  const f = useCliFixture('rozet-review-');

  it('on a terminal: shows a fallback plan with its reason and asks first; "n" runs nothing and exits 4', async () => {
    const down = await closedPortUrl();
    const term = ptyCli(['run', '-w', f.root, 'make a hello script'], {
      ...f.env,
      ROZET_ORCHESTRATOR_BASE_URL: `${down}/v1`,
    });
    try {
      await term.waitFor(REVIEW);
      const screen = term.screen();
      assert.match(screen, /fallback/);
      assert.match(screen, /OpenAI-compatible server is not running at/, 'the reason for the fallback');
      assert.equal(workerRequests(f.server).length, 0, 'nothing ran before the answer');
      term.type('n\r');
      assert.equal(await term.exited, 4, term.screen());
      assert.match(term.screen(), /[Nn]ot run/);
      assert.deepEqual(fs.readdirSync(f.root), []);
      assert.equal(workerRequests(f.server).length, 0);
    } finally {
      term.kill();
    }
  });

  it('on a terminal: Enter runs the plan; "e" opens it in $EDITOR and runs the edited plan', async () => {
    const yes = ptyCli(['run', '-w', f.root, 'make a hello script'], f.env);
    try {
      await yes.waitFor(REVIEW);
      assert.match(yes.screen(), /from the planner model/);
      yes.type('\r');
      assert.equal(await yes.exited, 0, yes.screen());
      assert.ok(fs.existsSync(path.join(f.root, 'hello.py')), 'Enter ran the plan');
    } finally {
      yes.kill();
    }

    fs.rmSync(path.join(f.root, 'hello.py'));
    const editor = path.join(f.root, '..', `${path.basename(f.root)}-editor.js`);
    // The "user" turns the hello task into the readme task.
    fs.writeFileSync(
      editor,
      `const fs = require('fs'); const f = process.argv[2]; const p = JSON.parse(fs.readFileSync(f, 'utf8'));
       p.tasks = [${JSON.stringify({ ...README, dependsOn: [] })}]; fs.writeFileSync(f, JSON.stringify(p));`,
    );
    const edit = ptyCli(['run', '-w', f.root, 'make a hello script'], {
      ...f.env,
      EDITOR: `${process.execPath} ${editor}`,
    });
    try {
      await edit.waitFor(REVIEW);
      edit.type('e\r');
      assert.equal(await edit.exited, 0, edit.screen());
      assert.equal(fs.readFileSync(path.join(f.root, 'README.md'), 'utf8'), '# hello\n', 'the edited plan ran');
      assert.equal(fs.existsSync(path.join(f.root, 'hello.py')), false, 'the original plan did not');
    } finally {
      edit.kill();
      fs.rmSync(editor, { force: true });
    }
  });

  it('an $EDITOR that fails or leaves invalid JSON: nothing runs, and the error says where the edited file is', async () => {
    const broken = path.join(f.root, '..', `${path.basename(f.root)}-broken.js`);
    fs.writeFileSync(broken, `require('fs').writeFileSync(process.argv[2], '{"tasks": [ oops');`);
    for (const [editor, says] of [
      ['false', /editor .*exited with (status|code) 1/i],
      [`${process.execPath} ${broken}`, /not (a )?valid/i],
    ] as const) {
      const term = ptyCli(['run', '-w', f.root, 'make a hello script'], { ...f.env, EDITOR: editor });
      try {
        await term.waitFor(REVIEW);
        term.type('e\r');
        const code = await term.exited;
        const screen = term.screen();
        assert.equal(code, 2, screen);
        assert.match(screen, says);
        const file = /(\/\S*plan\.json)/.exec(screen)?.[1];
        assert.ok(file && fs.existsSync(file), `the edited file is named and kept: ${screen}`);
        assert.equal(workerRequests(f.server).length, 0, 'nothing ran');
      } finally {
        term.kill();
      }
    }
    fs.rmSync(broken, { force: true });
  });

  it('without a terminal and without --yes: prints the plan, runs nothing, exits 4; --json ends with the error', async () => {
    const r = await cli(['run', '-w', f.root, 'two files please'], f.env);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stdout, /t2 {2}Write the readme/);
    assert.match(r.stderr, /not run: review needed/i);
    assert.match(r.stderr, /--yes/);
    assert.equal(workerRequests(f.server).length, 0);
    assert.deepEqual(fs.readdirSync(f.root), []);

    const json = await cli(['run', '--json', '-w', f.root, 'two files please'], f.env);
    assert.equal(json.code, 4);
    assert.equal(jsonError(json.stdout).code, 'review_needed');
    const shown = JSON.parse(json.stdout.trim().split('\n').at(-1) ?? '') as { plan?: { tasks: unknown[] } };
    assert.equal(shown.plan?.tasks.length, 2, 'the plan comes with the error, to save and review');
  });

  it('--yes answers the review only: commands still ask (refused without a terminal) unless --approve-commands', async () => {
    const yes = await cli(['run', '--yes', '--json', '-w', f.root, 'run a command'], f.env);
    const refused = yes.stdout.split('\n').find((l) => l.includes('"task.toolResult"')) ?? '';
    assert.match(refused, /no terminal to ask/);
    assert.match(refused, /--approve-commands/);
    assert.equal(fs.existsSync(path.join(f.root, 'ran.txt')), false, '--yes did not approve the command');

    const approved = await cli(['run', '--yes', '--approve-commands', '-w', f.root, 'run a command'], f.env);
    assert.equal(approved.code, 0, approved.stderr);
    assert.ok(fs.existsSync(path.join(f.root, 'ran.txt')), '--approve-commands ran it');

    const notReviewed = await cli(['run', '--approve-commands', '-w', f.root, 'run a command'], f.env);
    assert.equal(notReviewed.code, 4, '--approve-commands does not answer the review');
  });

  it('--plan FILE runs a plan saved by `rozet plan --json` without asking the planner again', async () => {
    const saved = await cli(['plan', '--json', '-w', f.root, 'two files please'], f.env);
    assert.equal(saved.code, 0, saved.stderr);
    const file = path.join(f.root, '..', `${path.basename(f.root)}-plan.json`);
    fs.writeFileSync(file, saved.stdout);
    f.server.requests.length = 0;
    try {
      const r = await cli(['run', '--yes', '--plan', file, '-w', f.root], f.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(chatRequests(f.server).length, workerRequests(f.server).length, 'no planner request');
      assert.ok(fs.existsSync(path.join(f.root, 'README.md')), 'the saved plan ran');
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('a plan file with a cycle, or that is not JSON: refused with what is wrong, exit 2, nothing run', async () => {
    const file = path.join(f.root, '..', `${path.basename(f.root)}-cycle.json`);
    const cases: Array<[string, RegExp]> = [
      [JSON.stringify({ tasks: [{ ...HELLO, dependsOn: ['t2'] }, README] }), /cycle: t1 → t2 → t1|cycle: t2 → t1 → t2/],
      ['{"tasks": [', /not valid JSON|JSON/],
    ];
    try {
      for (const [text, says] of cases) {
        fs.writeFileSync(file, text);
        const r = await cli(['run', '--yes', '--plan', file, '-w', f.root], f.env);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, says);
        assert.ok(r.stderr.includes(file), 'the message names the file');
        noStack(r.stderr);
        const json = await cli(['run', '--yes', '--json', '--plan', file, '-w', f.root], f.env);
        assert.equal(jsonError(json.stdout).code, 'usage');
      }
      assert.equal(chatRequests(f.server).length, 0);
    } finally {
      fs.rmSync(file, { force: true });
    }
  });

  it('a rejected key (401) ends like a missing one: exit 3, nothing planned or run, and how to set the key', async () => {
    f.server.load({ ...SCENARIO, apiKey: KEY });
    const r = await cli(['run', '--yes', '-w', f.root, 'make a hello script'], {
      ...f.env,
      OPENAI_COMPATIBLE_API_KEY: 'sk-wrong-0123456789abcdefghijklmn',
    });
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /rejected the API key/);
    assert.match(r.stderr, /OPENAI_COMPATIBLE_API_KEY/);
    assert.doesNotMatch(r.stderr, /Rozet: Set API Key/, 'a VS Code command is no fix in a terminal');
    assert.equal(chatRequests(f.server).length, 0, 'nothing planned or run');
    assert.deepEqual(fs.readdirSync(f.root), []);

    const json = await cli(['run', '--yes', '--json', '-w', f.root, 'make a hello script'], {
      ...f.env,
      OPENAI_COMPATIBLE_API_KEY: 'sk-wrong-0123456789abcdefghijklmn',
    });
    assert.equal(json.code, 3);
    assert.equal(jsonError(json.stdout).code, 'no_model');
  });

  it('--json: plan.started of a fallback plan carries the reason', async () => {
    const down = await closedPortUrl();
    const r = await cli(['run', '--yes', '--json', '-w', f.root, 'make a hello script'], {
      ...f.env,
      ROZET_ORCHESTRATOR_BASE_URL: `${down}/v1`,
    });
    const started = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as RunEvent & { reason?: string })
      .find((e) => e.type === 'plan.started');
    assert.ok(started, r.stdout);
    assert.equal((started as { source?: string }).source, 'fallback');
    assert.match(started.reason ?? '', /not running at/);
  });
});
