// Whether this machine can sandbox commands, found once per process (per PATH): the tool
// must be there AND work. bubblewrap can be installed and still fail (no unprivileged user
// namespaces, a container without the right capabilities, an AppArmor rule), so a trivial
// command is run in exactly the sandbox real commands get; its error is kept to be shown.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bwrapArgs } from './bwrap';
import type { SandboxAvailability } from './confinement';
import { seatbeltProfile } from './seatbelt';

const TRIAL_TIMEOUT_MS = 15_000;
const SANDBOX_EXEC = '/usr/bin/sandbox-exec';

const found = new Map<string, Promise<SandboxAvailability>>();

export function detectSandbox(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<SandboxAvailability> {
  const key = `${platform}\0${env.PATH ?? ''}`;
  let detection = found.get(key);
  if (!detection) {
    detection = detect(env, platform);
    found.set(key, detection);
  }
  return detection;
}

async function detect(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): Promise<SandboxAvailability> {
  const root = fs.realpathSync(os.tmpdir());
  const layout = { root, readOnly: [], hidden: { dirs: [], files: [] }, network: false, cwd: root };
  if (platform === 'linux') {
    const bwrap = onPath('bwrap', env.PATH);
    if (!bwrap) return { kind: 'none', problem: 'bubblewrap (bwrap) is not installed or not on PATH' };
    const failure = await trial(bwrap, bwrapArgs(layout, ['/bin/sh', '-c', ':']), env);
    return failure
      ? { kind: 'none', program: bwrap, problem: `${bwrap} is installed but does not work here: ${failure}` }
      : { kind: 'bubblewrap', program: bwrap };
  }
  if (platform === 'darwin') {
    if (!fs.existsSync(SANDBOX_EXEC)) return { kind: 'none', problem: `${SANDBOX_EXEC} is missing` };
    const failure = await trial(SANDBOX_EXEC, ['-p', seatbeltProfile(layout, [root]), '/bin/sh', '-c', ':'], env);
    return failure
      ? { kind: 'none', program: SANDBOX_EXEC, problem: `${SANDBOX_EXEC} does not work here: ${failure}` }
      : { kind: 'seatbelt', program: SANDBOX_EXEC };
  }
  return { kind: 'none', problem: `no sandbox is supported on ${platform}` };
}

function onPath(name: string, searchPath: string | undefined): string | undefined {
  for (const dir of (searchPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/** Undefined when the trial command succeeded; otherwise what went wrong, in the tool's own words. */
function trial(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(program, args, { env, timeout: TRIAL_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error) return resolve(undefined);
      const said = `${stderr}${stdout}`.trim().split('\n').slice(0, 3).join(' ');
      resolve(said || error.message);
    });
  });
}
