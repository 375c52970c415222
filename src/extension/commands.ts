// The command palette surface; its ids are public
// (docs/ARCHITECTURE.md, "Commands and views"). Each handler gathers input the VS Code
// way (input boxes, quick picks) and hands the work to the conversation or the service.
import * as vscode from 'vscode';
import {
  describeConfig,
  effectiveBaseUrl,
  resolveApiKey,
  sandboxSettingsFromConfig,
  type ApiKeySource,
  type Role,
} from '../config';
import { switchedDuringRun } from '../core/run/model-switch';
import { currentConfinement } from '../core/sandbox/command-shell';
import { PROVIDER_NAMES, type ProviderName } from '../core/model/chat';
import {
  describeSlotReport,
  formatHealthReport,
  healthCheck,
  PROVIDERS,
  workerSlots,
  type HealthReport,
} from '../providers';
import type { ApiKeyStore } from './api-keys';
import type { ChatViews } from './chat-view';
import type { Conversation } from './conversation';
import type { Log } from './log';
import type { COMMAND_IDS } from './command-ids';
import { fixButton, type RozetService } from './service';
import { errorMessage } from '../core/text/error-message';

export interface CommandDeps {
  conversation: Conversation;
  service: RozetService;
  views: ChatViews;
  keys: ApiKeyStore;
  log: Log;
  onHealth: (report: HealthReport) => void;
  /** Whether a run is going (a model switch then applies from the next plan). */
  running: () => boolean;
}

const ROLE_LABELS: Record<Role, string> = { orchestrator: 'Planner (orchestrator)', worker: 'Worker' };

export type CommandId = (typeof COMMAND_IDS)[number];
export type CommandHandlers = Record<CommandId, (...args: unknown[]) => unknown>;

