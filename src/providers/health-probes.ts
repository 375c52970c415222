// The checks of health.ts that talk to the model or judge a failure: the key test, the
// tiny chat request, the one tool call, and the words for a provider that did not answer.
import { ModelError, type ChatRequest, type ChatResponse } from '../core/model/chat';
import type { Fix, Host } from '../core/model/fix';
import { fixPhrase, fixSentence } from '../config/fix-hints';
import { capabilitiesFor, PROVIDERS, type ListedModel } from './catalogue';
import { findErrorCode, isLocalUrl, mapTransportError } from './errors';
import type { ListingChatModel } from './factory';
import type { Found, HealthOptions, HealthTarget } from './health';
import type { ModelRole } from './models-for-config';
import { errorMessage } from '../core/text/error-message';

const DEFAULT_TIMEOUT_MS = 5000;
// A local model may have to load before its first answer.
const DEFAULT_CHAT_TIMEOUT_MS = 60_000;
const TEST_TOOL = 'report_health';

export function hostOf(target: HealthTarget): Host {
  return target.spec.host ?? 'vscode';
}

export function settingFix(role: ModelRole, setting: 'provider' | 'model' | 'baseUrl'): Fix {
  return { kind: 'setting', key: `rozet.${role}.${setting}` };
}

/** How to let a held-back key through: agree when asked, or choose the URL yourself. */
export function heldBackFix(target: HealthTarget): string {
  const baseUrl: Fix = settingFix(target.role, 'baseUrl');
  return hostOf(target) === 'cli'
    ? `Answer yes when rozet asks on a terminal, or choose the URL yourself: ${fixPhrase(baseUrl, 'cli')}.`
    : `Agree when Rozet asks to send the key, or set rozet.${target.role}.baseUrl in your user settings.`;
}

export function heldBackFailure(target: HealthTarget): Found {
  return {
    status: 'fail',
    message: `Your API key${target.keySource ? ` (${target.keySource})` : ''} is held back: ${target.keyHeldBack}.`,
    action: { kind: 'setting', key: `rozet.${target.role}.baseUrl` },
    fixText: heldBackFix(target),
  };
}

class TimedOut extends Error {}

/** Runs `call` with the caller's signal joined to a per-call timeout. */
export async function bounded<T>(options: HealthOptions, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    return await call(signal);
  } catch (error) {
    if (timeout.aborted && !options.signal?.aborted) throw new TimedOut();
    throw error;
  }
}

/** A failed listing or connection: what happened and what to do, without repeating the fix. */
export function describeFailure(
  error: unknown,
  target: HealthTarget,
  baseUrl: string,
  options: HealthOptions,
  timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
): Found & { kind: string } {
  if (options.signal?.aborted) throw error;
  const { role, spec } = target;
  const host = hostOf(target);
  const display = PROVIDERS[spec.provider].displayName;
  const moveUrl = settingFix(role, 'baseUrl');
  if (error instanceof TimedOut) {
    return {
      kind: 'timeout',
      status: 'fail',
      message: `${display} at ${baseUrl} did not answer within ${Math.round(timeoutMs / 1000)} s.`,
      action: moveUrl,
      fixText: `Check that it is running and not overloaded, and your network or proxy; or ${fixPhrase(moveUrl, host)}.`,
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
          host,
          role,
        });
  const refused = mapped.kind === 'connection' && findErrorCode(mapped.details.cause ?? error) === 'ECONNREFUSED';
  // Starting a server is advice for one on this machine or network, never for a cloud API.
  if (refused && isLocalUrl(baseUrl)) {
    const start =
      spec.provider === 'ollama' ? 'Start it with `ollama serve` (or open the Ollama app)' : 'Start the server';
    return {
      kind: mapped.kind,
      status: 'fail',
      message: `${spec.provider === 'ollama' ? 'Ollama is' : `${display} is`} not running at ${baseUrl} (no connection).`,
      action: moveUrl,
      fixText: `${start}, or ${fixPhrase(moveUrl, host)} to where it runs.`,
    };
  }
  return { kind: mapped.kind, status: 'fail', ...withoutFix(mapped, host) };
}

/** A ModelError's message ends with its fix sentence; a check shows the fix on its own line. */
function withoutFix(error: ModelError, host: Host): { message: string; action?: Fix } {
  const fix = error.details.fix;
  if (!fix) return { message: error.message };
  const sentence = fixSentence(fix, host);
  const message = error.message.endsWith(sentence) ? error.message.slice(0, -sentence.length).trim() : error.message;
  return { message, action: fix };
}

