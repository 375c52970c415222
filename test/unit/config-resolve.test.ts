import assert from 'node:assert/strict';
import {
  baseUrlNeedsConfirmation,
  resolveConfig,
  SETTING_KEYS,
  type ConfigProblem,
  type ExplicitScope,
  type ResolveInput,
} from '../../src/config';

const messages = (problems: ConfigProblem[]) => problems.map((p) => p.message);

describe('config precedence', () => {
  // Each row: which of the three layers above the default set rozet.worker.model, and
  // the value and source that must win. All eight combinations.
  const rows: Array<[explicit: boolean, env: boolean, yaml: boolean, value: string, source: string]> = [
    [false, false, false, 'qwen2.5-coder:14b-instruct', 'default'],
    [false, false, true, 'from-yaml', '.rozet.yaml'],
    [false, true, false, 'from-env', 'environment'],
    [false, true, true, 'from-env', 'environment'],
    [true, false, false, 'from-setting', 'user setting'],
    [true, false, true, 'from-setting', 'user setting'],
    [true, true, false, 'from-setting', 'user setting'],
    [true, true, true, 'from-setting', 'user setting'],
  ];
  for (const [explicit, env, yaml, value, source] of rows) {
    it(`setting=${explicit ? 'set' : '-'} env=${env ? 'set' : '-'} yaml=${yaml ? 'set' : '-'} → ${value} (${source})`, () => {
      const input: ResolveInput = {
        explicit: explicit ? { 'rozet.worker.model': { value: 'from-setting', scope: 'user' } } : {},
        env: env ? { ROZET_WORKER_MODEL: 'from-env' } : {},
        yamlText: yaml ? 'worker:\n  model: from-yaml\n' : undefined,
      };
      const resolved = resolveConfig(input);
      assert.equal(resolved.values['rozet.worker.model'], value);
      assert.equal(resolved.sources['rozet.worker.model'], source);
      assert.deepEqual(resolved.problems, []);
    });
  }

  // The same table for a number, where the environment and CLI values are text.
  const numberRows: Array<[cli: boolean, env: boolean, yaml: boolean, value: number, source: string]> = [
    [false, false, false, 2, 'default'],
    [false, false, true, 3, '.rozet.yaml'],
    [false, true, true, 5, 'environment'],
    [true, true, true, 8, 'cli flag'],
    [true, false, false, 8, 'cli flag'],
  ];
  for (const [cli, env, yaml, value, source] of numberRows) {
    it(`maxParallelWorkers: cli=${cli ? 'set' : '-'} env=${env ? 'set' : '-'} yaml=${yaml ? 'set' : '-'} → ${value} (${source})`, () => {
      const resolved = resolveConfig({
        explicit: cli ? { 'rozet.maxParallelWorkers': { value: '8', scope: 'cli' } } : {},
        env: env ? { ROZET_MAX_PARALLEL_WORKERS: ' 5 ' } : {},
        yamlText: yaml ? 'maxParallelWorkers: 3\n' : undefined,
      });
      assert.equal(resolved.values['rozet.maxParallelWorkers'], value);
      assert.equal(resolved.sources['rozet.maxParallelWorkers'], source);
    });
  }

  it('gives every key a value and a source with no input at all', () => {
    const resolved = resolveConfig({});
    assert.deepEqual(Object.keys(resolved.values).sort(), [...SETTING_KEYS].sort());
    assert.ok(Object.values(resolved.sources).every((s) => s === 'default'));
    assert.deepEqual(resolved.problems, []);
  });

  it('orders explicit scopes as VS Code does, with a CLI flag above them all', () => {
    const scopes: ExplicitScope[] = ['user', 'workspace', 'workspaceFolder', 'cli'];
    const all = scopes.map((scope) => ({ value: `model-${scope}`, scope }));
    const pick = (entries: typeof all) => resolveConfig({ explicit: { 'rozet.worker.model': entries } });
    assert.equal(pick(all).values['rozet.worker.model'], 'model-cli');
    assert.equal(pick(all.slice(0, 3)).values['rozet.worker.model'], 'model-workspaceFolder');
    assert.equal(pick(all.slice(0, 3)).sources['rozet.worker.model'], 'workspace setting');
    assert.equal(pick(all.slice(0, 2)).values['rozet.worker.model'], 'model-workspace');
    assert.equal(pick(all.slice(0, 1)).sources['rozet.worker.model'], 'user setting');
  });

  it('treats an empty environment variable as unset', () => {
    const resolved = resolveConfig({ env: { ROZET_WORKER_MODEL: '  ' }, yamlText: 'worker.model: y\n' });
    assert.equal(resolved.values['rozet.worker.model'], 'y');
    assert.deepEqual(resolved.problems, []);
  });

  it('trims strings from every source', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.orchestrator.model': { value: '  gpt-5-mini \t', scope: 'user' } },
      yamlText: 'worker.baseUrl: "  http://10.0.0.2:11434  "\n',
    });
    assert.equal(resolved.values['rozet.orchestrator.model'], 'gpt-5-mini');
    assert.equal(resolved.values['rozet.worker.baseUrl'], 'http://10.0.0.2:11434');
  });

  it('accepts enum values in any case and a numeric keepAlive from YAML', () => {
    const resolved = resolveConfig({
      env: { ROZET_WORKER_PROVIDER: 'OpenAICompatible', ROZET_WORKER_BASE_URL: 'http://127.0.0.1:1234/v1' },
      yamlText: 'ollama.keepAlive: -1\n',
    });
    assert.equal(resolved.values['rozet.worker.provider'], 'openaiCompatible');
    assert.equal(resolved.values['rozet.ollama.keepAlive'], '-1');
    assert.deepEqual(resolved.problems, []);
  });
});

