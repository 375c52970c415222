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
import { ModelError, type ChatModel, type ProviderName } from '../core/model/chat';
import { planTask, type PlanContext } from '../core/plan/planner';
import type { PlanResult } from '../core/plan/plan';
import type { Redactor } from '../core/text/redact';
import {
  createChatModel,
  filterModels,
  healthCheck,
  ModelPools,
  modelSpecForRole,
  PROVIDERS,
  ProviderConfigError,
  type HealthReport,
  type ListedModel,
  type ModelSpec,
} from '../providers';
import type { ApiKeyStore } from './api-keys';
import { vscodeTools } from './lm-tools';
import { readHostConfig, type HostConfig } from './settings';
import { vscodeModels } from './vscode-lm-model';

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
   * The key to send for a role, or undefined. A stored key goes only to the base URL it
   * was stored for, and a base URL set by the workspace gets no key without the user's
   * yes; `interactive: false` answers "no key" instead of asking.
   */
  async apiKeyFor(host: HostConfig, role: Role, interactive = true): Promise<string | undefined> {
    const values = host.resolved.values;
    const provider = values[`rozet.${role}.provider`];
    const url = effectiveBaseUrl(provider, values[`rozet.${role}.baseUrl`]) ?? '';
    return this.keyForUrl(host, provider, url, baseUrlNeedsConfirmation(host.resolved, role), interactive);
  }

  private async keyForUrl(
    host: HostConfig,
    provider: ProviderName,
    url: string,
    workspaceUrl: boolean,
    interactive: boolean,
  ): Promise<string | undefined> {
    const stored = await this.keys.get(provider);
    const resolved = resolveApiKey(provider, { secret: stored?.key, env: process.env, dotenvText: host.dotenvText });
    if (!resolved.key) return undefined;
    this.redactor.addSecret(resolved.key);
    const boundElsewhere = resolved.source === 'secret storage' && stored && !keyAllowedFor(stored.baseUrl, url);
    if (!boundElsewhere && !workspaceUrl) return resolved.key;
    if (this.confirmedUrls.has(`${provider} ${url}`)) return resolved.key;
    if (!interactive) return undefined;
    const name = PROVIDERS[provider].displayName;
    const why = boundElsewhere
      ? `Your ${name} key was stored for ${stored?.baseUrl || 'another address'}`
      : `This workspace sets the ${name} address ${url}`;
    const pick = await vscode.window.showWarningMessage(
      `${why}. Send the key to ${url}?`,
      { modal: true, detail: 'Only agree if you trust this server: it will receive your API key.' },
      'Send Key',
      'Always for This URL',
    );
    if (!pick) return undefined;
    this.confirmedUrls.add(`${provider} ${url}`);
    if (pick === 'Always for This URL' && stored && resolved.source === 'secret storage')
      await this.keys.set(provider, stored.key, url);
    return resolved.key;
  }

  async specFor(host: HostConfig, role: Role, interactive = true): Promise<ModelSpec> {
    const spec = modelSpecForRole(host.resolved.values, role, await this.apiKeyFor(host, role, interactive));
    if (spec.endpoints?.length) {
      // Each endpoint follows the base URL's rule on its own: bound keys, workspace choices.
      const workspaceChosen = endpointsNeedConfirmation(host.resolved);
      const endpoints: NonNullable<ModelSpec['endpoints']> = [];
      for (const endpoint of spec.endpoints) {
        const apiKey = await this.keyForUrl(host, spec.provider, endpoint.baseUrl, workspaceChosen, interactive);
        endpoints.push({ baseUrl: endpoint.baseUrl, apiKey });
      }
      spec.endpoints = endpoints;
    }
    return { ...spec, hostModels: vscodeModels };
  }

  async modelFor(host: HostConfig, role: Role): Promise<ChatModel> {
    return createChatModel(await this.specFor(host, role));
  }

  /**
   * Plans a request. A configuration that cannot produce a model still plans, with the
   * fallback planner and the reason (the planner's own rule for unusable models).
   */
  async plan(
    request: string,
    context: PlanContext,
    options: { signal?: AbortSignal; onDelta?: (text: string) => void; onModelError?: (error: unknown) => void } = {},
  ): Promise<PlanResult> {
    const host = await this.config();
    let model: ChatModel | undefined;
    let configReason: string | undefined;
    try {
      model = await this.modelFor(host, 'orchestrator');
    } catch (error) {
      if (!(error instanceof ProviderConfigError)) throw error;
      configReason = `The planner model is not usable: ${error.message}`;
    }
    // The planner may give tasks the VS Code tools they need (rozet.mcp.enabled).
    const tools = context.tools ?? vscodeTools(host.resolved.values, this.redactor)?.host.tools;
    const result = await planTask(
      request,
      { ...context, tools },
      {
        model,
        ...plannerSettingsFromConfig(host.resolved.values),
        signal: options.signal,
        onDelta: options.onDelta,
        onModelError: options.onModelError,
      },
    );
    return configReason && result.source === 'fallback' ? { ...result, reason: configReason } : result;
  }

  async listModels(role: Role, signal?: AbortSignal): Promise<ListedModel[]> {
    const host = await this.config();
    const models = await createChatModel(await this.specFor(host, role)).listModels(signal);
    return filterModels(models, host.resolved.values['rozet.models.exclude']);
  }

  async healthCheck(signal?: AbortSignal): Promise<HealthReport> {
    const host = await this.config();
    const targets = await Promise.all(
      ROLES.map(async (role) => ({
        role,
        spec: await this.specFor(host, role, false),
        keySource: await this.keySource(host, role),
      })),
    );
    return healthCheck(targets, { signal });
  }

  private async keySource(host: HostConfig, role: Role): Promise<string | undefined> {
    const provider: ProviderName = host.resolved.values[`rozet.${role}.provider`];
    const stored = await this.keys.get(provider);
    const resolved = resolveApiKey(provider, { secret: stored?.key, env: process.env, dotenvText: host.dotenvText });
    return keySourceLabel(resolved);
  }
}

/** The fix to offer for a model failure, as a button label and the command it runs. */
export function fixFor(error: unknown): { label: string; command: string; args?: unknown[] } | undefined {
  if (!(error instanceof ModelError)) return undefined;
  switch (error.details.fix) {
    case 'rozet.setApiKey':
      return {
        label: 'Set API Key',
        command: 'rozet.setApiKey',
        args: error.details.provider ? [error.details.provider] : [],
      };
    case 'rozet.switchModel':
      return { label: 'Switch Model', command: 'rozet.switchModel' };
    case 'settings':
      return { label: 'Open Settings', command: 'workbench.action.openSettings', args: ['rozet'] };
    case 'rozet.healthCheck':
      return { label: 'Health Check', command: 'rozet.healthCheck' };
    default:
      return error.kind === 'auth'
        ? { label: 'Set API Key', command: 'rozet.setApiKey' }
        : { label: 'Health Check', command: 'rozet.healthCheck' };
  }
}
