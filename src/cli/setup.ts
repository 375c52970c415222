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
import { ModelPools, modelSpecForRole, type ModelSpec } from '../providers';
import { UsageError, type CliArgs } from './args';
import type { CliIo, Output } from './io';
import type { Prompter } from './prompt';

export interface CliContext {
  root: string;
  /** The environment this command runs with (process.env, or a test's). */
  env: Record<string, string | undefined>;
  resolved: ResolvedConfig;
  apiKeys: Record<ProviderName, ResolvedApiKey>;
  specs: Record<Role, ModelSpec>;
  /** "environment: OPENROUTER_API_KEY"; undefined when no key is set. */
  keySources: Record<Role, string | undefined>;
  /**
   * Invalid values the user gave this very command (flags, ROZET_* variables): running on
   * with a default instead (say, another provider) would surprise them, so these stop it.
   */
  fatal: ConfigProblem[];
  /** Everything else: reported, and the next source down was used. */
  warnings: ConfigProblem[];
  /** Worker models over their endpoints, shared by every run of this process (the REPL's too). */
  pools: ModelPools;
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
    specs[role] = modelSpecForRole(resolved.values, role, found.key);
    // Environment keys are not bound to a URL: every endpoint of the worker may get it,
    // unless the workspace chose the endpoints (confirmWorkspaceBaseUrls).
    specs[role].endpoints = specs[role].endpoints?.map((e) => ({ ...e, apiKey: found.key }));
    keySources[role] = keySourceLabel(found);
  }

  const isFatal = (p: ConfigProblem) =>
    p.severity === 'error' && (p.source === 'cli flag' || p.source === 'environment');
  return {
    root,
    env: io.env,
    resolved,
    apiKeys,
    specs,
    keySources,
    pools: new ModelPools(),
    fatal: problems.filter(isFatal),
    warnings: problems.filter((p) => !isFatal(p)),
  };
}

export function printProblems(problems: readonly ConfigProblem[], output: Output): void {
  for (const problem of problems)
    output.err(`rozet: ${problem.severity === 'error' ? 'config error' : 'warning'}: ${problem.message}`);
}

/**
 * A base URL chosen by the workspace (.rozet.yaml) may only receive the user's key once
 * the user agrees: a cloned repository could point it at its own server. A key
 * from the workspace's own .env is the workspace's to send. Unconfirmed keys are dropped.
 */
export async function confirmWorkspaceBaseUrls(
  ctx: CliContext,
  options: { yes: boolean; prompter?: Prompter; output: Output },
): Promise<void> {
  for (const role of ROLES) {
    const spec = ctx.specs[role];
    const provider = ctx.resolved.values[`rozet.${role}.provider`];
    if (!spec.apiKey || !baseUrlNeedsConfirmation(ctx.resolved, role) || ctx.apiKeys[provider].source === '.env')
      continue;
    if (options.yes) continue;
    const where = `rozet.${role}.baseUrl from ${ctx.resolved.sources[`rozet.${role}.baseUrl`]} (${spec.baseUrl})`;
    const answer = options.prompter
      ? await options.prompter.ask(
          `The workspace sets ${where}. Send your ${provider} API key (${ctx.keySources[role]}) there? [y/N]: `,
        )
      : undefined;
    if (answer?.trim().toLowerCase().startsWith('y')) continue;
    spec.apiKey = undefined;
    options.output.err(
      `rozet: warning: your ${provider} API key is not sent to ${where}, which the workspace chose. Confirm in a terminal, pass --yes, or set the URL yourself (flag or ${envName(`rozet.${role}.baseUrl`)}).`,
    );
  }
  const endpoints = ctx.specs.worker.endpoints ?? [];
  const provider = ctx.resolved.values['rozet.worker.provider'];
  if (endpoints.some((e) => e.apiKey) && endpointsNeedConfirmation(ctx.resolved) && !options.yes) {
    const where = `rozet.worker.endpoints from ${ctx.resolved.sources['rozet.worker.endpoints']} (${endpoints.map((e) => e.baseUrl).join(', ')})`;
    const answer = options.prompter
      ? await options.prompter.ask(`The workspace sets ${where}. Send your ${provider} API key there? [y/N]: `)
      : undefined;
    if (!answer?.trim().toLowerCase().startsWith('y')) {
      ctx.specs.worker.endpoints = endpoints.map((e) => ({ baseUrl: e.baseUrl }));
      options.output.err(
        `rozet: warning: your ${provider} API key is not sent to ${where}, which the workspace chose. Confirm in a terminal, pass --yes, or set the list yourself (${envName('rozet.worker.endpoints')}).`,
      );
    }
  }
}
