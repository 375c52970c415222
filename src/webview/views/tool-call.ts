// One tool call in a task's body: collapsed to its name, state and first argument;
// expanded, the arguments and the result or error.
import type { ToolCallView } from '../state/model';
import { formatBytes, formatDuration, h } from '../render/dom';

/** Text shown per tool argument/result block; the rest is summarised, not dropped silently. */
const MAX_BLOCK = 500_000;

export function clip(text: string): string {
  return text.length > MAX_BLOCK
    ? `${text.slice(0, MAX_BLOCK)}\n… ${formatBytes(text.length - MAX_BLOCK)} more not shown`
    : text;
}

function formatArgs(args: unknown): string {
  if (typeof args === 'string') return args;
  try {
    return JSON.stringify(args, null, 2) ?? String(args);
  } catch {
    return String(args);
  }
}

function argsPreview(call: ToolCallView): string {
  const args = call.args;
  if (typeof args === 'object' && args !== null) {
    const a = args as Record<string, unknown>;
    const first = a.command ?? a.path;
    if (typeof first === 'string') return first.length > 80 ? `${first.slice(0, 80)}…` : first;
  }
  return '';
}

export function renderToolCall(call: ToolCallView): HTMLElement {
  const record = call.record;
  const state = !record ? 'running' : record.ok ? 'ok' : 'error';
  return h(
    'div',
    { class: 'rz-tool', role: 'listitem', 'data-done': String(!!record), 'data-state': state },
    h(
      'details',
      {},
      h(
        'summary',
        {},
        h(
          'span',
          {
            class: 'rz-tool-state',
            role: 'img',
            'aria-label': state === 'running' ? 'running' : state === 'ok' ? 'succeeded' : 'failed',
          },
          state === 'running' ? '…' : state === 'ok' ? '✓' : '✕',
        ),
        h('span', { class: 'rz-tool-name' }, call.name),
        h('span', { class: 'rz-tool-preview' }, argsPreview(call)),
        record
          ? h(
              'span',
              { class: 'rz-muted' },
              `${formatDuration(record.durationMs)} · ${formatBytes(record.resultBytes)}`,
            )
          : null,
      ),
      h('div', { class: 'rz-label' }, 'Arguments'),
      h('pre', { class: 'rz-block', tabindex: 0 }, clip(formatArgs(call.args))),
      record ? h('div', { class: 'rz-label' }, record.ok ? 'Result' : 'Error') : null,
      record ? h('pre', { class: 'rz-block', tabindex: 0 }, clip(record.summary)) : null,
    ),
  );
}
