// Streamed tool calls arrive as fragments that only the `index` ties together: the id
// and name come once (or as "" on every continuation, as DashScope sends them), the
// arguments in pieces. Some servers start at index 1 or omit the index altogether.
import { randomUUID } from 'node:crypto';
import type { ToolCall } from '../core/model/chat';

export interface ToolCallFragment {
  index?: number;
  id?: string | null;
  function?: { name?: string | null; arguments?: string | null };
}

export function newToolCallId(): string {
  return `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
}

export class ToolCallAssembler {
  private readonly calls = new Map<number, ToolCall>();
  private lastIndex = -1;

  add(fragment: ToolCallFragment): void {
    const index = this.indexOf(fragment);
    this.lastIndex = index;
    let call = this.calls.get(index);
    if (!call) {
      call = { id: '', name: '', arguments: '' };
      this.calls.set(index, call);
    }
    if (fragment.id && !call.id) call.id = fragment.id;
    // Some servers repeat the full name on every fragment; only the first one counts.
    if (fragment.function?.name && !call.name) call.name = fragment.function.name;
    if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
  }

  /** The calls in index order, with an id generated where the provider sent none. */
  result(): ToolCall[] {
    return [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({ id: call.id || newToolCallId(), name: call.name, arguments: call.arguments }));
  }

  private indexOf(fragment: ToolCallFragment): number {
    if (typeof fragment.index === 'number') return fragment.index;
    // Without an index, a new non-empty id starts a new call; anything else continues the last one.
    const startsNew = !!fragment.id && ![...this.calls.values()].some((c) => c.id === fragment.id);
    return startsNew || this.lastIndex < 0 ? Math.max(-1, ...this.calls.keys()) + 1 : this.lastIndex;
  }
}
