// Shared by host tests (bundled into each test file that imports it).
import * as vscode from 'vscode';
import type { RunEvent, RunSummary } from '../../src/core/run/events';
import type { Plan } from '../../src/core/plan/plan';
import type { RozetApi } from '../../src/extension/extension';
import { uiBridgeEnv, type UiAction } from './results';
import {
  startModelServer,
  type AgentRule,
  type ModelServer,
  type RecordedRequest,
  type Scenario,
} from '../support/model-server';

/** Rozet's id in the extension host: `publisher.name` from package.json. */
export const extensionId = 'rozet.rozet';

export function rozetExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not loaded in this extension host`);
  return extension;
}

/** The programmatic API (activates Rozet if nothing has yet). */
export async function rozetApi(): Promise<RozetApi> {
  return (await rozetExtension().activate()) as RozetApi;
}

/** Polls `condition` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function workspaceFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the host test window has no workspace folder');
  return folder.uri;
}

export function fileUri(relativePath: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceFolder(), ...relativePath.split('/'));
}

export async function readText(relativePath: string): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(fileUri(relativePath)));
}

export async function writeText(relativePath: string, text: string): Promise<vscode.Uri> {
  const uri = fileUri(relativePath);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  return uri;
}

/**
 * Sets user (global) settings, as a user would in settings.json — the only scope the
 * power-granting ones (rozet.bash.approval, rozet.autoRun) are read from. Returns a
 * function that puts the previous values back.
 */
export async function setUserSettings(values: Record<string, unknown>): Promise<() => Promise<void>> {
  const configuration = vscode.workspace.getConfiguration();
  const previous = Object.keys(values).map((key) => [key, configuration.inspect(key)?.globalValue] as const);
  for (const [key, value] of Object.entries(values))
    await configuration.update(key, value, vscode.ConfigurationTarget.Global);
  return async () => {
    for (const [key, value] of previous)
      await vscode.workspace.getConfiguration().update(key, value, vscode.ConfigurationTarget.Global);
  };
}

/** The settings that point both roles at a scripted server's OpenAI-compatible endpoint. */
export function scriptedModelSettings(server: ModelServer): Record<string, unknown> {
  return {
    'rozet.orchestrator.provider': 'openaiCompatible',
    'rozet.orchestrator.baseUrl': `${server.url}/v1`,
    'rozet.orchestrator.model': 'scripted-planner',
    'rozet.worker.provider': 'openaiCompatible',
    'rozet.worker.baseUrl': `${server.url}/v1`,
    'rozet.worker.model': 'scripted-worker',
    // Tests script every reply: nothing waits on a slow model.
    'rozet.worker.idleTimeoutSeconds': 10,
    'rozet.orchestrator.idleTimeoutSeconds': 10,
    'rozet.maxParallelWorkers': 1,
  };
}

export interface ScriptedModels {
  server: ModelServer;
  /** Closes the server and restores the settings. */
  dispose(): Promise<void>;
}

const HEALTH_CHECK_ANSWERS: AgentRule[] = [
  {
    match: 'Call the report_health tool',
    hasTools: true,
    steps: [{ kind: 'tools', calls: [{ name: 'report_health', arguments: { ok: true } }] }],
  },
  { match: 'Reply with the single word OK', hasTools: false, steps: [{ kind: 'text', text: 'OK' }] },
];

/**
 * A scripted model server (test/support/model-server.ts) in this extension host, with
 * both roles' settings pointing at it. Call in `before`, dispose in `after`.
 */
export async function useScriptedModels(
  scenario: Scenario = {},
  extraSettings: Record<string, unknown> = {},
): Promise<ScriptedModels> {
  // The configured models exist and answer the health check's test chat and tool call, so it passes.
  const server = await startModelServer({
    scenario: {
      models: ['scripted-planner', 'scripted-worker'],
      ...scenario,
      agent: [...(scenario.agent ?? []), ...HEALTH_CHECK_ANSWERS],
    },
  });
  const restore = await setUserSettings({ ...scriptedModelSettings(server), ...extraSettings });
  return {
    server,
    dispose: async () => {
      await restore();
      await server.close();
    },
  };
}

/** A one-task plan whose title the scripted worker rule matches. */
export function oneTaskPlan(title: string, files: string[] = []): Plan {
  return { tasks: [{ id: 't1', title, description: `${title}.`, dependsOn: [], files }] };
}

export interface FinishedRun {
  summary: RunSummary;
  events: RunEvent[];
}

/** Runs a plan through the API and collects its events until it finishes. */
export async function runPlan(plan: Plan, onEvent?: (event: RunEvent) => void): Promise<FinishedRun> {
  const handle = await (await rozetApi()).run(plan);
  const events: RunEvent[] = [];
  const subscription = handle.onEvent((event) => {
    events.push(event);
    onEvent?.(event);
  });
  try {
    return { summary: await handle.done, events };
  } finally {
    subscription.dispose();
  }
}

/** Tool results of a run, in order. */
export function toolResults(
  events: readonly RunEvent[],
): Array<Extract<RunEvent, { type: 'task.toolResult' }>['record']> {
  return events.flatMap((event) => (event.type === 'task.toolResult' ? [event.record] : []));
}

/** The chat requests a worker (a request offering tools) sent whose prompt names `title`. */
export function workerRequests(server: ModelServer, title: string): RecordedRequest[] {
  return server.requests.filter((request) => {
    const body = request.body as { messages?: Array<{ content?: unknown }>; tools?: unknown[] } | undefined;
    return (
      request.route === 'openai.chat' &&
      (body?.tools?.length ?? 0) > 0 &&
      JSON.stringify(body?.messages ?? []).includes(title)
    );
  });
}

/** The content of the tool-result messages in a recorded OpenAI chat request. */
export function toolMessages(request: RecordedRequest): string[] {
  const body = request.body as { messages?: Array<{ role?: string; content?: unknown }> };
  return (body.messages ?? [])
    .filter((m) => m.role === 'tool')
    .map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content)));
}

/**
 * Reverts every unsaved document and closes all editors: closing a dirty editor would
 * otherwise ask "Save?" in a dialog no one answers.
 */
export async function revertAndCloseAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments.filter((d) => d.isDirty && !d.isUntitled)) {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

/** Whether a driver can press buttons in the browser for this host (code-server: yes). */
export function hasUiBridge(): boolean {
  return Boolean(process.env[uiBridgeEnv]);
}

/**
 * Has the driver do in the real workbench what a person would: click a modal dialog's
 * button, or type into the open input box and press Enter. It waits for the element.
 */
export async function ui(action: UiAction): Promise<void> {
  const url = process.env[uiBridgeEnv];
  if (!url) throw new Error(`${uiBridgeEnv} is not set: this driver cannot click in the workbench`);
  const response = await fetch(url, { method: 'POST', body: JSON.stringify(action) });
  if (!response.ok) throw new Error(`UI bridge: ${response.status} ${await response.text()}`);
}

export async function exists(relativePath: string): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(fileUri(relativePath));
    return true;
  } catch {
    return false;
  }
}
