// Summary-buffer memory, after LangChain's ConversationSummaryBufferMemory: the most
// recent messages are kept verbatim under a token budget; older ones are folded into a
// running summary written by a model (or, when no model answers, a deterministic digest).
// The pinned messages — the system prompt and the original request or task — are never
// summarised away, so condensing cannot forget what was asked.
//
// Messages are added in groups that are kept or condensed together: an assistant turn
// and the tool results answering it form one group, because providers reject a tool
// result whose call is gone. Token counts are the documented estimate of tokens.ts.
import { isAbortError, type ChatMessage, type ChatModel } from '../model/chat';
import { cleanModelText } from '../text/json-extract';
import { callModel, type CallOptions } from '../model/model-call';
import { estimateMessagesTokens, estimateTokens, truncateToTokens } from '../text/tokens';

/** Condenses `messages` (oldest first) together with the previous summary into a new one. */
export type Summariser = (
  messages: ChatMessage[],
  previous: string | undefined,
  maxTokens: number,
  signal?: AbortSignal,
) => Promise<string>;

export interface SummaryBufferOptions {
  /** Budget for everything `messages()` returns. */
  maxTokens: number;
  /** Never summarised: the system prompt, the request, the task. */
  pinned: ChatMessage[];
  /** Model-written summaries; without one (or when it fails) a digest is used. */
  summarise?: Summariser;
}

/** Share of the budget left after the pinned messages that the summary may take. */
const SUMMARY_SHARE = 0.25;
const MIN_SUMMARY_TOKENS = 64;
const SUMMARY_HEADER = 'Summary of the earlier conversation (older messages were condensed to fit the context):\n';

export class SummaryBufferMemory {
  private readonly groups: ChatMessage[][] = [];
  private summaryText: string | undefined;
  private summarisedCount = 0;

  constructor(private readonly options: SummaryBufferOptions) {}

  /** Adds messages that are kept or condensed together. */
  add(...messages: ChatMessage[]): void {
    if (messages.length) this.groups.push(messages.map((m) => ({ ...m })));
  }

  get summary(): string | undefined {
    return this.summaryText;
  }

  /** How many messages have been folded into the summary so far. */
  get summarised(): number {
    return this.summarisedCount;
  }

  /** The messages to send: pinned, the summary if any, then recent messages, under the budget. */
  async messages(signal?: AbortSignal): Promise<ChatMessage[]> {
    const { maxTokens, pinned } = this.options;
    if (estimateMessagesTokens(this.assemble()) > maxTokens) {
      const available = Math.max(0, maxTokens - estimateMessagesTokens(pinned));
      const summaryCap = Math.max(MIN_SUMMARY_TOKENS, Math.floor(available * SUMMARY_SHARE));
      const recentBudget = Math.max(0, available - summaryCap - estimateTokens(SUMMARY_HEADER) - 4);
      let keep = 0;
      let used = 0;
      for (let i = this.groups.length - 1; i >= 0; i--) {
        const size = estimateMessagesTokens(this.groups[i]);
        if (keep > 0 && used + size > recentBudget) break;
        used += size;
        keep++;
      }
      const evicted = this.groups.splice(0, this.groups.length - keep).flat();
      if (evicted.length) {
        this.summaryText = await this.condense(evicted, summaryCap, signal);
        this.summarisedCount += evicted.length;
      }
      // The newest group alone may still be too big (a huge tool result): cut its texts.
      const newest = this.groups[this.groups.length - 1];
      if (newest && used > recentBudget) shrinkGroup(newest, recentBudget);
    }
    return this.assemble();
  }

  private assemble(): ChatMessage[] {
    const summary: ChatMessage[] = this.summaryText
      ? [{ role: 'user', content: SUMMARY_HEADER + this.summaryText }]
      : [];
    return [...this.options.pinned, ...summary, ...this.groups.flat()];
  }

