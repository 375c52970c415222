// Checks the packaged extension itself (run by .ci/run after `npm run package`; needs
// rozet.vsix): it ships only what .vscodeignore allows, everything it needs, and no key —
// neither a key the tests use nor anything shaped like one, nor a .env file.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readZipEntries } from '../support/zip-entries';

const REPO = path.resolve(__dirname, '..', '..');
const VSIX = path.resolve(process.env.ROZET_VSIX ?? path.join(REPO, 'rozet.vsix'));
const KEY_SHAPED = /\bsk-(?:or-v1-|ant-(?:api\d+-)?|proj-)?[A-Za-z0-9_-]{20,}|\bAIza[0-9A-Za-z_-]{30,}/;

const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme|changelog)\.md$/i,
  /^extension\/LICENSE(\.txt)?$/,
  /^extension\/dist\/(extension|runtime|webview|graph|cli)\.js$/,
  /^extension\/media\/(icon\.png|rozet\.svg)$/,
];
const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/runtime.js',
  'extension/dist/webview.js',
  'extension/dist/graph.js',
  'extension/dist/cli.js',
  'extension/media/icon.png',
];

describe('the packaged .vsix', () => {
  let entries: Array<{ name: string; bytes: Buffer }>;

  before(async () => {
    assert.ok(fs.existsSync(VSIX), `${VSIX} is missing: run \`npm run package\` first`);
    entries = await readZipEntries(VSIX);
  });

  it('ships only what .vscodeignore allows, and everything the extension needs', () => {
    const names = entries.map((e) => e.name);
    assert.deepEqual(
      names.filter((n) => !ALLOWED.some((re) => re.test(n))),
      [],
      'files .vscodeignore should keep out',
    );
    assert.deepEqual(
      REQUIRED.filter((n) => !names.includes(n)),
      [],
      'files the extension needs',
    );
  });

  it('holds no key, no key-shaped token, no test key and no .env file', () => {
    // Keys used anywhere in the tests must not have been packaged with them.
    const testKeys = new Set<string>();
    for (const dir of ['test/unit', 'test/support', 'test/host', 'test/e2e']) {
      for (const name of fs
        .readdirSync(path.join(REPO, dir), { recursive: true })
        .map(String)
        .filter((n) => n.endsWith('.ts'))) {
        for (const m of fs
          .readFileSync(path.join(REPO, dir, name), 'utf8')
          .matchAll(/sk-[A-Za-z0-9-]{16,}|AIza[0-9A-Za-z_-]{20,}/g))
          testKeys.add(m[0]);
      }
    }
    assert.ok(testKeys.size > 3, 'found the test keys to look for');
    let scanned = 0;
    for (const entry of entries) {
      assert.doesNotMatch(entry.name, /(^|\/)\.env/, `${entry.name} is a .env file`);
      if (entry.name.endsWith('.png')) continue;
      const text = entry.bytes.toString('utf8');
      for (const key of testKeys)
        assert.ok(!text.includes(key), `${entry.name} contains the test key ${key.slice(0, 12)}…`);
      assert.equal(KEY_SHAPED.exec(text)?.[0], undefined, `${entry.name} contains a key-shaped token`);
      scanned++;
    }
    console.log(
      `      vsix: ${entries.length} entries, ${scanned} text entries scanned, ${testKeys.size} test keys looked for, none found`,
    );
  });
});
