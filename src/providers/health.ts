// The health check shared by `rozet health` and "Rozet: Health Check": per role, is the
// provider configured and reachable, is the key present and accepted, is the model there,
// can it call tools — each a line with what to do when it is not. It uses cheap calls only
// (model listing; OpenRouter's key endpoint, since its model list is public and so proves
// nothing about the key), every call is bounded by a timeout, and no key ever reaches a
// message: ModelError messages are scrubbed by the providers, and our own never quote one.
import { ModelError, type ProviderName } from '../core/model/chat';
import { capabilitiesFor, keyHint, PROVIDERS, type ListedModel } from './catalogue';
import { mapTransportError } from './errors';
import { createChatModel, ProviderConfigError, resolveBaseUrl, type ListingChatModel, type ModelSpec } from './factory';
import type { ModelRole } from './models-for-config';
import { envName } from '../config';
import { errorMessage } from '../core/text/error-message';

/** skip: not checked because an earlier check of the role failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type HealthCheckName = 'provider' | 'key' | 'model' | 'tools';

export interface HealthCheck {
  role: ModelRole;
  name: HealthCheckName;
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** What to do about it (set on fail and warn). */
  fix?: string;
}

export interface HealthTarget {
  role: ModelRole;
  spec: ModelSpec;
  /** Where the key came from, shown instead of the key (e.g. "environment: OPENROUTER_API_KEY"). */
  keySource?: string;
}

export interface RoleHealth {
  role: ModelRole;
  provider: ProviderName;
  model: string;
  baseUrl?: string;
  checks: HealthCheck[];
}

export interface HealthReport {
  /** No check failed (warnings allowed). */
  ok: boolean;
  roles: RoleHealth[];
}

