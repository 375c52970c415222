// What a sandboxed command must not see even read-only: the user's credentials (SSH and
// GPG keys, cloud and registry tokens, keyrings), the editor's and Rozet's own state
// (VS Code may keep secrets there when no keyring is available), and the sockets of
// daemons that would act for it with more power than it has (Docker, D-Bus, the agents
// in the user's runtime folder). A socket on a read-only mount still accepts connections,
// so hiding is the only way to take them away.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const HOME_SECRETS = [
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.kube',
  '.docker',
  '.password-store',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.yarnrc',
  '.yarnrc.yml',
  '.pypirc',
  '.cargo/credentials',
  '.cargo/credentials.toml',
  '.config/gh',
  '.config/hub',
  '.local/share/keyrings',
  'Library/Keychains',
  // Editors' state: secret storage falls back to files there without a keyring.
  '.config/Code',
  '.config/Code - OSS',
  '.config/VSCodium',
  '.config/code-server',
  '.local/share/code-server',
  '.vscode-server',
  'Library/Application Support/Code',
  // Rozet's own configuration and run state.
  '.config/rozet',
  '.local/state/rozet',
];

const DAEMON_SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/run/podman',
  '/run/containerd',
  '/run/dbus',
  '/var/run/dbus',
  '/tmp/.X11-unix',
];

export interface HiddenPaths {
  /** Existing folders, shown empty. */
  dirs: string[];
  /** Existing files and sockets, shown as an empty file. */
  files: string[];
}

/** The places to hide that exist on this machine, as real paths (a link is hidden at its target). */
export function hiddenPaths(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): HiddenPaths {
  const candidates = [
    ...HOME_SECRETS.map((p) => path.join(home, p)),
    ...(env.XDG_CONFIG_HOME ? [path.join(env.XDG_CONFIG_HOME, 'rozet')] : []),
    ...(env.XDG_STATE_HOME ? [path.join(env.XDG_STATE_HOME, 'rozet')] : []),
    ...(env.XDG_RUNTIME_DIR ? [env.XDG_RUNTIME_DIR] : []),
    ...(process.getuid ? [`/run/user/${process.getuid()}`] : []),
    ...DAEMON_SOCKETS,
  ];
  const dirs = new Set<string>();
  const files = new Set<string>();
  for (const candidate of candidates) {
    let real: string;
    let stat: fs.Stats;
    try {
      real = fs.realpathSync(candidate);
      stat = fs.statSync(real);
    } catch {
      continue;
    }
    // The root itself or a system folder is never a secret place (a misconfigured XDG variable).
    if (real === '/' || real === home) continue;
    (stat.isDirectory() ? dirs : files).add(real);
  }
  return { dirs: [...dirs], files: [...files] };
}
