// Builds what the tests load: the extension bundle (dist/), and for e2e the packaged .vsix.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './paths';

/** `node esbuild.mjs`: dist/extension.js and dist/webview.js as the extension host loads them. */
export function buildExtension(): void {
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
}

/** `npm run package`: the production build packed into rozet.vsix, as users install it. */
export function packageVsix(): string {
  execFileSync('npm', ['run', '--silent', 'package'], { cwd: repoRoot, stdio: 'inherit' });
  return join(repoRoot, 'rozet.vsix');
}
