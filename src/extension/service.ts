// The extension's access to models and settings: resolved configuration, the API key of
// a provider (SecretStorage → environment → workspace .env, bound to its base URL), the
// model of a role, planning, health and model lists. Shared by commands, the sidebar
// and the programmatic API; it holds no UI and no run state.
import * as vscode from 'vscode';
import {
  baseUrlNeedsConfirmation,
  effectiveBaseUrl,
  endpointsNeedConfirmation,
  keyAllowedFor,
  keySourceLabel,
  plannerSettingsFromConfig,
  resolveApiKey,
  ROLES,
  type Role,
} from '../config';
import { ModelError, type ProviderName } from '../core/model/chat';
import type { Fix } from '../core/model/fix';
import type { PlanContext } from '../core/plan/planner';
import type { PlanResult } from '../core/plan/plan';
import type { Redactor } from '../core/text/redact';
import {
  createChatModel,
  filterModels,
  healthCheck,
  ModelPools,
  modelSpecForRole,
  planRequest,
  PROVIDERS,
  type HealthReport,
  type HealthTarget,
  type ListedModel,
  type ModelSpec,
} from '../providers';
import type { ApiKeyStore } from './api-keys';
import { vscodeTools } from './lm-tools';
import { readHostConfig, type HostConfig } from './settings';
import { vscodeModels } from './vscode-lm-model';

/** A role's key: the key to send, or why an existing one is held back. */
interface RoleKey {
  key?: string;
  /** "environment: OPENROUTER_API_KEY"; undefined when none is set. */
  source?: string;
  heldBack?: string;
}

