// What every command starts from: the workspace root, the resolved settings with their
// problems, the API keys (known to the Redactor before anything is printed) and the
// model spec of each role.
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  baseUrlNeedsConfirmation,
  endpointsNeedConfirmation,
  envName,
  keySourceLabel,
  readWorkspaceConfigFiles,
  resolveApiKey,
  resolveConfig,
  ROLES,
  type ConfigProblem,
  type ResolvedApiKey,
  type ResolvedConfig,
  type Role,
} from '../config';
import { PROVIDER_NAMES, type ProviderName } from '../core/model/chat';
import { ModelPools, modelSpecForRole, type HealthTarget, type ModelSpec } from '../providers';
import { UsageError, type CliArgs } from './args';
import { CliError, EXIT, type CliIo, type Output } from './io';
import type { Prompter } from './prompt';
import { stateDir } from './saved-runs';

export interface CliContext {
  root: string;
  /** The environment this command runs with (process.env, or a test's). */
  env: Record<string, string | undefined>;
  resolved: ResolvedConfig;
  apiKeys: Record<ProviderName, ResolvedApiKey>;
  specs: Record<Role, ModelSpec>;
  /** "environment: OPENROUTER_API_KEY"; undefined when no key is set. */
  keySources: Record<Role, string | undefined>;
  /** Why a role's key is not sent although it is set (a workspace base URL not confirmed). */
  heldBack: Record<Role, string | undefined>;
  /** Invalid values and unreadable files: the CLI stops on them rather than guess (exit 2). */
  errors: ConfigProblem[];
  /** Reported, and nothing else happens (an unknown key ignored, a power setting refused). */
  warnings: ConfigProblem[];
  /** Worker models over their endpoints, shared by every run of this process (the REPL's too). */
  pools: ModelPools;
  /** Where saved runs live (saved-runs.ts): the user's state folder, never the workspace. */
  stateDir: string;
}

export async function loadContext(args: CliArgs, io: CliIo, output: Output): Promise<CliContext> {
  const root = resolve(io.cwd, args.workspace ?? '.');
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UsageError(`The workspace ${root} is not a folder. Pass an existing folder with --workspace.`);

  const files = await readWorkspaceConfigFiles(root);
  const resolved = resolveConfig({
    explicit: args.explicit,
    env: io.env,
    yamlText: files.yamlText,
    dotenvText: files.dotenvText,
  });
  const problems = [...files.problems, ...resolved.problems];

  const apiKeys = Object.fromEntries(
    PROVIDER_NAMES.map((p) => [p, resolveApiKey(p, { env: io.env, dotenvText: files.dotenvText })]),
  ) as Record<ProviderName, ResolvedApiKey>;
  // Every key in reach, not only the two in use: a model may echo any of them.
  for (const key of Object.values(apiKeys)) output.redactor.addSecret(key.key);

  const specs = {} as Record<Role, ModelSpec>;
  const keySources = {} as Record<Role, string | undefined>;
  for (const role of ROLES) {
    const found = apiKeys[resolved.values[`rozet.${role}.provider`]];
    specs[role] = modelSpecForRole(resolved.values, role, found.key, 'cli');
    // Environment keys are not bound to a URL: every endpoint of the worker may get it,
    // unless the workspace chose the endpoints (confirmWorkspaceBaseUrls).
    specs[role].endpoints = specs[role].endpoints?.map((e) => ({ ...e, apiKey: found.key }));
    keySources[role] = keySourceLabel(found);
  }
  return {
    root,
    env: io.env,
    resolved,
    apiKeys,
    specs,
    keySources,
    pools: new ModelPools(),
    stateDir: stateDir(io.env),
    heldBack: { orchestrator: undefined, worker: undefined },
    errors: problems.filter((p) => p.severity === 'error'),
    warnings: problems.filter((p) => p.severity !== 'error'),
  };
}

/** A role as the health check and the pre-flight see it. */
export function targetOf(ctx: CliContext, role: Role): HealthTarget {
  return { role, spec: ctx.specs[role], keySource: ctx.keySources[role], keyHeldBack: ctx.heldBack[role] };
}

