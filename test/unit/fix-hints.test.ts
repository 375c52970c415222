// One fix, worded for each host: the CLI names flags and environment variables, VS Code
// names its commands and settings. Every kind of fix, both hosts.
import assert from 'node:assert/strict';
import { fixSentence, settingRef } from '../../src/config/fix-hints';
import type { Fix } from '../../src/core/model/fix';

const CASES: Array<[Fix, cli: RegExp, vscode: RegExp]> = [
  [
    { kind: 'apiKey', provider: 'openaiCompatible' },
    /^Set OPENAI_COMPATIBLE_API_KEY in the environment or the workspace \.env\.$/,
    /^Run "Rozet: Set API Key" \(or set OPENAI_COMPATIBLE_API_KEY\)\.$/,
  ],
  [{ kind: 'apiKey', provider: 'gemini' }, /^Set GEMINI_API_KEY \(or GOOGLE_API_KEY\)/, /Rozet: Set API Key/],
  [{ kind: 'apiKey', provider: 'ollama' }, /^Set OLLAMA_API_KEY/, /Rozet: Set API Key.*OLLAMA_API_KEY/],
  [
    { kind: 'model', role: 'worker' },
    /^Pick another model with --worker-model ID or ROZET_WORKER_MODEL\.$/,
    /^Pick another model with "Rozet: Switch Model"\.$/,
  ],
  [{ kind: 'model', role: 'orchestrator' }, /--model ID or ROZET_ORCHESTRATOR_MODEL/, /Rozet: Switch Model/],
  [
    { kind: 'setting', key: 'rozet.orchestrator.baseUrl' },
    /^Set rozet\.orchestrator\.baseUrl \(--base-url URL or ROZET_ORCHESTRATOR_BASE_URL\)\.$/,
    /^Set rozet\.orchestrator\.baseUrl in the settings\.$/,
  ],
  [
    { kind: 'setting', key: 'rozet.orchestrator.idleTimeoutSeconds' },
    /--set orchestrator\.idleTimeoutSeconds=N or ROZET_ORCHESTRATOR_IDLE_TIMEOUT_SECONDS/,
    /rozet\.orchestrator\.idleTimeoutSeconds in the settings/,
  ],
  [{ kind: 'healthCheck' }, /^Run `rozet health` for details\.$/, /^Run "Rozet: Health Check" for details\.$/],
];

describe('fix hints per host', () => {
  for (const [fix, cli, vscode] of CASES) {
    it(`${JSON.stringify(fix)}`, () => {
      assert.match(fixSentence(fix, 'cli'), cli);
      assert.doesNotMatch(fixSentence(fix, 'cli'), /Rozet: /, 'a VS Code command in the terminal');
      assert.match(fixSentence(fix, 'vscode'), vscode);
    });
  }

  it('a setting named in a sentence: plain in VS Code, with its flag or variable in the CLI', () => {
    assert.equal(settingRef('rozet.maxParallelWorkers', 'vscode'), 'rozet.maxParallelWorkers');
    assert.equal(
      settingRef('rozet.maxParallelWorkers', 'cli'),
      'rozet.maxParallelWorkers (--max-parallel-workers N or ROZET_MAX_PARALLEL_WORKERS)',
    );
  });
});