describe('config invalid values', () => {
  it('names key, source, allowed values and the default used instead', () => {
    const resolved = resolveConfig({ env: { ROZET_WORKER_PROVIDER: 'olama' } });
    assert.equal(resolved.values['rozet.worker.provider'], 'ollama');
    assert.equal(resolved.sources['rozet.worker.provider'], 'default');
    assert.deepEqual(resolved.problems, [
      {
        severity: 'error',
        key: 'rozet.worker.provider',
        source: 'environment',
        message:
          'rozet.worker.provider from environment variable ROZET_WORKER_PROVIDER is "olama", which is not valid (not one of the allowed values). ' +
          'Allowed: one of: ollama, openai, openrouter, gemini, anthropic, openaiCompatible, vscode. Did you mean "ollama"?',
        fallback: 'Using the default "ollama" instead.',
      },
    ]);
  });

  it('falls back to the next source down, and says which', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.worker.idleTimeoutSeconds': { value: 1, scope: 'user' } },
      env: { ROZET_WORKER_IDLE_TIMEOUT_SECONDS: 'soon' },
      yamlText: 'worker.idleTimeoutSeconds: 300\n',
    });
    assert.equal(resolved.values['rozet.worker.idleTimeoutSeconds'], 300);
    assert.equal(resolved.sources['rozet.worker.idleTimeoutSeconds'], '.rozet.yaml');
    assert.deepEqual(messages(resolved.problems), [
      'rozet.worker.idleTimeoutSeconds from user settings is 1, which is not valid (Too small: expected number to be >=5). Allowed: a number from 5 to 3600.',
      'rozet.worker.idleTimeoutSeconds from environment variable ROZET_WORKER_IDLE_TIMEOUT_SECONDS is "soon", which is not valid (not a number). Allowed: a number from 5 to 3600.',
    ]);
    assert.deepEqual(
      resolved.problems.map((p) => p.fallback),
      ['Using 300 from .rozet.yaml instead.', 'Using 300 from .rozet.yaml instead.'],
    );
  });

  it('insists on whole numbers where a fraction makes no sense', () => {
    const resolved = resolveConfig({ yamlText: 'maxParallelWorkers: 2.5\n' });
    assert.equal(resolved.values['rozet.maxParallelWorkers'], 2);
    assert.match(resolved.problems[0].message, /Allowed: a whole number from 1 to 16\./);
  });

  it('reports wrong types from settings and YAML', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.saveAfterEdit': { value: 'yes', scope: 'user' } },
      yamlText: 'models.exclude: "*embed*"\nworker:\n  model:\n',
    });
    assert.equal(resolved.values['rozet.saveAfterEdit'], true);
    assert.equal(resolved.values['rozet.models.exclude'].length, 0);
    assert.equal(resolved.values['rozet.worker.model'], 'qwen2.5-coder:14b-instruct');
    assert.deepEqual(
      resolved.problems.map((p) => [p.key, p.source]),
      [
        ['rozet.worker.model', '.rozet.yaml'],
        ['rozet.saveAfterEdit', 'user setting'],
        ['rozet.models.exclude', '.rozet.yaml'],
      ],
    );
    assert.match(resolved.problems[1].message, /Allowed: true or false\./);
  });

  it('refuses an empty model id', () => {
    const resolved = resolveConfig({ explicit: { 'rozet.worker.model': { value: '   ', scope: 'user' } } });
    assert.equal(resolved.values['rozet.worker.model'], 'qwen2.5-coder:14b-instruct');
    assert.match(resolved.problems[0].message, /a model id cannot be empty/);
  });

  it('refuses a malformed keepAlive before it breaks every Ollama call', () => {
    const resolved = resolveConfig({ env: { ROZET_OLLAMA_KEEP_ALIVE: 'forever' } });
    assert.equal(resolved.values['rozet.ollama.keepAlive'], '30m');
    assert.match(resolved.problems[0].message, /expected a duration such as 30m/);
    for (const ok of ['30m', '1h30m', '90s', '0', '-1', '3600']) {
      assert.equal(resolveConfig({ env: { ROZET_OLLAMA_KEEP_ALIVE: ok } }).values['rozet.ollama.keepAlive'], ok);
    }
  });
});

