// One command line (argv) turned into the program to spawn so that it runs sandboxed:
// bwrap with its mount list on Linux, sandbox-exec with a profile on macOS.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bwrapArgs, type SandboxLayout } from './bwrap';
import { hiddenPaths, type HiddenPaths } from './hidden-paths';
import { seatbeltProfile } from './seatbelt';

export interface Sandbox {
  kind: 'bubblewrap' | 'seatbelt';
  /** The bwrap or sandbox-exec binary. */
  program: string;
  network: boolean;
  hidden: HiddenPaths;
}

export function createSandbox(kind: Sandbox['kind'], program: string, network: boolean): Sandbox {
  return { kind, program, network, hidden: hiddenPaths() };
}

/**
 * Protected paths as real paths a mount can cover: a link is covered where it leads; a
 * dangling link, or one leading out of the workspace (already read-only), needs nothing.
 */
function mountable(root: string, relative: readonly string[]): string[] {
  const out = new Set<string>();
  for (const rel of relative) {
    try {
      const real = fs.realpathSync(path.join(root, rel));
      if (real.startsWith(root + path.sep)) out.add(real);
    } catch {
      // Gone or dangling: nothing to mount.
    }
  }
  return [...out];
}

export interface SandboxedSpawn {
  file: string;
  args: string[];
  /** Variables to change in the command's environment. */
  env: NodeJS.ProcessEnv;
}

export function sandboxedSpawn(
  sandbox: Sandbox,
  where: { root: string; cwd: string; readOnly: readonly string[] },
  argv: readonly string[],
): SandboxedSpawn {
  const layout: SandboxLayout = {
    root: where.root,
    cwd: where.cwd,
    readOnly: mountable(where.root, where.readOnly),
    hidden: sandbox.hidden,
    network: sandbox.network,
  };
  if (sandbox.kind === 'bubblewrap') {
    // The sandbox's /tmp is its own; a TMPDIR elsewhere would be read-only in there.
    return { file: sandbox.program, args: bwrapArgs(layout, argv), env: { TMPDIR: '/tmp' } };
  }
  const temp = [fs.realpathSync(os.tmpdir()), '/private/tmp'];
  return { file: sandbox.program, args: ['-p', seatbeltProfile(layout, temp), ...argv], env: {} };
}
