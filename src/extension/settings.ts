// Reads Rozet's settings the way VS Code holds them (every scope, via inspect()) plus the
// workspace's .rozet.yaml and .env, and hands them to the one resolver in src/config.
import * as vscode from 'vscode';
import {
  MAX_CONFIG_FILE_BYTES,
  resolveConfig,
  SETTING_KEYS,
  YAML_FILE,
  DOTENV_FILE,
  type ExplicitValue,
  type ResolvedConfig,
  type SettingKey,
} from '../config';

export interface HostConfig {
  resolved: ResolvedConfig;
  dotenvText?: string;
}

export async function readHostConfig(): Promise<HostConfig> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const [yamlText, dotenvText] = folder
    ? await Promise.all([readOptional(folder.uri, YAML_FILE), readOptional(folder.uri, DOTENV_FILE)])
    : [];
  const configuration = vscode.workspace.getConfiguration();
  const explicit: Partial<Record<SettingKey, ExplicitValue[]>> = {};
  for (const key of SETTING_KEYS) {
    const inspected = configuration.inspect(key);
    if (!inspected) continue;
    const values: ExplicitValue[] = [];
    if (inspected.globalValue !== undefined) values.push({ value: inspected.globalValue, scope: 'user' });
    if (inspected.workspaceValue !== undefined) values.push({ value: inspected.workspaceValue, scope: 'workspace' });
    if (inspected.workspaceFolderValue !== undefined)
      values.push({ value: inspected.workspaceFolderValue, scope: 'workspaceFolder' });
    if (values.length) explicit[key] = values;
  }
  return { resolved: resolveConfig({ explicit, env: process.env, yamlText, dotenvText }), dotenvText };
}

/** Whether a change event touched anything Rozet reads from VS Code settings. */
export function affectsRozet(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration('rozet');
}

async function readOptional(folder: vscode.Uri, name: string): Promise<string | undefined> {
  try {
    const uri = vscode.Uri.joinPath(folder, name);
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_CONFIG_FILE_BYTES) return undefined;
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