export class RozetService {
  /** Base URLs the user agreed to send a key to in this window: `${provider} ${url}`. */
  private readonly confirmedUrls = new Set<string>();
  /** Worker models over their endpoints; what is found about a server's slots lasts the window. */
  readonly pools = new ModelPools();

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly redactor: Redactor,
  ) {}

  config(): Promise<HostConfig> {
    return readHostConfig();
  }

  /**
   * The key to send for a role. A stored key goes only to the base URL it was stored for,
   * and a base URL set by the workspace gets no key without the user's yes (docs/ARCHITECTURE.md, "Security invariants");
   * `interactive: false` holds the key back instead of asking, and says why.
   */
  async keyFor(host: HostConfig, role: Role, interactive = true): Promise<RoleKey> {
    const values = host.resolved.values;
    const provider = values[`rozet.${role}.provider`];
    const url = effectiveBaseUrl(provider, values[`rozet.${role}.baseUrl`]) ?? '';
    const workspaceUrl = baseUrlNeedsConfirmation(host.resolved, role);
    return this.keyForUrl(host, provider, url, workspaceUrl ? `rozet.${role}.baseUrl` : undefined, interactive);
  }

  /** The same rule for one URL; `workspaceSetting` names the workspace setting that chose it. */
  private async keyForUrl(
    host: HostConfig,
    provider: ProviderName,
    url: string,
    workspaceSetting: string | undefined,
    interactive: boolean,
  ): Promise<RoleKey> {
    const stored = await this.keys.get(provider);
    const resolved = resolveApiKey(provider, { secret: stored?.key, env: process.env, dotenvText: host.dotenvText });
    const source = keySourceLabel(resolved);
    if (!resolved.key) return {};
    this.redactor.addSecret(resolved.key);
    const boundElsewhere = resolved.source === 'secret storage' && stored && !keyAllowedFor(stored.baseUrl, url);
    if (!boundElsewhere && !workspaceSetting) return { key: resolved.key, source };
    if (this.confirmedUrls.has(`${provider} ${url}`)) return { key: resolved.key, source };
    const name = PROVIDERS[provider].displayName;
    const why = boundElsewhere
      ? `your ${name} key was stored for ${stored?.baseUrl || 'another address'}, not ${url}`
      : `the workspace sets ${workspaceSetting} to ${url}`;
    if (!interactive) return { source, heldBack: why };
    const pick = await vscode.window.showWarningMessage(
      `${why[0].toUpperCase()}${why.slice(1)}. Send the key to ${url}?`,
      { modal: true, detail: 'Only agree if you trust this server: it will receive your API key.' },
      'Send Key',
      'Always for This URL',
    );
    if (!pick) return { source, heldBack: `${why}, and you did not agree to send it there` };
    this.confirmedUrls.add(`${provider} ${url}`);
    if (pick === 'Always for This URL' && stored && resolved.source === 'secret storage')
      await this.keys.set(provider, stored.key, url);
    return { key: resolved.key, source };
  }

  async specFor(host: HostConfig, role: Role, interactive = true): Promise<ModelSpec> {
    return (await this.targetFor(host, role, interactive)).spec;
  }

  /** The role's model spec with where its key comes from, for planning and the health check. */
  private async targetFor(host: HostConfig, role: Role, interactive: boolean): Promise<HealthTarget> {
    const { key, source, heldBack } = await this.keyFor(host, role, interactive);
    const spec: ModelSpec = {
      ...modelSpecForRole(host.resolved.values, role, key, 'vscode'),
      hostModels: vscodeModels,
    };
    if (spec.endpoints?.length) {
      // Each endpoint follows the base URL's rule on its own: bound keys, workspace choices.
      const workspaceSetting = endpointsNeedConfirmation(host.resolved) ? 'rozet.worker.endpoints' : undefined;
      const endpoints: NonNullable<ModelSpec['endpoints']> = [];
      for (const endpoint of spec.endpoints) {
        const found = await this.keyForUrl(host, spec.provider, endpoint.baseUrl, workspaceSetting, interactive);
        endpoints.push({ baseUrl: endpoint.baseUrl, apiKey: found.key });
      }
      spec.endpoints = endpoints;
    }
    return { role, spec, keySource: source, keyHeldBack: heldBack };
  }

  /**
   * Plans a request. A planner model that cannot be used still plans, with the fallback
   * planner and the reason — the same rule as the CLI's (providers/plan-request.ts).
   */
  async plan(
    request: string,
    context: PlanContext,
    options: { signal?: AbortSignal; onDelta?: (text: string) => void; onModelError?: (error: unknown) => void } = {},
  ): Promise<PlanResult> {
    const host = await this.config();
    const target = await this.targetFor(host, 'orchestrator', true);
    // The planner may give tasks the VS Code tools they need (rozet.mcp.enabled).
    const tools = context.tools ?? vscodeTools(host.resolved.values, this.redactor)?.host.tools;
    return planRequest(
      request,
      { ...context, tools },
      {
        spec: target.spec,
        keySource: target.keySource,
        keyHeldBack: target.keyHeldBack,
        ...plannerSettingsFromConfig(host.resolved.values),
        signal: options.signal,
        onDelta: options.onDelta,
        onModelError: options.onModelError,
      },
    );
  }

  async listModels(role: Role, signal?: AbortSignal): Promise<ListedModel[]> {
    const host = await this.config();
    const models = await createChatModel(await this.specFor(host, role)).listModels(signal);
    return filterModels(models, host.resolved.values['rozet.models.exclude']);
  }

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const host = await this.config();
    const targets = await Promise.all(ROLES.map((role) => this.targetFor(host, role, false)));
    return healthCheck(targets, { signal });
  }
}

type FixButton = { label: string; command: string; args?: unknown[] };

/** The fix to offer for a model failure, as a button label and the command it runs. */
export function fixFor(error: unknown): FixButton | undefined {
  if (!(error instanceof ModelError)) return undefined;
  if (error.details.fix) return fixButton(error.details.fix);
  return error.kind === 'auth'
    ? { label: 'Set API Key', command: 'rozet.setApiKey' }
    : { label: 'Health Check', command: 'rozet.healthCheck' };
}

/** A fix as VS Code offers it: a button and the command behind it. */
export function fixButton(fix: Fix): FixButton {
  switch (fix.kind) {
    case 'apiKey':
      return { label: 'Set API Key', command: 'rozet.setApiKey', args: [fix.provider] };
    case 'model':
      return { label: 'Switch Model', command: 'rozet.switchModel', args: fix.role ? [fix.role] : [] };
    case 'setting':
      return { label: 'Open Settings', command: 'workbench.action.openSettings', args: [fix.key] };
    case 'healthCheck':
      return { label: 'Health Check', command: 'rozet.healthCheck' };
  }
}
