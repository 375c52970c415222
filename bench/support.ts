// Small helpers shared by the issue-8 benchmarks: percentiles, rounding, a zero-latency
// model, and a garbage collector reachable without starting Node with --expose-gc.
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import type { ChatModel, ChatRequest, ChatResponse } from '../src/core/model/chat';
import type { Approver, Shell } from '../src/core/workspace/workspace';

export const APPROVE_ALL: Approver = { approve: async () => ({ approved: true }) };
export const NO_SHELL: Shell = {
  run: async () => ({ exitCode: 0, output: '', truncated: false, timedOut: false, cancelled: false, durationMs: 0 }),
};

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** A full collection, so heap figures measure what is retained, not garbage. */
export function collectGarbage(): () => void {
  if (typeof global.gc === 'function') return global.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Answers every request at once with a final answer: the run engine's own cost only. */
export class InstantAnswerModel implements ChatModel {
  readonly provider = 'openaiCompatible' as const;
  readonly model = 'instant';
  readonly capabilities = { nativeTools: true, streaming: true, parallelSlots: 64, contextTokens: 32768 };
  async chat(request: ChatRequest): Promise<ChatResponse> {
    request.onDelta?.({ text: 'done' });
    return {
      content: 'done',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 1, completionTokens: 1 },
      model: this.model,
    };
  }
}
