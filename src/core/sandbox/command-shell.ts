// The shell a run's workers get, in both hosts: sandboxed where the settings and the
// machine allow, refusing every command when a sandbox is required and missing, and
// saying which of these applies with the run's first command.
import * as fs from 'node:fs';
import { NodeShell, withoutSecrets } from '../workspace/node-shell';
import { confinementFor, type Confinement, type SandboxAvailability, type SandboxSettings } from './confinement';
import { detectSandbox } from './detect-sandbox';
import { createSandbox } from './launch';

/** How commands would be confined here with these settings (detection runs once per process). */
export async function currentConfinement(
  settings: SandboxSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Confinement> {
  return (await inspect(settings, env)).confinement;
}

export async function createCommandShell(
  root: string,
  settings: SandboxSettings,
  env: NodeJS.ProcessEnv = process.env,
): Promise<NodeShell> {
  const { available, confinement } = await inspect(settings, env);
  // Mounts need the real path: a workspace reached through a link is mounted where it is.
  const real = fs.realpathSync(root);
  const sandbox =
    confinement.sandboxed && available?.program && available.kind !== 'none'
      ? createSandbox(available.kind, available.program, confinement.network)
      : undefined;
  return new NodeShell(real, {
    env: withoutSecrets(env),
    sandbox,
    refusal: confinement.refusal,
    confinement: confinement.note,
  });
}

async function inspect(
  settings: SandboxSettings,
  env: NodeJS.ProcessEnv,
): Promise<{ available?: SandboxAvailability; confinement: Confinement }> {
  const available = settings.sandbox === 'off' ? undefined : await detectSandbox(env);
  return { available, confinement: confinementFor(settings, available) };
}
