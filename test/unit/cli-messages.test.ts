// What the CLI says when something is wrong: fixes in the terminal's words (flags and
// variables, never VS Code commands), configuration errors that stop before planning with
// the key, source, line and column, --json failures on stdout, and progress on long waits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chatRequests, cli, jsonError, noStack, ptyCli, useCliFixture } from '../support/cli-harness';
import { HELLO, SCENARIO } from '../support/cli-scenario';

const VSCODE_WORDS = /Rozet: (Set API Key|Switch Model|Health Check)/;

describe('rozet CLI messages', function () {
  this.timeout(30_000);
  const f = useCliFixture('rozet-messages-');

  describe('fixes name flags and variables', () => {
    it('a missing key names the variable; a missing model names the flag; no VS Code command anywhere', async () => {
      const run = await cli(
        ['run', '--yes', '-w', f.root, '--worker-provider', 'openai', '--worker-base-url', `${f.server.url}/v1`, 'x'],
        f.env,
      );
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /OPENAI_API_KEY/);
      assert.doesNotMatch(run.stderr, VSCODE_WORDS);

      const health = await cli(['health', '-w', f.root, '--worker-model', 'no-such-model'], f.env);
      assert.equal(health.code, 1, health.stdout);
      assert.match(health.stdout, /--worker-model/);
      assert.doesNotMatch(health.stdout + health.stderr, VSCODE_WORDS);
    });

    it('a DNS failure on a cloud URL is not "start the server"; a 401 from a local server is about the key', async () => {
      const dns = await cli(
        ['health', '-w', f.root, '--worker-provider', 'openai', '--worker-base-url', 'https://rozet-test.invalid/v1'],
        { ...f.env, OPENAI_API_KEY: 'sk-test-0123456789abcdefghijklmnop' },
      );
      assert.equal(dns.code, 1);
      assert.match(dns.stdout, /rozet-test\.invalid/);
      assert.doesNotMatch(dns.stdout, /[Ss]tart the server/);

      f.server.load({ ...SCENARIO, apiKey: 'sk-right-0123456789abcdefghijklmn' });
      const local = await cli(['health', '-w', f.root], {
        ...f.env,
        OPENAI_COMPATIBLE_API_KEY: 'sk-wrong-0123456789abcdefghij',
      });
      assert.equal(local.code, 1);
      assert.match(local.stdout, /rejected the API key/);
      assert.match(local.stdout, /OPENAI_COMPATIBLE_API_KEY/);
      assert.doesNotMatch(local.stdout, /[Ss]tart (it|the server)/);
    });

    it('a key held back from a workspace base URL is reported as held back, once, never as "no key set"', async () => {
      fs.writeFileSync(
        path.join(f.root, '.rozet.yaml'),
        `orchestrator.baseUrl: ${f.server.url}/v1\nworker.baseUrl: ${f.server.url}/v1\n`,
      );
      const { ROZET_WORKER_BASE_URL: _w, ROZET_ORCHESTRATOR_BASE_URL: _o, ...rest } = f.env;
      f.server.load({ ...SCENARIO, apiKey: 'sk-right-0123456789abcdefghijklmn' });
      const withKey = { ...rest, OPENAI_COMPATIBLE_API_KEY: 'sk-right-0123456789abcdefghijklmn' };

      const health = await cli(['health', '-w', f.root], withKey);
      const shown = health.stdout + health.stderr;
      assert.match(shown, /held back/);
      assert.match(shown, /\.rozet\.yaml/);
      assert.doesNotMatch(shown, /No API key is set/);
      assert.doesNotMatch(shown, /rejected the API key/, 'the key was never sent, so it was not rejected');

      const run = await cli(['run', '--yes', '-w', f.root, 'make a hello script'], withKey);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, /held back/);
      const warnings = run.stderr.split('\n').filter((l) => /is not sent to|held back/.test(l));
      assert.equal(new Set(warnings).size, warnings.length, `a warning printed twice:\n${run.stderr}`);
      assert.equal(
        run.stderr.match(/is not sent to/g)?.length,
        1,
        `one warning for one provider and URL:\n${run.stderr}`,
      );
    });
  });

  describe('configuration errors stop before planning', () => {
    it('a .rozet.yaml syntax error exits 2 with a line inside the file and nothing planned', async () => {
      fs.writeFileSync(path.join(f.root, '.rozet.yaml'), 'worker:\n  model: [unclosed\n');
      const r = await cli(['plan', '-w', f.root, 'make a hello script'], f.env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /\.rozet\.yaml line 2, column 10/);
      assert.equal(chatRequests(f.server).length, 0);
      assert.equal(jsonError((await cli(['plan', '--json', '-w', f.root, 'x'], f.env)).stdout).code, 'config');
    });

    it('an invalid value in .rozet.yaml exits 2 with key, source, line, column and the allowed values', async () => {
      fs.writeFileSync(path.join(f.root, '.rozet.yaml'), '# settings\nworker:\n  maxSteps: 900\n');
      const r = await cli(['run', '--yes', '-w', f.root, 'make a hello script'], f.env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /rozet\.worker\.maxSteps/);
      assert.match(r.stderr, /\.rozet\.yaml line 3, column 13/);
      assert.match(r.stderr, /Allowed: a whole number from 1 to 200/);
      assert.equal(chatRequests(f.server).length, 0);
    });

    it('a bad flag does not promise a fallback value before exiting 2', async () => {
      fs.writeFileSync(path.join(f.root, '.rozet.yaml'), 'maxParallelWorkers: 3\n');
      const r = await cli(['plan', '-w', f.root, '--max-parallel-workers', '99', 'x'], f.env);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /rozet\.maxParallelWorkers from CLI flag --max-parallel-workers is 99/);
      assert.doesNotMatch(r.stderr, /instead/);
      noStack(r.stderr);
    });
  });

  describe('--json failures', () => {
    it('usage errors, missing models and cancelled runs end stdout with {"error": {code, message}}', async () => {
      const usage = await cli(['plan', '--json', '--frobnicate', 'x'], f.env);
      assert.equal(usage.code, 2);
      assert.equal(jsonError(usage.stdout).code, 'usage');
      assert.match(jsonError(usage.stdout).message, /--frobnicate/);

      // No key for a provider that needs one: nothing can run.
      const noModel = await cli(['run', '--json', '--yes', '-w', f.root, 'x'], {
        ...f.env,
        ROZET_WORKER_PROVIDER: 'openai',
      });
      assert.equal(noModel.code, 3);
      assert.equal(jsonError(noModel.stdout).code, 'no_model');

      const failed = await cli(['run', '--json', '--yes', '-w', f.root, 'break it'], f.env);
      assert.equal(failed.code, 1);
      assert.equal(jsonError(failed.stdout).code, 'tasks_failed');

      const health = await cli(['health', '--json', '-w', f.root, '--worker-model', 'nope'], f.env);
      assert.equal(health.code, 1);
      assert.equal(jsonError(health.stdout).code, 'health_failed');
    });

    it('plan --json carries the repair notes too', async () => {
      f.server.load({ ...SCENARIO, chat: [{ kind: 'text', text: `{"tasks": [${JSON.stringify(HELLO)},]}` }] });
      const r = await cli(['plan', '--json', '-w', f.root, 'x'], f.env);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout) as { notes?: string[] };
      assert.ok(
        plan.notes?.some((n) => /repaired/.test(n)),
        r.stdout,
      );
    });
  });

  describe('long waits', () => {
    it('a silent planner: a heartbeat line every 5 s without a terminal, and rozet.orchestrator.idleTimeoutSeconds applies', async () => {
      f.server.load({
        ...SCENARIO,
        // Silent past the planner's limit once, then quick.
        chat: [{ kind: 'text', text: JSON.stringify({ tasks: [HELLO] }), firstTokenDelayMs: 9000 }],
      });
      const r = await cli(['plan', '-w', f.root, 'make a hello script'], {
        ...f.env,
        ROZET_WORKER_IDLE_TIMEOUT_SECONDS: '60',
        ROZET_ORCHESTRATOR_IDLE_TIMEOUT_SECONDS: '6',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /planning… 5 s, waiting for the first token/);
      assert.equal(chatRequests(f.server).length, 2, 'the planner gave up after 6 s and asked again');
      assert.match(r.stderr, /rozet\.orchestrator\.idleTimeoutSeconds/);
    });

    it('on a terminal: a spinner with the elapsed time while the planner is silent, gone once the plan is in', async () => {
      f.server.load({
        ...SCENARIO,
        chat: [{ kind: 'text', text: JSON.stringify({ tasks: [HELLO] }), firstTokenDelayMs: 2500 }],
      });
      const term = ptyCli(['plan', '-w', f.root, 'make a hello script'], f.env);
      try {
        await term.waitFor(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] planning… [12] s, waiting for the first token/);
        assert.equal(await term.exited, 0, term.screen());
        assert.match(term.raw(), /\r\x1b\[K/, 'the spinner redraws one line in place');
        assert.match(term.screen(), /t1 {2}Write hello\.py/);
      } finally {
        term.kill();
      }
    });

    it('a long task without a terminal: a "still running" line when nothing was printed for 5 s', async () => {
      f.server.load({
        ...SCENARIO,
        agent: [
          { match: 'Be slow', hasTools: true, steps: [{ kind: 'text', text: 'done', firstTokenDelayMs: 7000 }] },
          { hasTools: false, plan: { tasks: [{ ...HELLO, title: 'Be slow', files: [] }] } },
        ],
      });
      const r = await cli(['run', '--yes', '-w', f.root, 'slow please'], {
        ...f.env,
        ROZET_WORKER_IDLE_TIMEOUT_SECONDS: '60',
      });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^\[t1\] started: Be slow.*\n… still running: t1 \([56] s\)\n\[t1\] succeeded/m);
    });
  });
});
