// Bundle and .vsix size: builds the production bundles (`node esbuild.mjs --production`,
// as `npm run package` does) and reports each bundle raw and gzipped, and the packaged
// rozet.vsix with its largest entries. The .vsix itself is not rebuilt here (vsce takes
// a while); its age is reported so a stale one is visible.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readZipEntries } from '../test/support/zip-entries';
import { round } from './support';

const repoRoot = path.join(__dirname, '..');
const KiB = 1024;

export async function benchSizes(): Promise<Record<string, unknown>> {
  execFileSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, stdio: 'ignore' });
  const bundles = fs
    .readdirSync(path.join(repoRoot, 'dist'))
    .filter((name) => name.endsWith('.js'))
    .map((name) => {
      const bytes = fs.readFileSync(path.join(repoRoot, 'dist', name));
      return {
        bundle: `dist/${name}`,
        KiB: round(bytes.length / KiB, 1),
        gzipKiB: round(gzipSync(bytes).length / KiB, 1),
      };
    });
  const vsixPath = path.join(repoRoot, 'rozet.vsix');
  if (!fs.existsSync(vsixPath)) return { bundles, vsix: 'rozet.vsix is missing: run `npm run package`' };
  const entries = await readZipEntries(vsixPath);
  const largest = [...entries]
    .sort((a, b) => b.bytes.length - a.bytes.length)
    .slice(0, 5)
    .map((e) => ({ entry: e.name, KiB: round(e.bytes.length / KiB, 1) }));
  const stat = fs.statSync(vsixPath);
  return {
    bundles,
    vsix: {
      KiB: round(stat.size / KiB, 1),
      entries: entries.length,
      builtAt: stat.mtime.toISOString(),
      unpackedKiB: round(entries.reduce((n, e) => n + e.bytes.length, 0) / KiB, 1),
    },
    largestVsixEntries: largest,
  };
}
