import assert from 'node:assert/strict';
import {
  apiKeyEnvNames,
  effectiveBaseUrl,
  keyAllowedFor,
  normaliseBaseUrl,
  parseDotenv,
  resolveApiKey,
} from '../../src/config';

describe('config API keys', () => {
  const env = { OPENAI_API_KEY: 'sk-env' };
  const dotenvText = 'OPENAI_API_KEY=sk-dotenv\n';

  it('prefers secret storage, then the environment, then .env', () => {
    assert.deepEqual(resolveApiKey('openai', { secret: 'sk-secret', env, dotenvText }), {
      key: 'sk-secret',
      source: 'secret storage',
    });
    assert.deepEqual(resolveApiKey('openai', { env, dotenvText }), {
      key: 'sk-env',
      source: 'environment',
      variable: 'OPENAI_API_KEY',
    });
    assert.deepEqual(resolveApiKey('openai', { dotenvText }), {
      key: 'sk-dotenv',
      source: '.env',
      variable: 'OPENAI_API_KEY',
    });
    assert.deepEqual(resolveApiKey('openai', {}), {});
  });

  it('trims whitespace around keys and treats a blank key as absent', () => {
    assert.equal(resolveApiKey('openai', { secret: '  sk-secret\n' }).key, 'sk-secret');
    assert.deepEqual(resolveApiKey('openai', { secret: ' \n', env: { OPENAI_API_KEY: '\tsk-env  ' } }), {
      key: 'sk-env',
      source: 'environment',
      variable: 'OPENAI_API_KEY',
    });
    assert.deepEqual(
      resolveApiKey('openai', { env: { OPENAI_API_KEY: '' }, dotenvText: 'OPENAI_API_KEY="  sk-quoted  "' }),
      {
        key: 'sk-quoted',
        source: '.env',
        variable: 'OPENAI_API_KEY',
      },
    );
    assert.deepEqual(
      resolveApiKey('openai', { secret: '', env: { OPENAI_API_KEY: '   ' }, dotenvText: 'OPENAI_API_KEY=' }),
      {},
    );
  });

  it('uses each provider’s own variables, Gemini also GOOGLE_API_KEY', () => {
    assert.deepEqual(apiKeyEnvNames('openai'), ['OPENAI_API_KEY']);
    assert.deepEqual(apiKeyEnvNames('openrouter'), ['OPENROUTER_API_KEY']);
    assert.deepEqual(apiKeyEnvNames('anthropic'), ['ANTHROPIC_API_KEY']);
    assert.deepEqual(apiKeyEnvNames('gemini'), ['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    assert.deepEqual(apiKeyEnvNames('openaiCompatible'), ['OPENAI_COMPATIBLE_API_KEY']);
    assert.deepEqual(apiKeyEnvNames('ollama'), ['OLLAMA_API_KEY']);
    assert.deepEqual(resolveApiKey('gemini', { env: { GOOGLE_API_KEY: 'g' } }), {
      key: 'g',
      source: 'environment',
      variable: 'GOOGLE_API_KEY',
    });
    assert.equal(resolveApiKey('gemini', { env: { GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'gm' } }).key, 'gm');
    // Another provider's key is never picked up.
    assert.deepEqual(resolveApiKey('anthropic', { env: { OPENAI_API_KEY: 'sk' } }), {});
  });

  it('reads a .env with junk lines without failing', () => {
    const text = [
      '# comment',
      'this is not an assignment',
      '=no-name',
      'export OPENROUTER_API_KEY=sk-or-1 # trailing comment',
      '\u0000\u0001 binary junk',
      'ANTHROPIC_API_KEY',
      'GEMINI_API_KEY = spaced ',
    ].join('\n');
    const vars = parseDotenv(text);
    assert.equal(vars.OPENROUTER_API_KEY, 'sk-or-1');
    assert.equal(vars.GEMINI_API_KEY, 'spaced');
    assert.equal(vars.ANTHROPIC_API_KEY, undefined);
    assert.deepEqual(resolveApiKey('openrouter', { dotenvText: text }), {
      key: 'sk-or-1',
      source: '.env',
      variable: 'OPENROUTER_API_KEY',
    });
    assert.deepEqual(resolveApiKey('anthropic', { dotenvText: text }), {});
  });
});

describe('config key ↔ base URL binding', () => {
  it('allows the same URL up to case, default port, trailing slash, query and fragment', () => {
    assert.equal(keyAllowedFor('https://openrouter.ai/api/v1', 'https://openrouter.ai/api/v1'), true);
    assert.equal(keyAllowedFor('https://openrouter.ai/api/v1', ' HTTPS://OpenRouter.AI:443/api/v1/ '), true);
    assert.equal(keyAllowedFor('http://127.0.0.1:11434', 'http://127.0.0.1:11434/'), true);
    assert.equal(keyAllowedFor('https://api.openai.com/v1', 'https://api.openai.com/v1?x=1#frag'), true);
  });

  it('refuses another host, scheme, port or path', () => {
    const stored = 'https://openrouter.ai/api/v1';
    for (const other of [
      'https://evil.example/api/v1',
      'https://openrouter.ai.evil.example/api/v1',
      'http://openrouter.ai/api/v1',
      'https://openrouter.ai:8443/api/v1',
      'https://openrouter.ai/api/v2',
      'https://openrouter.ai/api/v1/proxy',
      'https://openrouter.ai/API/v1',
    ]) {
      assert.equal(keyAllowedFor(stored, other), false, other);
    }
  });

  it('fails closed on unusable URLs, including a key stored without one', () => {
    assert.equal(keyAllowedFor('', ''), false);
    assert.equal(keyAllowedFor('', 'https://api.openai.com/v1'), false);
    assert.equal(keyAllowedFor('https://api.openai.com/v1', 'not a url'), false);
    assert.equal(keyAllowedFor('https://u:p@api.openai.com/v1', 'https://u:p@api.openai.com/v1'), false);
    assert.equal(normaliseBaseUrl('file:///etc/passwd'), undefined);
  });

  it('binds against the effective URL, so an empty setting means the provider’s own', () => {
    assert.equal(effectiveBaseUrl('openrouter', ''), 'https://openrouter.ai/api/v1');
    assert.equal(effectiveBaseUrl('ollama', '  '), 'http://127.0.0.1:11434');
    assert.equal(effectiveBaseUrl('openaiCompatible', ''), undefined);
    assert.equal(effectiveBaseUrl('openai', ' https://gw.example/v1 '), 'https://gw.example/v1');
    assert.equal(keyAllowedFor('https://openrouter.ai/api/v1/', effectiveBaseUrl('openrouter', '') ?? ''), true);
  });
});
