import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  describeConfig,
  envName,
  readWorkspaceConfigFiles,
  resolveApiKey,
  resolveConfig,
  SETTING_KEYS,
} from '../../src/config';

describe('config describeConfig', () => {
  const resolved = resolveConfig({
    explicit: { 'rozet.orchestrator.model': { value: 'gpt-5-mini', scope: 'user' } },
    env: { ROZET_TEMPERATURE: '0.3' },
    yamlText: 'worker.model: llama3.1:8b\nworker.baseUrl: http://gpu-box:11434\nautoRun: true\n',
  });

  it('lists every setting with its value, source and environment name', () => {
    const text = describeConfig(resolved);
    for (const key of SETTING_KEYS) {
      const line = text.split('\n').find((l) => l.startsWith(`${key} `));
      assert.ok(line, key);
      assert.ok(line.trimEnd().endsWith(envName(key)), line);
    }
    assert.match(text, /^rozet\.orchestrator\.model\s+gpt-5-mini\s+user setting\s+ROZET_ORCHESTRATOR_MODEL$/m);
    assert.match(text, /^rozet\.temperature\s+0\.3\s+environment\s+/m);
    assert.match(text, /^rozet\.worker\.model\s+llama3\.1:8b\s+\.rozet\.yaml\s+/m);
    assert.match(
      text,
      /^rozet\.orchestrator\.baseUrl\s+\(provider default: https:\/\/openrouter\.ai\/api\/v1\)\s+default/m,
    );
    assert.match(
      text,
      /^rozet\.worker\.baseUrl\s+http:\/\/gpu-box:11434 \(from the workspace: asks before sending a key\)\s+\.rozet\.yaml/m,
    );
    assert.match(text, /^rozet\.autoRun\s+false\s+default/m);
    assert.match(text, /warning: rozet\.autoRun in \.rozet\.yaml line 3, column 10 was ignored/);
  });

  it('shows where keys come from and never the keys themselves', () => {
    const secret = 'sk-or-v1-0123456789abcdef0123456789abcdef';
    const envKey = 'ollama-hosted-key-123456';
    const apiKeys = {
      openrouter: resolveApiKey('openrouter', { secret: ` ${secret} ` }),
      ollama: resolveApiKey('ollama', { env: { OLLAMA_API_KEY: envKey } }),
    };
    const text = describeConfig(resolved, { apiKeys });
    assert.match(text, /orchestrator \(openrouter\)\s+set \(secret storage\)/);
    assert.match(text, /worker \(ollama\)\s+set \(environment: OLLAMA_API_KEY\)/);
    assert.ok(!text.includes(secret) && !text.includes(envKey));

    const none = describeConfig(resolved, { apiKeys: {} });
    assert.match(
      none,
      /orchestrator \(openrouter\)\s+not set: Run "Rozet: Set API Key" \(or set OPENROUTER_API_KEY\)\./,
    );
    assert.match(none, /worker \(ollama\)\s+not set \(optional for this provider\)/);
  });

  it('says whether a proxy is set, hiding proxy credentials, and survives junk', () => {
    const withProxy = describeConfig(resolved, {
      env: {
        https_proxy: 'http://alice:hunter2@proxy.corp:3128',
        NO_PROXY: 'localhost,127.0.0.1',
        HTTP_PROXY: '::not a url::',
      },
    });
    assert.match(withProxy, /https_proxy\s+set \(proxy\.corp:3128\)/);
    assert.match(withProxy, /HTTP_PROXY\s+set \(not a valid URL\)/);
    assert.match(withProxy, /NO_PROXY\s+localhost,127\.0\.0\.1/);
    assert.ok(!withProxy.includes('hunter2'));
    assert.match(describeConfig(resolved, { env: {} }), /none\s+no HTTPS_PROXY, HTTP_PROXY, ALL_PROXY or NO_PROXY/);
  });

  it('hides credentials in a rejected base URL', () => {
    const bad = resolveConfig({
      explicit: { 'rozet.worker.baseUrl': { value: 'https://bob:pa55@example.com/v1', scope: 'user' } },
    });
    assert.ok(!describeConfig(bad).includes('pa55'));
  });
});

describe('config workspace files', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'rozet-config-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('reads .rozet.yaml and .env when present', async () => {
    await writeFile(join(root, '.rozet.yaml'), 'worker.model: x\n');
    await writeFile(join(root, '.env'), 'OPENAI_API_KEY=sk\n');
    assert.deepEqual(await readWorkspaceConfigFiles(root), {
      yamlText: 'worker.model: x\n',
      dotenvText: 'OPENAI_API_KEY=sk\n',
      problems: [],
    });
  });

  it('treats missing files as absent, silently', async () => {
    assert.deepEqual(await readWorkspaceConfigFiles(root), {
      yamlText: undefined,
      dotenvText: undefined,
      problems: [],
    });
  });

  it('reports unreadable or oversized files and carries on', async () => {
    await mkdir(join(root, '.env'));
    await writeFile(join(root, '.rozet.yaml'), Buffer.alloc(1024 * 1024 + 1, 0x20));
    const files = await readWorkspaceConfigFiles(root);
    assert.equal(files.yamlText, undefined);
    assert.equal(files.dotenvText, undefined);
    assert.deepEqual(
      files.problems.map((p) => p.message),
      ['.rozet.yaml could not be read (larger than 1048576 bytes).', '.env could not be read (not a regular file).'],
    );
    assert.deepEqual(
      files.problems.map((p) => p.fallback),
      ['It was ignored.', 'It was ignored.'],
    );
  });
});