/** Warnings are printed; errors stop the command before anything is planned (exit 2). */
export function checkProblems(ctx: CliContext, output: Output): void {
  for (const problem of ctx.warnings) output.err(`rozet: warning: ${problem.message}`);
  if (ctx.errors.length === 0) return;
  throw new CliError(
    EXIT.usage,
    'config',
    `${ctx.errors.length === 1 ? 'this configuration error stops' : `these ${ctx.errors.length} configuration errors stop`} rozet: fix ${ctx.errors.length === 1 ? 'it' : 'them'} and try again (\`rozet config\` shows every setting and where it came from).`,
    { before: ctx.errors.map((p) => `rozet: config error: ${p.message}`) },
  );
}

/**
 * A base URL chosen by the workspace (.rozet.yaml) may only receive the user's key once
 * the user agrees: a cloned repository could point it at its own server. A key from the
 * workspace's own .env is the workspace's to send. Asked once per provider and URL (and
 * once for rozet.worker.endpoints); an unconfirmed key is held back, and the health check
 * and the pre-flight say why.
 */
export async function confirmWorkspaceBaseUrls(
  ctx: CliContext,
  options: { prompter?: Prompter; output: Output },
): Promise<void> {
  const asks = new Map<string, Role[]>();
  for (const role of ROLES) {
    const provider = ctx.resolved.values[`rozet.${role}.provider`];
    if (!ctx.specs[role].apiKey || !baseUrlNeedsConfirmation(ctx.resolved, role)) continue;
    if (ctx.apiKeys[provider].source === '.env') continue;
    const key = `${provider} ${ctx.specs[role].baseUrl}`;
    asks.set(key, [...(asks.get(key) ?? []), role]);
  }
  for (const roles of asks.values()) {
    const spec = ctx.specs[roles[0]];
    const settings = roles.map((role) => `rozet.${role}.baseUrl`).join(' and ');
    const source = ctx.resolved.sources[`rozet.${roles[0]}.baseUrl`];
    const answer = await options.prompter?.ask(
      `The workspace (${source}) sets ${settings} to ${spec.baseUrl}. Send your ${spec.provider} API key (${ctx.keySources[roles[0]]}) there? [y/N]: `,
    );
    if (answer?.trim().toLowerCase().startsWith('y')) continue;
    const why = `${settings} ${roles.length > 1 ? 'come' : 'comes'} from ${source} (${spec.baseUrl}), which the workspace chose${options.prompter ? ', and you did not agree to send the key there' : ', and there was no terminal to ask'}`;
    for (const role of roles) {
      ctx.specs[role].apiKey = undefined;
      ctx.heldBack[role] = why;
    }
    const flags = roles.map(
      (role) => `${role === 'worker' ? '--worker-base-url' : '--base-url'} or ${envName(`rozet.${role}.baseUrl`)}`,
    );
    options.output.err(
      `rozet: warning: your ${spec.provider} API key is not sent to ${spec.baseUrl}: ${why}. Confirm on a terminal, or choose the URL yourself (${flags.join('; ')}).`,
    );
  }
  const endpoints = ctx.specs.worker.endpoints ?? [];
  const provider = ctx.resolved.values['rozet.worker.provider'];
  if (endpoints.some((e) => e.apiKey) && endpointsNeedConfirmation(ctx.resolved)) {
    const where = `rozet.worker.endpoints from ${ctx.resolved.sources['rozet.worker.endpoints']} (${endpoints.map((e) => e.baseUrl).join(', ')})`;
    const answer = await options.prompter?.ask(
      `The workspace sets ${where}. Send your ${provider} API key there? [y/N]: `,
    );
    if (!answer?.trim().toLowerCase().startsWith('y')) {
      ctx.specs.worker.endpoints = endpoints.map((e) => ({ baseUrl: e.baseUrl }));
      options.output.err(
        `rozet: warning: your ${provider} API key is not sent to ${where}, which the workspace chose. Confirm on a terminal, or set the list yourself (--set worker.endpoints=… or ${envName('rozet.worker.endpoints')}).`,
      );
    }
  }
}
