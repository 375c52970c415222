import assert from 'node:assert/strict';
import { envName, parseTextValue, SETTING_KEYS, type SettingKey } from '../../src/config';

// Written out by hand: these names are public (users put them in scripts), so a change
// in the derivation must show up here as a failing line, not silently follow along.
const EXPECTED: Record<SettingKey, string> = {
  'rozet.orchestrator.provider': 'ROZET_ORCHESTRATOR_PROVIDER',
  'rozet.orchestrator.model': 'ROZET_ORCHESTRATOR_MODEL',
  'rozet.orchestrator.baseUrl': 'ROZET_ORCHESTRATOR_BASE_URL',
  'rozet.orchestrator.idleTimeoutSeconds': 'ROZET_ORCHESTRATOR_IDLE_TIMEOUT_SECONDS',
  'rozet.worker.provider': 'ROZET_WORKER_PROVIDER',
  'rozet.worker.model': 'ROZET_WORKER_MODEL',
  'rozet.worker.baseUrl': 'ROZET_WORKER_BASE_URL',
  'rozet.worker.idleTimeoutSeconds': 'ROZET_WORKER_IDLE_TIMEOUT_SECONDS',
  'rozet.worker.firstTokenTimeoutSeconds': 'ROZET_WORKER_FIRST_TOKEN_TIMEOUT_SECONDS',
  'rozet.worker.parallelRequests': 'ROZET_WORKER_PARALLEL_REQUESTS',
  'rozet.worker.endpoints': 'ROZET_WORKER_ENDPOINTS',
  'rozet.worker.maxSteps': 'ROZET_WORKER_MAX_STEPS',
  'rozet.temperature': 'ROZET_TEMPERATURE',
  'rozet.maxParallelWorkers': 'ROZET_MAX_PARALLEL_WORKERS',
  'rozet.planner.maxTasks': 'ROZET_PLANNER_MAX_TASKS',
  'rozet.autoRun': 'ROZET_AUTO_RUN',
  'rozet.bash.approval': 'ROZET_BASH_APPROVAL',
  'rozet.bash.allowlist': 'ROZET_BASH_ALLOWLIST',
  'rozet.bash.timeoutSeconds': 'ROZET_BASH_TIMEOUT_SECONDS',
  'rozet.bash.sandbox': 'ROZET_BASH_SANDBOX',
  'rozet.bash.network': 'ROZET_BASH_NETWORK',
  'rozet.write.approval': 'ROZET_WRITE_APPROVAL',
  'rozet.saveAfterEdit': 'ROZET_SAVE_AFTER_EDIT',
  'rozet.models.exclude': 'ROZET_MODELS_EXCLUDE',
  'rozet.budget.tokensPerTask': 'ROZET_BUDGET_TOKENS_PER_TASK',
  'rozet.budget.tokensPerRun': 'ROZET_BUDGET_TOKENS_PER_RUN',
  'rozet.pricing': 'ROZET_PRICING',
  'rozet.memory.maxTokens': 'ROZET_MEMORY_MAX_TOKENS',
  'rozet.ollama.numCtx': 'ROZET_OLLAMA_NUM_CTX',
  'rozet.ollama.keepAlive': 'ROZET_OLLAMA_KEEP_ALIVE',
  'rozet.mcp.enabled': 'ROZET_MCP_ENABLED',
  'rozet.mcp.allow': 'ROZET_MCP_ALLOW',
  'rozet.mcp.configFile': 'ROZET_MCP_CONFIG_FILE',
  'rozet.mcp.timeoutSeconds': 'ROZET_MCP_TIMEOUT_SECONDS',
};

describe('config environment names', () => {
  for (const key of SETTING_KEYS) {
    it(`${key} → ${EXPECTED[key]}`, () => assert.equal(envName(key), EXPECTED[key]));
  }

  it('gives every setting a distinct name', () => {
    assert.equal(new Set(SETTING_KEYS.map(envName)).size, SETTING_KEYS.length);
  });
});

describe('config text values (environment, CLI flags)', () => {
  it('parses numbers, trimming whitespace', () => {
    assert.deepEqual(parseTextValue('rozet.maxParallelWorkers', ' 4 '), { ok: true, value: 4 });
    assert.deepEqual(parseTextValue('rozet.temperature', '0.7'), { ok: true, value: 0.7 });
    assert.deepEqual(parseTextValue('rozet.temperature', '.5'), { ok: true, value: 0.5 });
    assert.deepEqual(parseTextValue('rozet.ollama.numCtx', '3.2e4'), { ok: true, value: 32000 });
  });

  it('rejects text that only JavaScript would call a number', () => {
    for (const raw of ['four', '0x10', '1_000', 'Infinity', '4 workers', '']) {
      const parsed = parseTextValue('rozet.maxParallelWorkers', raw);
      assert.equal(parsed.ok, false, raw);
    }
  });

  it('parses booleans as true/false, 1/0 and yes/no in any case', () => {
    for (const raw of ['true', 'TRUE', '1', 'yes', ' Yes '])
      assert.deepEqual(parseTextValue('rozet.autoRun', raw), { ok: true, value: true }, raw);
    for (const raw of ['false', 'False', '0', 'no', 'NO'])
      assert.deepEqual(parseTextValue('rozet.autoRun', raw), { ok: true, value: false }, raw);
    const bad = parseTextValue('rozet.autoRun', 'on');
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? '' : bad.reason, /true\/false, 1\/0 or yes\/no/);
  });

  it('parses lists as a JSON array or a comma list', () => {
    assert.deepEqual(parseTextValue('rozet.bash.allowlist', '["npm test", "git status"]'), {
      ok: true,
      value: ['npm test', 'git status'],
    });
    assert.deepEqual(parseTextValue('rozet.bash.allowlist', 'npm test, git status ,,'), {
      ok: true,
      value: ['npm test', 'git status'],
    });
    assert.deepEqual(parseTextValue('rozet.models.exclude', '*embed*'), { ok: true, value: ['*embed*'] });
  });

  it('reports a broken JSON list instead of splitting it on commas', () => {
    const broken = parseTextValue('rozet.bash.allowlist', '["npm test",');
    assert.equal(broken.ok, false);
    assert.match(broken.ok ? '' : broken.reason, /not a valid JSON array/);
  });

  it('passes strings through trimmed', () => {
    assert.deepEqual(parseTextValue('rozet.worker.model', '  llama3.1:8b \n'), { ok: true, value: 'llama3.1:8b' });
  });
});
