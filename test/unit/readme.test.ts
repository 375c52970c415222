// The README is the user's reference for settings and commands; it must not drift from
// the manifest.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { helpText } from '../../src/cli/args';
import { apiKeyEnvNames, envName, SETTING_KEYS } from '../../src/config';
import { PROVIDER_NAMES } from '../../src/core/model/chat';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};

/** `env.NAME`, `env['NAME']` and quoted proxy names: every variable the sources read by name. */
function variablesReadBySources(dir: string): Set<string> {
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
    for (const m of text.matchAll(
      // `vscode.env.appRoot` and the like are VS Code's, not the environment's.
      /(?<!vscode\.)\benv\??\.([A-Za-z_][A-Za-z0-9_]*)|\benv\??\.?\[['"]([A-Za-z_][A-Za-z0-9_]*)['"]\]/g,
    ))
      found.add(m[1] ?? m[2]);
    for (const m of text.matchAll(/['"]((?:HTTPS?|ALL|NO)_PROXY)['"]/gi)) found.add(m[1].toUpperCase());
  }
  return found;
}

describe('README', () => {
  it('documents every environment variable the code reads, and the exit codes (as --help does)', () => {
    const names = new Set([...variablesReadBySources(join(root, 'src')), ...PROVIDER_NAMES.flatMap(apiKeyEnvNames)]);
    assert.ok(names.has('NO_COLOR') && names.has('OLLAMA_API_KEY'), `the scan works: ${[...names].join(', ')}`);
    const missing = [...names].filter((name) => !readme.includes(`\`${name}\``));
    assert.deepEqual(missing, [], `README lacks: ${missing.join(', ')}`);
    for (const code of ['0', '1', '2', '3', '4', '130']) {
      assert.match(readme, new RegExp(`^\\| ${code} \\|`, 'm'), `README exit code ${code}`);
      assert.match(helpText(undefined), new RegExp(`^  ${code} +\\S`, 'm'), `--help exit code ${code}`);
    }
  });

  it('documents every setting with its environment variable', () => {
    const missing = SETTING_KEYS.filter(
      (key) => !readme.includes(`\`${key}\``) || !readme.includes(`\`${envName(key)}\``),
    );
    assert.deepEqual(missing, [], `README lacks: ${missing.join(', ')}`);
  });

  it('documents every command id', () => {
    const missing = manifest.contributes.commands.map((c) => c.command).filter((id) => !readme.includes(`\`${id}\``));
    assert.deepEqual(missing, [], `README lacks: ${missing.join(', ')}`);
  });

  it('starts with the two commands for a fresh machine', () => {
    const firstBlock = readme.split('```')[1] ?? '';
    assert.match(firstBlock, /npm ci && npm run build && node dist\/cli\.js plan/, 'the set-up-and-run command');
    assert.match(firstBlock, /bash \.ci\/run/, 'the test command');
  });
});
