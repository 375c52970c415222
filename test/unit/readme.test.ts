// The README is the user's reference for settings and commands; it must not drift from
// the manifest.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envName, SETTING_KEYS } from '../../src/config';

const root = join(__dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: Array<{ command: string }> };
};

describe('README', () => {
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