  private async condense(evicted: ChatMessage[], cap: number, signal?: AbortSignal): Promise<string> {
    if (this.options.summarise) {
      try {
        const text = (await this.options.summarise(evicted, this.summaryText, cap, signal)).trim();
        if (text) return truncateToTokens(text, cap, 'summary').text;
      } catch (error) {
        if (isAbortError(error) || signal?.aborted) throw error;
      }
    }
    return digest(evicted, this.summaryText, cap);
  }
}

/** A deterministic summary: one line per message, bounded; used when no model answers. */
export function digest(messages: readonly ChatMessage[], previous: string | undefined, maxTokens: number): string {
  // A rolling digest must not let either the old summary or the new turns crowd out the other.
  const older = previous ? truncateToTokens(previous, Math.floor(maxTokens * 0.4), 'summary').text : undefined;
  const budget = maxTokens - (older ? estimateTokens(older) : 0);
  // Shorter lines when many messages share the budget, so each keeps its gist.
  const width = Math.max(16, Math.min(200, Math.floor((budget * 3) / Math.max(1, messages.length)) - 40));
  const lines: string[] = [];
  for (const m of messages) {
    if (m.toolCalls?.length) {
      for (const call of m.toolCalls) lines.push(`- assistant called ${call.name}(${describeArgs(call.arguments)})`);
      if (m.content.trim()) lines.push(`- assistant: ${oneLine(m.content, width)}`);
    } else if (m.role === 'tool') lines.push(`- ${m.name ?? 'tool'} result: ${oneLine(m.content, width)}`);
    else lines.push(`- ${m.role}: ${oneLine(m.content, width)}`);
  }
  const newer = truncateToTokens(lines.join('\n'), budget, 'summary').text;
  return older ? `${older}\n${newer}` : newer;
}

/** A Summariser that asks `model`; its failures fall back to the digest in the memory. */
export function modelSummariser(model: ChatModel, options: CallOptions & { maxInputTokens?: number } = {}): Summariser {
  return async (messages, previous, maxTokens, signal) => {
    const inputBudget = options.maxInputTokens ?? Math.floor(model.capabilities.contextTokens / 2);
    const transcript = truncateToTokens(messages.map(render).join('\n\n'), inputBudget, 'transcript').text;
    const response = await callModel(
      model,
      {
        messages: [
          {
            role: 'system',
            content: `You condense the history of a coding agent's work so it can continue. Keep facts it needs: files read and changed, commands run and their outcome, errors, decisions, what remains. Plain text, at most ${Math.max(50, Math.floor(maxTokens * 2))} words.`,
          },
          {
            role: 'user',
            content: `${previous ? `Summary so far:\n${previous}\n\n` : ''}New messages:\n${transcript}\n\nWrite the updated summary.`,
          },
        ],
        temperature: 0,
        signal,
      },
      { ...options, retry: { maxAttempts: 2, ...options.retry } },
    );
    return cleanModelText(response.content);
  };
}

function render(m: ChatMessage): string {
  const calls = (m.toolCalls ?? []).map((c) => `[calls ${c.name} ${c.arguments}]`).join(' ');
  return `${m.role}${m.name ? ` (${m.name})` : ''}: ${m.content}${calls ? ` ${calls}` : ''}`;
}

/** `path=src/a.ts, content=<1200 chars>`: the arguments that say what was done, not the payload. */
function describeArgs(json: string): string {
  let args: unknown;
  try {
    args = JSON.parse(json);
  } catch {
    return oneLine(json, 60);
  }
  if (typeof args !== 'object' || args === null) return oneLine(json, 60);
  return Object.entries(args)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value);
      return `${key}=${text.length > 80 ? `<${text.length} chars>` : oneLine(text, 80)}`;
    })
    .join(', ');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

function shrinkGroup(group: ChatMessage[], budget: number): void {
  const overhead = estimateMessagesTokens(group.map((m) => ({ ...m, content: '' })));
  const share = Math.max(16, Math.floor((budget - overhead) / group.length));
  for (const m of group) m.content = truncateToTokens(m.content, share, 'message').text;
}
