// Streams produce many tiny task.delta events. Whoever forwards or stores them (the
// webview batcher, run history) merges consecutive deltas of a task into one, and may
// cap the text kept per task so a runaway model cannot grow a record without bound.
import type { RunEvent } from './events';

export function coalesceDeltas(events: readonly RunEvent[], maxTextPerTask = Number.POSITIVE_INFINITY): RunEvent[] {
  const out: RunEvent[] = [];
  const textPerTask = new Map<string, number>();
  for (const event of events) {
    if (event.type !== 'task.delta') {
      out.push(event);
      continue;
    }
    const used = textPerTask.get(event.taskId) ?? 0;
    if (used >= maxTextPerTask) continue;
    const text = event.text.slice(0, maxTextPerTask - used);
    textPerTask.set(event.taskId, used + text.length);
    const last = out[out.length - 1];
    if (last?.type === 'task.delta' && last.taskId === event.taskId && !!last.reasoning === !!event.reasoning) {
      out[out.length - 1] = { ...last, text: last.text + text };
    } else {
      out.push({ ...event, text });
    }
  }
  return out;
}