export async function verifyKey(
  target: HealthTarget,
  baseUrl: string,
  hasKey: boolean,
  options: HealthOptions,
): Promise<Found & { timed?: boolean }> {
  const { provider } = target.spec;
  const info = PROVIDERS[provider];
  const from = target.keySource ? ` (${target.keySource})` : '';
  const action: Fix = { kind: 'apiKey', provider };
  if (!hasKey && target.keyHeldBack !== undefined) {
    if (info.keyRequired) return heldBackFailure(target);
    return {
      status: 'warn',
      message: `Your API key${from} is held back: ${target.keyHeldBack}; ${info.displayName} is used without it.`,
      action: settingFix(target.role, 'baseUrl'),
      fixText: heldBackFix(target),
    };
  }
  if (!hasKey) {
    return info.keyRequired
      ? { status: 'fail', message: `No API key is set for ${info.displayName}.`, action }
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
    await response.body?.cancel();
    if (response.ok) return { status: 'pass', message: `Key set${from} and accepted.`, timed: true };
    if (response.status === 401 || response.status === 403)
      return {
        status: 'fail',
        message: `${info.displayName} rejected the API key${from} (HTTP ${response.status}).`,
        action,
        timed: true,
      };
    return {
      status: 'warn',
      message: `Key set${from}; ${info.displayName} answered HTTP ${response.status} when asked to verify it.`,
      fixText: 'If runs fail with "key rejected", replace the key.',
      timed: true,
    };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return {
      status: 'warn',
      message: `Key set${from}, but it could not be verified (${errorMessage(error)}).`,
      fixText: 'Run the health check again.',
    };
  }
}

/** One tiny chat request: a server that lists models may still refuse to chat (a wrong endpoint, a 405). */
export async function chatProbe(model: ListingChatModel, host: Host, options: HealthOptions): Promise<Found> {
  const answer = await timedChat(model, options, {
    messages: [{ role: 'user', content: 'Reply with the single word OK.' }],
    maxOutputTokens: 32,
  });
  if ('error' in answer) return { ...chatFailure(answer.error, host, options, 'chat'), durationMs: answer.durationMs };
  const said = answer.response.content.replace(/\s+/g, ' ').trim().slice(0, 40);
  return {
    status: 'pass',
    message: said ? `Answered "${said}".` : `Answered (with no text; finish reason ${answer.response.finishReason}).`,
    durationMs: answer.durationMs,
  };
}

/** A chat request bounded by the chat timeout, with its time. */
async function timedChat(
  model: ListingChatModel,
  options: HealthOptions,
  request: Omit<ChatRequest, 'signal'>,
): Promise<({ response: ChatResponse } | { error: unknown }) & { durationMs: number }> {
  const started = performance.now();
  try {
    const timeoutMs = options.chatTimeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS;
    const response = await bounded({ ...options, timeoutMs }, (signal) => model.chat({ ...request, signal }));
    return { response, durationMs: performance.now() - started };
  } catch (error) {
    return { error, durationMs: performance.now() - started };
  }
}

/** One tool call, where the provider claims the model takes tools; the planner needs none. */
export async function toolProbe(
  target: HealthTarget,
  model: ListingChatModel,
  found: ListedModel | undefined,
  options: HealthOptions,
): Promise<Found> {
  const { role, spec } = target;
  const display = PROVIDERS[spec.provider].displayName;
  const pick: Fix = { kind: 'model', role };
  const fixText = `Use a model with tool support (e.g. qwen2.5-coder, llama3.1): ${fixPhrase(pick, hostOf(target))}.`;
  if (role === 'orchestrator') return { status: 'pass', message: 'Not needed: the planner answers in JSON.' };
  if (found?.tools === false) {
    // Rozet sends tools when it believes the model takes them; the server would then answer 400.
    return capabilitiesFor(spec.provider, model.model).nativeTools
      ? {
          status: 'fail',
          message: `${display} says "${model.model}" cannot call tools, so worker requests with tools would be refused.`,
          action: pick,
          fixText,
        }
      : { status: 'warn', message: textProtocol('No native tool calling'), action: pick, fixText };
  }
  if (found?.tools !== true && !model.capabilities.nativeTools)
    return { status: 'warn', message: textProtocol('Known to lack native tool calling'), action: pick, fixText };

  const answer = await timedChat(model, options, {
    messages: [{ role: 'user', content: `Call the ${TEST_TOOL} tool with ok set to true.` }],
    tools: [
      {
        name: TEST_TOOL,
        description: 'Reports that the health check reached the model.',
        parameters: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
      },
    ],
    maxOutputTokens: 128,
  });
  const { durationMs } = answer;
  if ('error' in answer) {
    const refused = answer.error instanceof ModelError && answer.error.kind === 'tools_unsupported';
    const failure = chatFailure(answer.error, hostOf(target), options, 'tool call');
    return { ...failure, status: refused ? 'fail' : 'warn', ...(refused ? { action: pick, fixText } : {}), durationMs };
  }
  if (answer.response.toolCalls.some((call) => call.name === TEST_TOOL))
    return { status: 'pass', message: 'Tool calling works: the model called a test tool.', durationMs };
  return {
    status: 'warn',
    message: 'The model answered without calling the test tool; workers may get prose where they need tool calls.',
    action: pick,
    fixText,
    durationMs,
  };
}

function textProtocol(what: string): string {
  return `${what}: workers use the text tool protocol, which small models follow less reliably.`;
}

function chatFailure(error: unknown, host: Host, options: HealthOptions, what: string): Found {
  if (options.signal?.aborted) throw error;
  if (error instanceof TimedOut) {
    const seconds = Math.round((options.chatTimeoutMs ?? DEFAULT_CHAT_TIMEOUT_MS) / 1000);
    return {
      status: 'fail',
      message: `The ${what} got no answer within ${seconds} s.`,
      fixText: 'A model still loading can take longer: run the check again.',
    };
  }
  const mapped = error instanceof ModelError ? error : new ModelError('connection', String(error));
  const { message, action } = withoutFix(mapped, host);
  return { status: 'fail', message: `The ${what} failed: ${message}`, action };
}
