// The health check shared by `rozet health` and "Rozet: Health Check": per role, is the
// provider configured and reachable, is the key present and accepted, is the model there,
// does a tiny chat request get an answer, and — where the provider claims tools — does one
// tool call come back. Each check has its time and, when it is not fine, a fix worded for
// the host (spec.host). Every call is bounded by a timeout and no key ever reaches a
// message: ModelError messages are scrubbed by the providers, and ours never quote one.
// `upTo: 'key'` is the cheap pre-flight of a run: reachable and key accepted, nothing more.
import type { ProviderName } from '../core/model/chat';
import type { Fix } from '../core/model/fix';
import { fixSentence } from '../config/fix-hints';
import { PROVIDERS, type ListedModel } from './catalogue';
import { createChatModel, ProviderConfigError, resolveBaseUrl, type ListingChatModel, type ModelSpec } from './factory';
import {
  bounded,
  chatProbe,
  describeFailure,
  heldBackFailure,
  hostOf,
  settingFix,
  toolProbe,
  verifyKey,
} from './health-probes';
import type { ModelRole } from './models-for-config';

/** skip: not checked because an earlier check of the role failed. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export type HealthCheckName = 'provider' | 'key' | 'model' | 'chat' | 'tools';

export const CHECK_ORDER: readonly HealthCheckName[] = ['provider', 'key', 'model', 'chat', 'tools'];

export interface HealthCheck {
  role: ModelRole;
  name: HealthCheckName;
  status: CheckStatus;
  /** What was found. */
  message: string;
  /** What to do about it (set on fail and warn), in the words of the spec's host. */
  fix?: string;
  /** The same fix as data, for hosts that offer it as a button. */
  action?: Fix;
  /** How long the check's request took, when it made one. */
  durationMs?: number;
}

export interface HealthTarget {
  role: ModelRole;
  spec: ModelSpec;
  /** Where the key came from, shown instead of the key (e.g. "environment: OPENROUTER_API_KEY"). */
  keySource?: string;
  /** Set when a key exists but is not sent, and why (e.g. the workspace chose the base URL). */
  keyHeldBack?: string;
}

export interface RoleHealth {
  role: ModelRole;
  provider: ProviderName;
  model: string;
  baseUrl?: string;
  checks: HealthCheck[];
}

/** A check's findings; `fixText` words a fix that is more than the action's own sentence. */
export type Found = Omit<HealthCheck, 'role' | 'name' | 'fix'> & { fixText?: string };

export interface HealthReport {
  /** No check failed (warnings allowed). */
  ok: boolean;
  roles: RoleHealth[];
}

export interface HealthOptions {
  signal?: AbortSignal;
  /** Per listing or key call; a server that does not answer in time fails the check. */
  timeoutMs?: number;
  /** Per chat or tool request, which may have to wait for a model to load. */
  chatTimeoutMs?: number;
  /** The last check to make ('key': a run's pre-flight). */
  upTo?: HealthCheckName;
}

export async function healthCheck(
  targets: readonly HealthTarget[],
  options: HealthOptions = {},
): Promise<HealthReport> {
  const roles = await Promise.all(targets.map((target) => checkRole(target, options)));
  return { ok: roles.every((r) => r.checks.every((c) => c.status !== 'fail')), roles };
}

/** The first failing check of a run's pre-flight (reachable, key accepted), or undefined when the role can be tried. */
export async function preflight(target: HealthTarget, options: HealthOptions = {}): Promise<HealthCheck | undefined> {
  const report = await healthCheck([target], { ...options, upTo: 'key' });
  return report.roles[0].checks.find((c) => c.status === 'fail');
}