export interface HealthOptions {
  signal?: AbortSignal;
  /** Per network call; a cold server that does not answer in time fails the check. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;
const SUGGESTIONS = 5;

export async function healthCheck(
  targets: readonly HealthTarget[],
  options: HealthOptions = {},
): Promise<HealthReport> {
  const roles = await Promise.all(targets.map((target) => checkRole(target, options)));
  return { ok: roles.every((r) => r.checks.every((c) => c.status !== 'fail')), roles };
}

async function checkRole(target: HealthTarget, options: HealthOptions): Promise<RoleHealth> {
  const { role, spec } = target;
  const health: RoleHealth = { role, provider: spec.provider, model: spec.model, checks: [] };
  const add = (name: HealthCheckName, status: CheckStatus, message: string, fix?: string) =>
    health.checks.push({ role, name, status, message, ...(fix ? { fix } : {}) });
  const skipRest = (from: HealthCheckName[], why: string) =>
    from.forEach((name) => add(name, 'skip', `not checked: ${why}`));

  const built = build(target);
  if (built instanceof ProviderConfigError) {
    add('provider', 'fail', built.message, settingFix(role, built.setting));
    skipRest(['key', 'model', 'tools'], 'the configuration must be fixed first');
    return health;
  }
  const { model, baseUrl } = built;
  health.baseUrl = baseUrl;
  const info = PROVIDERS[spec.provider];
  const where = baseUrl ? `${info.displayName} at ${baseUrl}` : info.displayName;
  const hasKey = Boolean(spec.apiKey?.trim());

  let listed: ListedModel[];
  try {
    listed = await bounded(options, (signal) => model.listModels(signal));
  } catch (error) {
    const failure = describeFailure(error, target, baseUrl, options);
    if (failure.kind === 'auth') {
      add('provider', 'pass', `${where} answered.`);
      add('key', 'fail', failure.message, keyHint(spec.provider));
      skipRest(['model', 'tools'], 'the key must be accepted first');
    } else {
      add('provider', 'fail', failure.message, failure.fix);
      skipRest(['key', 'model', 'tools'], `${info.displayName} must be reachable first`);
    }
    return health;
  }
  add('provider', 'pass', `${where} answered (${listed.length} model${listed.length === 1 ? '' : 's'} listed).`);

  const key = await checkKey(target, baseUrl, hasKey, options);
  add('key', key.status, key.message, key.fix);
  if (key.status === 'fail') {
    skipRest(['model', 'tools'], 'the key must be accepted first');
    return health;
  }

  const found = findModel(listed, spec.provider, model.model);
  if (!found) {
    if (listed.length === 0) {
      add(
        'model',
        'warn',
        `${info.displayName} listed no models, so "${model.model}" could not be checked.`,
        `If runs fail with "model not found", check rozet.${role}.model.`,
      );
      skipRest(['tools'], 'the model was not found in the list');
    } else {
      const others = suggest(listed, model.model);
      const pick = `set rozet.${role}.model (${envName(`rozet.${role}.model`)}) to one it has, e.g. ${others.join(', ')}, or pick one with "Rozet: Switch Model"`;
      if (spec.provider === 'ollama')
        add(
          'model',
          'fail',
          `"${model.model}" is not pulled in Ollama.`,
          `Run \`ollama pull ${model.model}\`, or ${pick}.`,
        );
      else
        add(
          'model',
          'fail',
          `${info.displayName} does not offer "${model.model}".`,
          `${pick[0].toUpperCase()}${pick.slice(1)}.`,
        );
      skipRest(['tools'], 'the model must exist first');
    }
    return health;
  }
  add('model', 'pass', `"${model.model}" is available.`);

  const tools = checkTools(role, spec.provider, found, model);
  add('tools', tools.status, tools.message, tools.fix);
  return health;
}

function build(target: HealthTarget): { model: ListingChatModel; baseUrl: string } | ProviderConfigError {
  try {
    const model = createChatModel(target.spec);
    return { model, baseUrl: resolveBaseUrl(target.spec.provider, target.spec.baseUrl) };
  } catch (error) {
    if (error instanceof ProviderConfigError) return error;
    throw error;
  }
}

async function checkKey(
  target: HealthTarget,
  baseUrl: string,
  hasKey: boolean,
  options: HealthOptions,
): Promise<{ status: CheckStatus; message: string; fix?: string }> {
  const { provider } = target.spec;
  const info = PROVIDERS[provider];
  const from = target.keySource ? ` (${target.keySource})` : '';
  if (!hasKey) {
    return info.keyRequired
      ? { status: 'fail', message: `No API key is set for ${info.displayName}.`, fix: keyHint(provider) }
      : { status: 'pass', message: `No key set (not needed for ${info.displayName}).` };
  }
  // OpenRouter lists models without a key; its /key endpoint is the cheap check that proves it.
  if (provider !== 'openrouter') return { status: 'pass', message: `Key set${from} and accepted.` };
  try {
    const response = await bounded(options, (signal) =>
      (target.spec.fetch ?? fetch)(`${baseUrl}/key`, {
        headers: { Authorization: `Bearer ${target.spec.apiKey?.trim()}` },
        signal,
      }),
    );
    if (response.ok) return { status: 'pass', message: `Key set${from} and accepted.` };
    if (response.status === 401 || response.status === 403) {
      return {
        status: 'fail',
        message: `${info.displayName} rejected the API key${from} (HTTP ${response.status}).`,
        fix: keyHint(provider),
      };
    }
    return {
      status: 'warn',
      message: `Key set${from}; ${info.displayName} answered HTTP ${response.status} when asked to verify it.`,
      fix: 'If runs fail with "key rejected", replace the key.',
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return {
      status: 'warn',
      message: `Key set${from}, but it could not be verified (${errorMessage(error)}).`,
      fix: 'Run the health check again.',
    };
  }
}

function checkTools(
  role: ModelRole,
  provider: ProviderName,
  found: ListedModel,
  model: ListingChatModel,
): { status: CheckStatus; message: string; fix?: string } {
  const display = PROVIDERS[provider].displayName;
  if (found.tools === true) return { status: 'pass', message: 'Supports tool calling.' };
  if (found.tools === undefined) {
    return model.capabilities.nativeTools
      ? { status: 'pass', message: `Tool calling assumed (${display} does not report it per model).` }
      : {
          status: 'warn',
          message:
            'Known to lack native tool calling: workers use the text tool protocol, which small models follow less reliably.',
          fix: toolsFix(role),
        };
  }
  // The planner answers in JSON and never sends tools.
  if (role === 'orchestrator') return { status: 'pass', message: 'No tool calling (not needed for planning).' };
  // Rozet sends tools when it believes the model takes them; the server would then answer 400.
  if (capabilitiesFor(provider, model.model).nativeTools) {
    return {
      status: 'fail',
      message: `${display} says "${model.model}" cannot call tools, so worker requests with tools would be refused.`,
      fix: toolsFix(role),
    };
  }
  return {
    status: 'warn',
    message: 'No native tool calling: workers use the text tool protocol, which small models follow less reliably.',
    fix: toolsFix(role),
  };
}

function toolsFix(role: ModelRole): string {
  return `Pick a model with tool support (e.g. qwen2.5-coder, llama3.1): set rozet.${role}.model or use "Rozet: Switch Model".`;
}

/**
 * Cheap pre-flight before a run: the base URL is valid, something answers there, and a
 * key is present where one is required. Returns the failing check, or undefined when the
 * role can be tried. Any HTTP answer counts as reachable; only the connection is tested.
 * `requireKey: false` leaves a missing key to the caller.
 */
export async function checkReachable(
  target: HealthTarget,
  options: HealthOptions & { requireKey?: boolean } = {},
): Promise<HealthCheck | undefined> {
  const { role, spec } = target;
  const built = build(target);
  if (built instanceof ProviderConfigError)
    return { role, name: 'provider', status: 'fail', message: built.message, fix: settingFix(role, built.setting) };
  // Nothing to connect to: the host serves these models itself.
  if (PROVIDERS[spec.provider].hostOnly) return undefined;
  try {
    const response = await bounded(options, (signal) =>
      (spec.fetch ?? fetch)(built.baseUrl, { method: 'GET', signal }),
    );
    await response.body?.cancel();
  } catch (error) {
    const failure = describeFailure(error, target, built.baseUrl, options);
    return { role, name: 'provider', status: 'fail', message: failure.message, fix: failure.fix };
  }
  if (options.requireKey !== false && PROVIDERS[spec.provider].keyRequired && !spec.apiKey?.trim()) {
    return {
      role,
      name: 'key',
      status: 'fail',
      message: `No API key is set for ${PROVIDERS[spec.provider].displayName}.`,
      fix: keyHint(spec.provider),
    };
  }
  return undefined;
}

/** Runs `call` with the caller's signal joined to a per-call timeout. */
async function bounded<T>(options: HealthOptions, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await call(signal);
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw new TimedOut();
    throw error;
  }
}

