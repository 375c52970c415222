// How commands are confined, from the two power settings and what the machine offers:
// rozet.bash.sandbox (auto: use a sandbox where there is one; required: refuse commands
// without one; off) and rozet.bash.network (off | on, inside the sandbox). The summary
// is what `rozet health`, `rozet config`, the VS Code Health Check and Show Configuration
// and the first command of a run say, so the user always knows which regime applies.

export type SandboxMode = 'auto' | 'required' | 'off';
export type NetworkMode = 'off' | 'on';

export interface SandboxSettings {
  sandbox: SandboxMode;
  network: NetworkMode;
}

/** What this machine offers, found once per process (detect-sandbox.ts). */
export interface SandboxAvailability {
  kind: 'bubblewrap' | 'seatbelt' | 'none';
  /** The program found (bwrap, sandbox-exec). */
  program?: string;
  /** Why there is no usable sandbox: not installed, or the error of a trial run. */
  problem?: string;
}

export interface Confinement {
  sandboxed: boolean;
  /** Whether commands can reach the network (always true without a sandbox). */
  network: boolean;
  /** Set when commands must be refused, with the reason and how to install a sandbox. */
  refusal?: string;
  /** One paragraph for health and config: what applies, why, and how to change it. */
  summary: string;
  /** One short line for the first command of a run, read by the model and in one-line summaries. */
  note: string;
}

const NAMES = { bubblewrap: 'bubblewrap', seatbelt: 'macOS Seatbelt (sandbox-exec)' } as const;

export function confinementFor(
  settings: SandboxSettings,
  available: SandboxAvailability | undefined,
  platform: NodeJS.Platform = process.platform,
): Confinement {
  if (settings.sandbox === 'off')
    return {
      sandboxed: false,
      network: true,
      summary:
        'Commands run without a sandbox (rozet.bash.sandbox = off), with your own permissions: approvals are the only guard.',
      note: "Not sandboxed (rozet.bash.sandbox = off): commands run with the user's own permissions.",
    };
  if (available && available.kind !== 'none') {
    const network =
      settings.network === 'on' ? 'network allowed (rozet.bash.network = on)' : 'no network (rozet.bash.network = off)';
    return {
      sandboxed: true,
      network: settings.network === 'on',
      note: `Sandboxed (${available.kind}): the workspace is writable except protected paths, the rest read-only, ${network}.`,
      summary:
        `Commands run in a ${NAMES[available.kind]} sandbox: the workspace writable except protected paths, ` +
        `the rest of the file system read-only, secrets' folders hidden, their own processes only, ${network}.`,
    };
  }
  const why = available?.problem ?? 'no sandbox was found';
  if (settings.sandbox === 'required')
    return {
      sandboxed: false,
      network: true,
      refusal:
        `Command not run: rozet.bash.sandbox is "required", but no sandbox is available (${why}). ` +
        `${installHint(platform)} Or set rozet.bash.sandbox to "auto" in your user settings ` +
        `(or ROZET_BASH_SANDBOX=auto) to run commands without one.`,
      summary: `Commands are refused: rozet.bash.sandbox is "required" and no sandbox is available (${why}). ${installHint(platform)}`,
      note: 'Commands are refused: a sandbox is required and there is none.',
    };
  return {
    sandboxed: false,
    network: true,
    summary:
      `Commands run without a sandbox (${why}), with your own permissions: approvals are the only guard, ` +
      `and the protected-path check on command text is best effort. ${installHint(platform)}`,
    note: `Not sandboxed (${why}): commands run with the user's own permissions.`,
  };
}

export function installHint(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return (
        'To sandbox commands, install bubblewrap (Debian/Ubuntu: sudo apt-get install bubblewrap; ' +
        'Fedora: sudo dnf install bubblewrap) and make sure user namespaces are allowed.'
      );
    case 'darwin':
      return 'macOS ships sandbox-exec in /usr/bin; Rozet could not use it.';
    default:
      return 'Rozet has no sandbox for this system (bubblewrap on Linux and Seatbelt on macOS are supported).';
  }
}
