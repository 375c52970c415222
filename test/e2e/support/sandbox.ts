// A throw-away VS Code profile: a workspace folder, a user-data-dir and an extensions-dir
// under one temp folder, so no run sees another's settings, secrets or state.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Settings every test profile starts from: nothing that opens on its own (welcome page,
 * walkthroughs, chat setup, update and telemetry prompts) may cover what a test looks at.
 * Workspace Trust is off because a fresh folder would otherwise open in Restricted Mode;
 * a test of untrusted behaviour passes `"security.workspace.trust.enabled": true`.
 */
const quietSettings: Readonly<Record<string, unknown>> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  // With AI features off the secondary side bar would open empty and take a third of the width.
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

export interface SandboxOptions {
  /** Files to create in the workspace: relative path → content. */
  files?: Record<string, string>;
  /** User settings, applied over {@link quietSettings}. */
  settings?: Record<string, unknown>;
}

export interface Sandbox {
  root: string;
  workspaceDir: string;
  userDataDir: string;
  extensionsDir: string;
  remove(): void;
}

export function createSandbox(label: string, options: SandboxOptions = {}): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `rozet-${label}-`));
  const sandbox: Sandbox = {
    root,
    workspaceDir: join(root, 'workspace'),
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
  for (const dir of [sandbox.workspaceDir, sandbox.extensionsDir]) mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(options.files ?? {})) {
    const file = join(sandbox.workspaceDir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, content);
  }
  const settingsFile = join(sandbox.userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(settingsFile), { recursive: true });
  writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  return sandbox;
}