class TimedOut extends Error {}

function describeFailure(
  error: unknown,
  target: HealthTarget,
  baseUrl: string,
  options: HealthOptions,
): { kind: string; message: string; fix?: string } {
  if (options.signal?.aborted) throw error;
  const { role, spec } = target;
  const display = PROVIDERS[spec.provider].displayName;
  const seconds = Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000);
  if (error instanceof TimedOut) {
    return {
      kind: 'timeout',
      message: `${display} at ${baseUrl} did not answer within ${seconds} s.`,
      fix: `Check that it is running and not overloaded, and your network or proxy; or set rozet.${role}.baseUrl.`,
    };
  }
  const mapped =
    error instanceof ModelError
      ? error
      : mapTransportError(error, {
          provider: spec.provider,
          model: spec.model,
          baseUrl,
          apiKey: spec.apiKey,
          phase: 'request',
        });
  if (mapped.kind === 'connection' && spec.provider === 'ollama') {
    return {
      kind: mapped.kind,
      message: `Ollama is not running at ${baseUrl} (no connection).`,
      fix: `Start it with \`ollama serve\` (or open the Ollama app), or set rozet.${role}.baseUrl (${envName(`rozet.${role}.baseUrl`)}) to where it runs.`,
    };
  }
  if (mapped.kind === 'connection') {
    return {
      kind: mapped.kind,
      message: mapped.message,
      fix: `Start the server, or set rozet.${role}.baseUrl (${envName(`rozet.${role}.baseUrl`)}) to where it runs.`,
    };
  }
  if (mapped.kind === 'method_not_allowed')
    return { kind: mapped.kind, message: mapped.message, fix: settingFix(role, 'baseUrl') };
  return { kind: mapped.kind, message: mapped.message };
}

function settingFix(role: ModelRole, setting: ProviderConfigError['setting']): string {
  return `Set rozet.${role}.${setting} (environment: ${envName(`rozet.${role}.${setting}`)}).`;
}

/** Ollama names "llama3.2" and "llama3.2:latest" the same model. */
function findModel(listed: readonly ListedModel[], provider: ProviderName, model: string): ListedModel | undefined {
  const wanted = provider === 'ollama' && !model.includes(':') ? [model, `${model}:latest`] : [model];
  return listed.find((m) => wanted.includes(m.id));
}

/** A few listed ids, those sharing the wanted model's family first. */
function suggest(listed: readonly ListedModel[], model: string): string[] {
  const family = model
    .toLowerCase()
    .replace(/^[^/]*\//, '')
    .split(/[:\-.]/)[0];
  const ids = listed.map((m) => m.id);
  const related = ids.filter((id) => id.toLowerCase().includes(family));
  return [...new Set([...related, ...ids])].slice(0, SUGGESTIONS);
}

const MARKS: Record<CheckStatus, string> = { pass: 'ok  ', warn: 'warn', fail: 'FAIL', skip: 'skip' };

/** The report as plain lines, for the CLI and the extension's output channel. */
export function formatHealthReport(report: HealthReport): string {
  const lines: string[] = [];
  for (const role of report.roles) {
    lines.push(
      `${role.role}: ${PROVIDERS[role.provider]?.displayName ?? role.provider} "${role.model}"${role.baseUrl ? ` at ${role.baseUrl}` : ''}`,
    );
    for (const check of role.checks) {
      lines.push(`  ${MARKS[check.status]}  ${check.name.padEnd(8)} ${check.message}`);
      if (check.fix && (check.status === 'fail' || check.status === 'warn'))
        lines.push(`        ${''.padEnd(8)} fix: ${check.fix}`);
    }
  }
  lines.push(report.ok ? 'All checks passed.' : 'Some checks failed: see the fixes above.');
  return lines.join('\n');
}
