// `rozet` end to end in temp workspaces against the scripted model server over real HTTP.
// Most cases call runCli in-process with captured streams (fast); a few spawn the real
// entry point to cover what only a process has: argv, exit codes, stdout pipes, Ctrl-C.
// Every assert.ok has a message: without one, Node re-reads the (tsx-transformed) source
// to quote the expression, which can spin for minutes when it fails.
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunEvent } from '../../src/core/run/events';
import { startModelServer } from '../support/model-server';
import { chatRequests, cli, noStack, serverEnv, spawnCli, useCliFixture } from '../support/cli-harness';
import { HELLO, KEY, SCENARIO } from '../support/cli-scenario';

describe('rozet CLI', function () {
  const f = useCliFixture('rozet-cli-');

  describe('plan', () => {
    it('--json prints exactly the plan contract with source "llm"', async () => {
      const r = await cli(['plan', '--json', '-w', f.root, 'make a hello script'], f.env);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), { tasks: [HELLO], source: 'llm' });
    });

    it('--json with the server down: the fallback plan, and the reason says what to start', async () => {
      await f.server.close();
      const r = await cli(['plan', '--json', '-w', f.root, 'add a --verbose flag and tests for it'], f.env);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout) as { tasks: unknown[]; source: string; reason: string };
      assert.equal(plan.source, 'fallback');
      assert.ok(plan.tasks.length >= 1, 'the fallback plan has tasks');
      assert.match(plan.reason, /OpenAI-compatible server is not running at http:\/\/127\.0\.0\.1:\d+\/v1/);
      assert.match(
        plan.reason,
        /Start the server, or set rozet\.orchestrator\.baseUrl \(--base-url URL or ROZET_ORCHESTRATOR_BASE_URL\)/,
      );
      assert.match(r.stderr, /planned without the model/);
    });

    it('prints a readable tree without --json', async () => {
      const r = await cli(['plan', '-w', f.root, 'two files please'], f.env);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /from the planner model\), 2 tasks/);
      assert.match(r.stdout, /t2 {2}Write the readme {2}\[README\.md\] {2}after t1/);
    });
  });

  describe('run', () => {
    it('writes the files the workers were scripted to write and exits 0', async () => {
      const r = await cli(['run', '--yes', '-w', f.root, 'two files please'], f.env);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(fs.readFileSync(path.join(f.root, 'hello.py'), 'utf8'), "print('hi')\n");
      assert.equal(fs.readFileSync(path.join(f.root, 'README.md'), 'utf8'), '# hello\n');
      assert.match(r.stdout, /\[t1\] succeeded/);
      assert.match(r.stdout, /Done: 2 succeeded of 2/);
    });

    it('exits 1 when a task fails, and its dependents are skipped', async () => {
      const r = await cli(['run', '--yes', '-w', f.root, 'break it'], f.env);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /\[t1\] failed .*scripted refusal/);
      assert.match(r.stdout, /\[t2\] skipped/);
      assert.equal(fs.existsSync(path.join(f.root, 'README.md')), false, 'the skipped task wrote nothing');
    });

    it('--json prints one run event per line, from plan.started to plan.finished', async () => {
      const r = await cli(['run', '--json', '--yes', '-w', f.root, 'make a hello script'], f.env);
      assert.equal(r.code, 0, r.stderr);
      const events = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as RunEvent);
      assert.equal(events[0].type, 'plan.started');
      assert.equal(events.at(-1)?.type, 'plan.finished');
      assert.ok(
        events.some((e) => e.type === 'task.toolResult' && e.record.name === 'write_file'),
        'a write_file result event',
      );
      assert.ok(
        events.some((e) => e.type === 'task.succeeded' && e.taskId === 't1'),
        'a task.succeeded event for t1',
      );
    });

    it('without a reachable worker model: says what to start, exits 3, runs and plans nothing', async () => {
      const down = new URL(f.server.url);
      await f.server.close();
      f.server = await startModelServer({ scenario: SCENARIO });
      f.env = serverEnv(f.server.url);
      const r = await cli(
        [
          'run',
          '--yes',
          '-w',
          f.root,
          '--worker-provider',
          'ollama',
          '--worker-base-url',
          down.origin,
          'make a hello script',
        ],
        f.env,
      );
      assert.equal(r.code, 3, r.stderr);
      assert.match(r.stderr, new RegExp(`Ollama is not running at http://127\\.0\\.0\\.1:${down.port}`));
      assert.match(r.stderr, /fix: Start it with `ollama serve`.*--worker-base-url URL or ROZET_WORKER_BASE_URL/);
      assert.equal(chatRequests(f.server).length, 0);
      assert.deepEqual(fs.readdirSync(f.root), []);
    });

    it('without a terminal, execute_bash is refused unless --approve-commands', async () => {
      const refused = await cli(['run', '--json', '--yes', '-w', f.root, 'run a command'], f.env);
      const result = refused.stdout.split('\n').find((l) => l.includes('"task.toolResult"')) ?? '';
      assert.match(result, /no terminal to ask for approval.*--approve-commands/);
      assert.equal(fs.existsSync(path.join(f.root, 'ran.txt')), false, 'the refused command did not run');

      const allowed = await cli(['run', '--yes', '--approve-commands', '-w', f.root, 'run a command'], f.env);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.ok(fs.existsSync(path.join(f.root, 'ran.txt')), 'the approved command ran');
    });

    it('never prints an API key, even when a model repeats it', async () => {
      const r = await cli(['run', '--json', '--yes', '-w', f.root, 'leak it'], {
        ...f.env,
        OPENAI_COMPATIBLE_API_KEY: KEY,
      });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!r.stdout.includes(KEY) && !r.stderr.includes(KEY), 'the key was printed');
      assert.match(r.stdout, /The key is \[redacted\]/);
      // …while the key itself did reach the server it belongs to.
      assert.equal(chatRequests(f.server)[0].headers.authorization, `Bearer ${KEY}`);
    });

    it('a base URL from .rozet.yaml does not get the key from the environment without a confirmation', async () => {
      fs.writeFileSync(path.join(f.root, '.rozet.yaml'), `worker.baseUrl: ${f.server.url}/v1\n`);
      const { ROZET_WORKER_BASE_URL: _unset, ...rest } = f.env;
      const withKey = { ...rest, OPENAI_COMPATIBLE_API_KEY: KEY };
      const r = await cli(['run', '--yes', '-w', f.root, 'make a hello script'], withKey);
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stderr,
        /API key is not sent to .*rozet\.worker\.baseUrl comes from \.rozet\.yaml.*--worker-base-url/,
      );
      const workerCalls = () => chatRequests(f.server).filter((q) => (q.body as { tools?: unknown[] }).tools?.length);
      assert.equal(workerCalls()[0].headers.authorization, undefined);

      // --yes answers the plan review only; the URL chosen by the user gets the key.
      f.server.requests.length = 0;
      await cli(
        ['run', '--yes', '-w', f.root, '--worker-base-url', `${f.server.url}/v1`, 'make a hello script'],
        withKey,
      );
      assert.equal(workerCalls()[0].headers.authorization, `Bearer ${KEY}`);
    });
  });

  describe('health', () => {
    it('passes with the models present', async () => {
      const r = await cli(['health', '-w', f.root], f.env);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /orchestrator: OpenAI-compatible server "planner"/);
      assert.match(r.stdout, /All checks passed/);
    });

    it('fails with fixes: a missing Ollama model and a missing key', async () => {
      const r = await cli(
        [
          'health',
          '--json',
          '-w',
          f.root,
          '--worker-provider',
          'ollama',
          '--worker-base-url',
          f.server.url,
          '--worker-model',
          'qwen2.5-coder:14b-instruct',
          '--provider',
          'openrouter',
          '--base-url',
          `${f.server.url}/v1`,
        ],
        f.env,
      );
      assert.equal(r.code, 1);
      const report = JSON.parse(r.stdout) as {
        ok: boolean;
        roles: Array<{ role: string; checks: Array<{ name: string; status: string; fix?: string }> }>;
      };
      const failed = report.roles.flatMap((role) =>
        role.checks.filter((c) => c.status === 'fail').map((c) => `${role.role}.${c.name}: ${c.fix}`),
      );
      assert.equal(failed.length, 2, failed.join('\n'));
      assert.match(failed.join('\n'), /orchestrator\.key: .*OPENROUTER_API_KEY/);
      assert.match(failed.join('\n'), /worker\.model: Run `ollama pull qwen2\.5-coder:14b-instruct`/);
    });
  });

  describe('config', () => {
    it('shows each value with its source: flag > environment > .rozet.yaml > default', async () => {
      fs.writeFileSync(
        path.join(f.root, '.rozet.yaml'),
        'worker:\n  model: from-yaml\n  maxSteps: 9\ntemperature: 0.5\n',
      );
      const r = await cli(['config', '--json', '-w', f.root, '--set', 'temperature=0.2'], {
        ROZET_WORKER_MODEL: 'from-env',
        ROZET_MEMORY_MAX_TOKENS: '7000',
        OPENROUTER_API_KEY: KEY,
      });
      assert.equal(r.code, 0, r.stderr);
      const shown = JSON.parse(r.stdout) as {
        values: Record<string, unknown>;
        sources: Record<string, string>;
        apiKeys: Record<string, { source?: string }>;
      };
      const at = (key: string) => [shown.values[key], shown.sources[key]];
      assert.deepEqual(at('rozet.temperature'), [0.2, 'cli flag']);
      assert.deepEqual(at('rozet.worker.model'), ['from-env', 'environment']);
      assert.deepEqual(at('rozet.worker.maxSteps'), [9, '.rozet.yaml']);
      assert.deepEqual(at('rozet.maxParallelWorkers'), [2, 'default']);
      assert.equal(shown.apiKeys.openrouter.source, 'environment');
      assert.ok(!r.stdout.includes(KEY), 'the key was printed');

      const table = await cli(['config', '-w', f.root, '--max-parallel-workers', '3'], {});
      assert.match(table.stdout, /rozet\.maxParallelWorkers\s+3\s+cli flag\s+ROZET_MAX_PARALLEL_WORKERS/);
      assert.match(table.stdout, /rozet\.worker\.model\s+from-yaml\s+\.rozet\.yaml/);
    });

    it('a YAML syntax error is shown with line and column, and config exits 2', async () => {
      fs.writeFileSync(path.join(f.root, '.rozet.yaml'), 'worker:\n  model: [unclosed\n');
      const shown = await cli(['config', '-w', f.root], {});
      assert.equal(shown.code, 2);
      assert.match(shown.stdout, /\.rozet\.yaml line 2, column 10: .*never closed/);
      assert.match(shown.stdout, /stop until the errors are fixed/);
    });
  });

  describe('bad input', () => {
    it('an unknown provider: clear message, exit 2, no stack trace, nothing sent', async () => {
      const r = await cli(['plan', '-w', f.root, '--provider', 'olama', 'x'], f.env);
      assert.equal(r.code, 2);
      assert.match(
        r.stderr,
        /rozet\.orchestrator\.provider from CLI flag --provider is "olama".*Did you mean "ollama"\?/,
      );
      noStack(r.stderr);
      assert.equal(f.server.requests.length, 0);
    });

    it('an unknown provider in the environment and a malformed base URL flag: exit 2', async () => {
      const fromEnv = await cli(['run', '-w', f.root, 'x'], { ...f.env, ROZET_WORKER_PROVIDER: 'nope' });
      assert.equal(fromEnv.code, 2);
      assert.match(fromEnv.stderr, /ROZET_WORKER_PROVIDER/);
      const url = await cli(['run', '-w', f.root, '--worker-base-url', 'localhost:1234', 'x'], f.env);
      assert.equal(url.code, 2);
      assert.match(url.stderr, /rozet\.worker\.baseUrl from CLI flag .*must use http:\/\/ or https:\/\//);
      noStack(fromEnv.stderr + url.stderr);
    });

    it('an empty request, an unknown command, option or setting: a message and exit 2', async () => {
      const cases: Array<[string[], RegExp]> = [
        [['run', '   '], /The request is empty/],
        [['plan'], /The request is empty/],
        [['pan', 'x'], /Unknown command "pan"\. Did you mean "plan"\?/],
        [['plan', '--frobnicate', 'x'], /Unknown option '--frobnicate'/],
        [
          ['config', '--set', 'worker.modle=x'],
          /Unknown setting "worker\.modle".*Did you mean "rozet\.worker\.model"\?/,
        ],
        [['config', '-w', path.join(f.root, 'missing')], /is not a folder/],
      ];
      for (const [args, message] of cases) {
        const r = await cli(args, f.env);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, message);
        noStack(r.stderr);
      }
    });

    it('--help for each command', async () => {
      for (const command of ['plan', 'run', 'health', 'config', 'repl']) {
        const r = await cli([command, '--help'], {});
        assert.equal(r.code, 0);
        assert.match(r.stdout, new RegExp(`rozet ${command}`));
      }
      assert.match((await cli(['--help'], {})).stdout, /Exit codes:[\s\S]*130/);
    });
  });

  describe('repl', () => {
    it('plans and runs each line, and the planner sees the earlier requests', async () => {
      const r = await cli(
        ['repl', '--yes', '-w', f.root],
        f.env,
        'make a hello script\nnow the readme for two files\n/exit\n',
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(fs.existsSync(path.join(f.root, 'README.md')), 'the second request wrote README.md');
      const planner = chatRequests(f.server).filter((q) => !(q.body as { tools?: unknown[] }).tools?.length);
      assert.equal(planner.length, 2);
      assert.match(JSON.stringify(planner[1].body), /User asked: make a hello script.*Rozet did: Run succeeded/);
    });
  });

  describe('as a process', function () {
    // Each case starts node with tsx, which takes seconds on a loaded machine.
    this.timeout(60_000);
    it('plan --json: the real entry point prints the plan and exits 0', async () => {
      const child = spawnCli(['plan', '--json', '-w', f.root, 'make a hello script'], f.env);
      let stdout = '';
      child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 0);
      assert.equal((JSON.parse(stdout) as { source: string }).source, 'llm');
    });

    it('behind an HTTP proxy (HTTP_PROXY): every model request goes through it', async () => {
      const proxied: string[] = [];
      // A minimal forward proxy speaking CONNECT, which undici uses for every target.
      const proxy = http.createServer((_req, res) => res.writeHead(405).end());
      proxy.on('connect', (req: http.IncomingMessage, client: Duplex) => {
        proxied.push(`CONNECT ${req.url}`);
        const [host, port] = (req.url ?? '').split(':');
        const upstream = net.connect(Number(port), host, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      try {
        const child = spawnCli(['plan', '--json', '-w', f.root, 'make a hello script'], {
          ...f.env,
          HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        });
        let stdout = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
        assert.equal(code, 0);
        assert.equal((JSON.parse(stdout) as { source: string }).source, 'llm', stdout);
        assert.ok(proxied.includes(`CONNECT ${new URL(f.server.url).host}`), `proxied: ${proxied.join(', ')}`);
      } finally {
        proxy.close();
      }
    });

    it('a malformed proxy variable is a clear usage error, not a crash', async () => {
      const child = spawnCli(['plan', '--json', '-w', f.root, 'make a hello script'], {
        ...f.env,
        HTTPS_PROXY: 'not a url',
      });
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(code, 2);
      assert.match(stderr, /HTTPS_PROXY\/HTTP_PROXY\) is not a URL/);
    });

    it('Ctrl-C cancels a run cleanly: exit 130, no file written', async () => {
      const child = spawnCli(['run', '--yes', '-w', f.root, 'slow please'], f.env);
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      const code = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          if (stdout.includes('[t1] started')) resolve();
        }),
      );
      child.kill('SIGINT');
      assert.equal(await code, 130, stderr);
      assert.match(stderr, /Cancelling/);
      assert.match(stdout, /Cancelled: 0 succeeded, 1 cancelled/);
      assert.deepEqual(fs.readdirSync(f.root), []);
    });
  });
});