async function checkRole(target: HealthTarget, options: HealthOptions): Promise<RoleHealth> {
  const { role, spec } = target;
  const host = hostOf(target);
  const health: RoleHealth = { role, provider: spec.provider, model: spec.model, checks: [] };
  const last = CHECK_ORDER.indexOf(options.upTo ?? 'tools');
  const add = (name: HealthCheckName, { fixText, ...found }: Found) => {
    if (CHECK_ORDER.indexOf(name) > last) return;
    const worth = found.status === 'fail' || found.status === 'warn';
    const fix = worth ? (fixText ?? (found.action && fixSentence(found.action, host))) : undefined;
    health.checks.push({ role, name, ...found, ...(fix ? { fix } : {}) });
  };
  const skipRest = (after: HealthCheckName, why: string) =>
    CHECK_ORDER.slice(CHECK_ORDER.indexOf(after) + 1).forEach((name) =>
      add(name, { status: 'skip', message: `not checked: ${why}` }),
    );

  let model: ListingChatModel;
  let baseUrl: string;
  try {
    model = createChatModel(target.spec);
    baseUrl = resolveBaseUrl(spec.provider, spec.baseUrl);
  } catch (error) {
    if (!(error instanceof ProviderConfigError)) throw error;
    add('provider', { status: 'fail', message: error.message, action: settingFix(role, error.setting) });
    skipRest('provider', 'the configuration must be fixed first');
    return health;
  }
  health.baseUrl = baseUrl;
  const info = PROVIDERS[spec.provider];
  const display = info.displayName;
  // A model the host serves itself (VS Code's) has no address to name.
  const where = baseUrl ? `${display} at ${baseUrl}` : display;
  const hasKey = Boolean(spec.apiKey?.trim());
  const heldBack = !hasKey && target.keyHeldBack !== undefined;

  // The listing proves the server answers and, where it checks keys, that the key is good.
  // Without a key that will be needed anyway, or for OpenRouter's large public list in a
  // pre-flight, a plain request to the base URL proves the first.
  const listFirst = !(info.keyRequired && !hasKey) && !(spec.provider === 'openrouter' && options.upTo === 'key');
  let listed: ListedModel[] | undefined;
  let started = performance.now();
  try {
    if (listFirst) listed = await bounded(options, (signal) => model.listModels(signal));
    else await bounded(options, (signal) => reach(spec, baseUrl, signal));
  } catch (error) {
    const durationMs = performance.now() - started;
    const failure = describeFailure(error, target, baseUrl, options);
    if (failure.kind !== 'auth') {
      add('provider', {
        status: 'fail',
        message: failure.message,
        action: failure.action,
        fixText: failure.fixText,
        durationMs,
      });
      skipRest('provider', `${display} must be reachable first`);
      return health;
    }
    add('provider', { status: 'pass', message: `${where} answered.`, durationMs });
    add('key', keyRefused(target, failure.message));
    skipRest('key', 'the key must be accepted first');
    return health;
  }
  const count = listed ? ` (${listed.length} model${listed.length === 1 ? '' : 's'} listed)` : '';
  add('provider', {
    status: 'pass',
    message: `${where} answered${count}.`,
    durationMs: performance.now() - started,
  });

  started = performance.now();
  const key = await verifyKey(target, baseUrl, hasKey, options);
  add('key', { ...key, ...(key.timed ? { durationMs: performance.now() - started } : {}) });
  if (key.status === 'fail') {
    skipRest('key', heldBack ? 'the key must be sent first' : 'the key must be accepted first');
    return health;
  }
  if (options.upTo === 'key') return health;

  if (!listed) listed = await bounded(options, (signal) => model.listModels(signal)).catch(() => []);
  const found = findModel(listed, spec.provider, model.model);
  if (!found) {
    if (listed.length === 0) {
      add('model', {
        status: 'warn',
        message: `${display} listed no models, so "${model.model}" could not be checked.`,
        action: { kind: 'model', role },
      });
    } else {
      const others = suggest(listed, model.model);
      const pick = fixSentence({ kind: 'model', role }, host);
      const exists = `It has e.g. ${others.join(', ')}.`;
      add('model', {
        status: 'fail',
        message:
          spec.provider === 'ollama'
            ? `"${model.model}" is not pulled in Ollama.`
            : `${display} does not offer "${model.model}".`,
        action: { kind: 'model', role },
        fixText:
          spec.provider === 'ollama'
            ? `Run \`ollama pull ${model.model}\`, or: ${pick} ${exists}`
            : `${pick} ${exists}`,
      });
      skipRest('model', 'the model must exist first');
      return health;
    }
  } else {
    add('model', { status: 'pass', message: `"${model.model}" is available.` });
  }

  const chat = await chatProbe(model, host, options);
  add('chat', chat);
  if (chat.status === 'fail') {
    skipRest('chat', 'the model must answer first');
    return health;
  }
  add('tools', await toolProbe(target, model, found, options));
  return health;
}

/** A 401/403 on the listing: a rejected key, or one the server wants and was not given. */
function keyRefused(target: HealthTarget, message: string): Found {
  const action: Fix = { kind: 'apiKey', provider: target.spec.provider };
  if (target.spec.apiKey?.trim()) return { status: 'fail', message, action };
  if (target.keyHeldBack !== undefined) return heldBackFailure(target);
  return { status: 'fail', message: `${message} No key was sent: none is set.`, action };
}

/** Any HTTP answer from the base URL: the connection works. */
async function reach(spec: ModelSpec, baseUrl: string, signal: AbortSignal): Promise<void> {
  const response = await (spec.fetch ?? fetch)(baseUrl, { method: 'GET', signal });
  await response.body?.cancel();
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
  return [...new Set([...related, ...ids])].slice(0, 5);
}
