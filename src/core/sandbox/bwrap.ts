// The bubblewrap (Linux) command line for one sandboxed command. The whole file system is
// mounted read-only, with a fresh /dev, a private /tmp (tools need one; what is written
// there vanishes with the command), the secret places hidden, the workspace writable and
// its protected paths mounted read-only again on top. The command gets its own PID, IPC
// (and, unless the network is on, network) namespaces with a /proc of its own, so no
// other process — Rozet included — can be seen, signalled or read. Every capability is
// dropped: run as root, bubblewrap would otherwise keep them, and a command could simply
// remount / read-write.
import type { HiddenPaths } from './hidden-paths';

export interface SandboxLayout {
  /** Real path of the workspace root. */
  root: string;
  /** Absolute paths inside the root to mount read-only (they exist). */
  readOnly: readonly string[];
  hidden: HiddenPaths;
  network: boolean;
  /** Where the command starts (inside the root). */
  cwd: string;
}

export function bwrapArgs(layout: SandboxLayout, argv: readonly string[]): string[] {
  const args = [
    '--die-with-parent',
    // A command cannot push keystrokes into the terminal Rozet runs in (TIOCSTI).
    '--new-session',
    '--unshare-pid',
    '--unshare-ipc',
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
  ];
  if (!layout.network) args.push('--unshare-net');
  for (const dir of layout.hidden.dirs) args.push('--tmpfs', dir);
  for (const file of layout.hidden.files) args.push('--ro-bind', '/dev/null', file);
  args.push('--bind', layout.root, layout.root);
  // -try: a protected path deleted since the scan must not stop the command from starting.
  for (const p of layout.readOnly) args.push('--ro-bind-try', p, p);
  args.push('--chdir', layout.cwd, '--', ...argv);
  return args;
}
