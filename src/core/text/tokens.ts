// Token counts are estimates on purpose: the models Rozet drives (Qwen, Llama, GPT,
// Claude, Gemini) each use their own tokenizer, so no single exact tokenizer is right,
// and bundling one costs megabytes and activation time. The estimate over-counts
// against o200k on prose, code, JSON, markdown and CJK (test/unit/tokens.test.ts checks
// it with gpt-tokenizer), so budgets built on those keep requests inside the real
// context. Digit-dense and random-looking text (logs, CSV, hashes, base64) tokenizes
// finer and is under-counted, by up to about half; tool results are capped in bytes and
// binary files are never read, so such text stays a small part of a request, and the
// room budgets keep for the answer absorbs it. The rules:
// - ASCII: one token per 3 characters (real tokenizers average 3.5–4.5);
// - anything else (CJK, emoji, accented text): one token per character;
// - 4 tokens of framing per chat message.
import type { ChatMessage } from '../model/chat';

const MESSAGE_OVERHEAD = 4;

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) < 128) ascii++;
    else other++;
  }
  return Math.ceil(ascii / 3) + other;
}

export function estimateMessageTokens(message: ChatMessage): number {
  let n = MESSAGE_OVERHEAD + estimateTokens(message.content);
  for (const call of message.toolCalls ?? [])
    n += estimateTokens(call.name) + estimateTokens(call.arguments) + MESSAGE_OVERHEAD;
  return n;
}

export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0);
}

/** Cut text to about `maxTokens`, keeping head and tail, with a visible note in between. */
export function truncateToTokens(text: string, maxTokens: number, what = 'text'): { text: string; truncated: boolean } {
  if (estimateTokens(text) <= maxTokens) return { text, truncated: false };
  // Characters per token is at least 1 for any text under this estimate, so cutting by
  // characters at the budget always fits; use 3 for mostly-ASCII text.
  const ratio = estimateTokens(text) > text.length / 2 ? 1 : 3;
  const keep = Math.max(0, maxTokens * ratio - 80);
  const head = text.slice(0, Math.floor(keep * 0.7));
  const tail = text.slice(text.length - Math.floor(keep * 0.3));
  const omitted = text.length - head.length - tail.length;
  return {
    text: `${head}\n[… ${omitted} characters of ${what} omitted to fit the model's context …]\n${tail}`,
    truncated: true,
  };
}