describe('config base URLs', () => {
  it('keeps empty as "the provider default"', () => {
    const resolved = resolveConfig({ explicit: { 'rozet.orchestrator.baseUrl': { value: '  ', scope: 'user' } } });
    assert.equal(resolved.values['rozet.orchestrator.baseUrl'], '');
    assert.deepEqual(resolved.problems, []);
  });

  for (const [url, reason] of [
    ['localhost:11434', /not a URL|must use http/],
    ['ftp://example.com', /must use http:\/\/ or https:\/\/, not ftp:\/\//],
    ['not a url', /not a URL/],
    ['https://user:sk-secret@example.com/v1', /must not contain a user name or password/],
  ] as const) {
    it(`rejects ${url}`, () => {
      const resolved = resolveConfig({ env: { ROZET_WORKER_BASE_URL: url } });
      assert.equal(resolved.values['rozet.worker.baseUrl'], '');
      assert.equal(resolved.problems.length, 1);
      assert.match(resolved.problems[0].message, reason);
      assert.match(
        resolved.problems[0].message,
        /Allowed: an http:\/\/ or https:\/\/ URL, or empty for the provider's own\./,
      );
      assert.doesNotMatch(resolved.problems[0].message, /sk-secret/);
    });
  }

  it('says when openaiCompatible has no base URL', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.worker.provider': { value: 'openaiCompatible', scope: 'user' } },
    });
    assert.equal(resolved.problems.length, 1);
    assert.equal(resolved.problems[0].key, 'rozet.worker.baseUrl');
    assert.match(
      resolved.problems[0].message,
      /rozet\.worker\.baseUrl is empty, but rozet\.worker\.provider is openaiCompatible/,
    );
  });

  it('asks for confirmation only for a base URL that came from the workspace', () => {
    const fromYaml = resolveConfig({ yamlText: 'orchestrator.baseUrl: https://evil.example/v1\n' });
    assert.equal(baseUrlNeedsConfirmation(fromYaml, 'orchestrator'), true);
    assert.equal(baseUrlNeedsConfirmation(fromYaml, 'worker'), false);
    const fromWorkspace = resolveConfig({
      explicit: { 'rozet.worker.baseUrl': { value: 'https://evil.example/v1', scope: 'workspaceFolder' } },
    });
    assert.equal(baseUrlNeedsConfirmation(fromWorkspace, 'worker'), true);
    const fromUser = resolveConfig({
      explicit: { 'rozet.worker.baseUrl': { value: 'https://my.example/v1', scope: 'user' } },
    });
    assert.equal(baseUrlNeedsConfirmation(fromUser, 'worker'), false);
    const fromEnv = resolveConfig({ env: { ROZET_WORKER_BASE_URL: 'https://my.example/v1' } });
    assert.equal(baseUrlNeedsConfirmation(fromEnv, 'worker'), false);
  });
});