/** The handler of every contributed command; extension.ts registers them. */
export function commandHandlers(deps: CommandDeps): CommandHandlers {
  const { conversation, service, views, keys, log } = deps;
  const guarded =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    async (...args: A) => {
      try {
        return await fn(...args);
      } catch (error) {
        const message = log.shown(errorMessage(error));
        log.error('Command failed', error);
        void vscode.window.showErrorMessage(`Rozet: ${message}`);
        return undefined;
      }
    };

  return {
    'rozet.planTask': guarded(async (request?: unknown) => {
      let text = typeof request === 'string' ? request : undefined;
      if (text === undefined) {
        const editor = vscode.window.activeTextEditor;
        const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
        text = await vscode.window.showInputBox({
          title: 'Rozet: Plan Task',
          prompt: 'What should Rozet do? It plans first; you review the plan and press Run.',
          value: selected.length <= 2000 ? selected : '',
          placeHolder: 'e.g. Add a --verbose flag to the CLI and tests for it',
          ignoreFocusOut: true,
        });
        if (text === undefined) return undefined;
      }
      void views.reveal();
      return conversation.request(text);
    }),
    'rozet.sendSelection': guarded(async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.selection.isEmpty) {
        void vscode.window.showInformationMessage(
          'Rozet: select some text in an editor first, then run "Send Selection to Rozet".',
        );
        return;
      }
      await views.reveal();
      conversation.addAttachment({
        path: vscode.workspace.asRelativePath(editor.document.uri),
        startLine: editor.selection.start.line + 1,
        endLine: editor.selection.end.line + 1,
        text: editor.document.getText(editor.selection),
      });
    }),
    'rozet.setApiKey': guarded(async (providerArg?: unknown) => {
      const provider = isProvider(providerArg) ? providerArg : await pickProvider(keys);
      if (!provider) return;
      const stored = await keys.get(provider);
      const name = PROVIDERS[provider].displayName;
      if (stored) {
        const action = await vscode.window.showQuickPick(['Replace the key', 'Clear the key'], {
          title: `Rozet: ${name} key is set`,
        });
        if (!action) return;
        if (action === 'Clear the key') {
          await keys.delete(provider);
          void vscode.window.showInformationMessage(`Rozet: the ${name} key was cleared.`);
          return;
        }
      }
      const key = (
        await vscode.window.showInputBox({
          title: `Rozet: ${name} API key`,
          prompt: `Stored in VS Code's secret storage, never in settings.${PROVIDERS[provider].keyEnv ? ` (Alternatively set ${PROVIDERS[provider].keyEnv}.)` : ''}`,
          password: true,
          ignoreFocusOut: true,
          validateInput: (v) => (v.trim() ? undefined : 'The key is empty.'),
        })
      )?.trim();
      if (!key) return;
      const host = await service.config();
      const role: Role = host.resolved.values['rozet.orchestrator.provider'] === provider ? 'orchestrator' : 'worker';
      const configured =
        host.resolved.values[`rozet.${role}.provider`] === provider
          ? host.resolved.values[`rozet.${role}.baseUrl`]
          : '';
      const baseUrl = effectiveBaseUrl(provider, configured) ?? '';
      await keys.set(provider, key, baseUrl);
      const verdict = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Rozet: checking the ${name} key…` },
        () => checkKey(provider, baseUrl, key),
      );
      if (verdict.ok) void vscode.window.showInformationMessage(`Rozet: the ${name} key is stored and works.`);
      else
        void vscode.window
          .showWarningMessage(
            `Rozet: the ${name} key is stored, but checking it failed: ${verdict.message}`,
            'Health Check',
          )
          .then((p) => p && vscode.commands.executeCommand('rozet.healthCheck'));
    }),
    'rozet.switchModel': guarded(async (roleArg?: unknown, modelArg?: unknown) => {
      const role = roleArg === 'orchestrator' || roleArg === 'worker' ? roleArg : await pickRole();
      if (!role) return;
      let model = typeof modelArg === 'string' && modelArg.trim() ? modelArg.trim() : undefined;
      const host = await service.config();
      const current = host.resolved.values[`rozet.${role}.model`];
      if (!model) {
        const listed = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Rozet: listing models…' },
          () =>
            service.listModels(role).then(
              (models) => ({ models, error: undefined }),
              (error: unknown) => ({ models: [], error: errorMessage(error) }),
            ),
        );
        const items: vscode.QuickPickItem[] = listed.models.map((m) => ({
          label: m.id,
          description: [
            m.id === current ? 'current' : '',
            m.tools === false ? 'no tool calling' : m.tools ? 'tools' : '',
          ]
            .filter(Boolean)
            .join(' · '),
        }));
        const picked = await vscode.window.showQuickPick(
          [...items, { label: '$(edit) Enter a model id…', alwaysShow: true }],
          {
            title: `Rozet: ${ROLE_LABELS[role]} model (now ${current})`,
            placeHolder: listed.error ? `Could not list models: ${listed.error}` : 'Pick a model',
            matchOnDescription: true,
          },
        );
        if (!picked) return;
        model = picked.label.startsWith('$(edit)')
          ? (await vscode.window.showInputBox({ title: 'Model id', value: current }))?.trim()
          : picked.label;
        if (!model) return;
      }
      const configuration = vscode.workspace.getConfiguration();
      const inspected = configuration.inspect(`rozet.${role}.model`);
      const hasWorkspace = vscode.workspace.workspaceFolders !== undefined;
      let target = vscode.ConfigurationTarget.Global;
      if (typeof modelArg !== 'string' && hasWorkspace) {
        const scope = await vscode.window.showQuickPick(
          [
            { label: 'User settings', description: 'every workspace', target: vscode.ConfigurationTarget.Global },
            {
              label: 'Workspace settings',
              description: 'this workspace only',
              target: vscode.ConfigurationTarget.Workspace,
            },
          ],
          { title: `Where should ${model} be saved?` },
        );
        if (!scope) return;
        target = scope.target;
      } else if (inspected?.workspaceValue !== undefined) {
        target = vscode.ConfigurationTarget.Workspace;
      }
      await configuration.update(`rozet.${role}.model`, model, target);
      const note = deps.running() ? ` ${switchedDuringRun(model)}` : '';
      void vscode.window.showInformationMessage(`Rozet: ${ROLE_LABELS[role]} model is now ${model}.${note}`);
    }),
    'rozet.healthCheck': guarded(async () => {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Rozet: checking providers…', cancellable: true },
        (_p, token) => {
          const controller = new AbortController();
          token.onCancellationRequested(() => controller.abort());
          return service.healthCheck(controller.signal);
        },
      );
      const text = formatHealthReport(report);
      const host = await service.config();
      const commands = await currentConfinement(sandboxSettingsFromConfig(host.resolved.values));
      const slots = await workerSlots(await service.specFor(host, 'worker', false));
      log.info(
        `Health check\n${text}\n\nWorker slots (rozet.worker.parallelRequests):\n${slots.map((s) => `  ${describeSlotReport(s)}`).join('\n')}\n\nCommands: ${commands.summary}`,
      );
      deps.onHealth(report);
      const failed = report.roles.flatMap((r) =>
        r.checks
          .filter((c) => c.status === 'fail')
          .map((c) => `${r.role} ${c.name}: ${c.message}${c.fix ? ` — ${c.fix}` : ''}`),
      );
      if (commands.refusal) failed.push(commands.summary);
      const action = report.roles.flatMap((r) => r.checks).find((c) => c.status === 'fail')?.action;
      const fix = action && fixButton(action);
      if (failed.length === 0)
        void vscode.window
          .showInformationMessage(
            `Rozet: health check passed for the planner and the worker. ${commands.sandboxed ? 'Commands run in a sandbox.' : 'Commands run WITHOUT a sandbox (details in the log).'}`,
            'Show Details',
          )
          .then((p) => p && log.show());
      else
        void vscode.window
          .showErrorMessage(`Rozet: ${log.shown(failed[0])}`, 'Show Details', ...(fix ? [fix.label] : []))
          .then((p) =>
            p === 'Show Details'
              ? log.show()
              : fix && p === fix.label && vscode.commands.executeCommand(fix.command, ...(fix.args ?? [])),
          );
      return report;
    }),
    'rozet.cancel': () => conversation.cancel(),
    'rozet.showConfiguration': guarded(async () => {
      const host = await service.config();
      // Where each key comes from (never the key): a key from the environment or .env
      // is as much "set" as a stored one, and the user should see which applies.
      const apiKeys: Partial<Record<ProviderName, { source?: ApiKeySource; variable?: string }>> = {};
      for (const provider of PROVIDER_NAMES) {
        const { source, variable } = resolveApiKey(provider, {
          secret: (await keys.get(provider))?.key,
          env: process.env,
          dotenvText: host.dotenvText,
        });
        if (source) apiKeys[provider] = { source, variable };
      }
      // describeConfig lists the problems itself.
      const { summary } = await currentConfinement(sandboxSettingsFromConfig(host.resolved.values));
      const content = describeConfig(host.resolved, { apiKeys, env: process.env, commands: summary });
      const doc = await vscode.workspace.openTextDocument({ content, language: 'plaintext' });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
    'rozet.openPanel': () => views.openPanel(),
    'rozet.openPlanGraph': () => views.openGraph(),
  };
}

function isProvider(value: unknown): value is ProviderName {
  return typeof value === 'string' && (PROVIDER_NAMES as readonly string[]).includes(value);
}

async function pickProvider(keys: ApiKeyStore): Promise<ProviderName | undefined> {
  const items = await Promise.all(
    // VS Code's own models take no key.
    PROVIDER_NAMES.filter((p) => !PROVIDERS[p].hostOnly).map(async (p) => ({
      label: PROVIDERS[p].displayName,
      description: (await keys.get(p)) ? 'key set' : PROVIDERS[p].keyEnv ? `or ${PROVIDERS[p].keyEnv}` : 'optional',
      provider: p,
    })),
  );
  return (await vscode.window.showQuickPick(items, { title: 'Rozet: Set API Key — which provider?' }))?.provider;
}

async function pickRole(): Promise<Role | undefined> {
  const pick = await vscode.window.showQuickPick(
    (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({ label: ROLE_LABELS[role], role })),
    { title: 'Rozet: Switch Model — for which role?' },
  );
  return pick?.role;
}

/**
 * Whether the provider accepts a key, by the health check's key test (a model list proves
 * nothing on OpenRouter, whose list is public; the check asks its key endpoint there).
 */
async function checkKey(
  provider: ProviderName,
  baseUrl: string,
  key: string,
): Promise<{ ok: boolean; message?: string }> {
  const report = await healthCheck(
    [
      {
        role: 'worker',
        spec: { provider, model: 'key-check', baseUrl: baseUrl || undefined, apiKey: key, host: 'vscode' },
      },
    ],
    { timeoutMs: 8000, upTo: 'key' },
  );
  const checks = report.roles[0]?.checks ?? [];
  const keyCheck = checks.find((c) => c.name === 'key');
  if (keyCheck?.status === 'pass' || keyCheck?.status === 'warn') return { ok: true };
  const failed = keyCheck?.status === 'fail' ? keyCheck : checks.find((c) => c.status === 'fail');
  return {
    ok: false,
    message: failed ? `${failed.message}${failed.fix ? ` ${failed.fix}` : ''}` : 'the provider could not be checked.',
  };
}