describe('config power settings (a cloned repository trying to raise powers)', () => {
  const IGNORED = /was ignored: only user settings can change it/;

  it('ignores approval, allowlist, autoRun and write approval from .rozet.yaml, with a notice for each', () => {
    const resolved = resolveConfig({
      yamlText: 'bash:\n  approval: auto\n  allowlist: ["rm -rf"]\nautoRun: true\nwrite.approval: ask\n',
    });
    assert.equal(resolved.values['rozet.bash.approval'], 'ask');
    assert.deepEqual(resolved.values['rozet.bash.allowlist'], []);
    assert.equal(resolved.values['rozet.autoRun'], false);
    assert.equal(resolved.values['rozet.write.approval'], 'auto');
    for (const key of ['rozet.bash.approval', 'rozet.bash.allowlist', 'rozet.autoRun', 'rozet.write.approval']) {
      assert.equal(resolved.sources[key as keyof typeof resolved.sources], 'default');
      const notice = resolved.problems.find((p) => p.key === key);
      assert.ok(notice, key);
      assert.equal(notice.severity, 'warning');
      assert.equal(notice.source, '.rozet.yaml');
      assert.match(notice.message, IGNORED);
    }
    assert.equal(resolved.problems.length, 4);
  });

  it('ignores them from workspace and workspace-folder settings, keeping the user value under them', () => {
    const resolved = resolveConfig({
      explicit: {
        'rozet.bash.approval': [
          { value: 'auto', scope: 'workspaceFolder' },
          { value: 'allowlist', scope: 'user' },
        ],
        'rozet.autoRun': { value: true, scope: 'workspace' },
      },
    });
    assert.equal(resolved.values['rozet.bash.approval'], 'allowlist');
    assert.equal(resolved.sources['rozet.bash.approval'], 'user setting');
    assert.equal(resolved.values['rozet.autoRun'], false);
    assert.deepEqual(messages(resolved.problems), [
      "rozet.autoRun in workspace settings was ignored: only user settings can change it (or a CLI flag, or the ROZET_AUTO_RUN environment variable), so a workspace cannot raise Rozet's powers.",
      "rozet.bash.approval in workspace folder settings was ignored: only user settings can change it (or a CLI flag, or the ROZET_BASH_APPROVAL environment variable), so a workspace cannot raise Rozet's powers.",
    ]);
  });

  it('ignores an invalid workspace value as a power grab, not as a typo', () => {
    const resolved = resolveConfig({ yamlText: 'bash.approval: yolo\n' });
    assert.equal(resolved.problems.length, 1);
    assert.match(resolved.problems[0].message, IGNORED);
  });

  it('honours them from user settings, the environment and CLI flags', () => {
    const user = resolveConfig({
      explicit: {
        'rozet.bash.approval': { value: 'auto', scope: 'user' },
        'rozet.autoRun': { value: true, scope: 'user' },
      },
    });
    assert.equal(user.values['rozet.bash.approval'], 'auto');
    assert.equal(user.values['rozet.autoRun'], true);

    const env = resolveConfig({
      env: {
        ROZET_BASH_APPROVAL: 'allowlist',
        ROZET_BASH_ALLOWLIST: 'npm test,git status',
        ROZET_AUTO_RUN: 'yes',
        ROZET_WRITE_APPROVAL: 'ask',
      },
    });
    assert.equal(env.values['rozet.bash.approval'], 'allowlist');
    assert.deepEqual(env.values['rozet.bash.allowlist'], ['npm test', 'git status']);
    assert.equal(env.values['rozet.autoRun'], true);
    assert.equal(env.values['rozet.write.approval'], 'ask');
    assert.equal(env.sources['rozet.autoRun'], 'environment');

    const cli = resolveConfig({
      explicit: {
        'rozet.bash.approval': { value: 'deny', scope: 'cli' },
        'rozet.autoRun': { value: 'true', scope: 'cli' },
      },
    });
    assert.equal(cli.values['rozet.bash.approval'], 'deny');
    assert.equal(cli.values['rozet.autoRun'], true);
    assert.equal(cli.sources['rozet.autoRun'], 'cli flag');
    for (const r of [user, env, cli]) assert.deepEqual(r.problems, []);
  });

  it('a workspace value does not shadow the environment', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.bash.approval': { value: 'auto', scope: 'workspace' } },
      env: { ROZET_BASH_APPROVAL: 'deny' },
    });
    assert.equal(resolved.values['rozet.bash.approval'], 'deny');
    assert.equal(resolved.sources['rozet.bash.approval'], 'environment');
  });

  it('fails closed on a malformed allowlist: an empty entry would approve every command', () => {
    const resolved = resolveConfig({
      explicit: { 'rozet.bash.allowlist': { value: ['npm test', '  '], scope: 'user' } },
    });
    assert.deepEqual(resolved.values['rozet.bash.allowlist'], []);
    assert.match(resolved.problems[0].message, /item 2: an allowlist entry cannot be empty/);
    const notStrings = resolveConfig({ env: { ROZET_BASH_ALLOWLIST: '[1, 2]' } });
    assert.deepEqual(notStrings.values['rozet.bash.allowlist'], []);
    assert.equal(notStrings.problems[0].severity, 'error');
  });

  it('ignores ROZET_* lines in a workspace .env, with a notice', () => {
    const resolved = resolveConfig({ dotenvText: 'OPENAI_API_KEY=sk-x\nROZET_BASH_APPROVAL=auto\nROZET_AUTO_RUN=1\n' });
    assert.equal(resolved.values['rozet.bash.approval'], 'ask');
    assert.equal(resolved.values['rozet.autoRun'], false);
    assert.deepEqual(
      resolved.problems.map((p) => [p.source, p.key]),
      [
        ['.env', 'ROZET_BASH_APPROVAL'],
        ['.env', 'ROZET_AUTO_RUN'],
      ],
    );
    assert.match(
      resolved.problems[0].message,
      /ROZET_BASH_APPROVAL in \.env was ignored: \.env only supplies API keys/,
    );
    assert.doesNotMatch(resolved.problems.map((p) => p.message).join('\n'), /sk-x/);
  });
});
