// What a run leaves in the "Rozet" output channel: one line per task transition and
// tool result, the retries and the outcome. Streamed text and calls in progress are
// left out (the sidebar shows them); the log is for reading back what happened.
import { describeRetry, type RunEvent } from '../core/run/events';
import type { Log } from './log';

export function logRunEvent(log: Log, event: RunEvent): void {
  switch (event.type) {
    case 'task.started':
      log.info(`[${event.taskId}] started on ${event.model} (attempt ${event.attempt})`);
      break;
    case 'task.toolResult':
      log.info(
        `[${event.taskId}] ${event.record.name} ${event.record.ok ? 'ok' : 'error'} (${event.record.durationMs} ms): ${event.record.summary.slice(0, 300)}`,
      );
      break;
    case 'task.retrying':
      log.warn(`[${event.taskId}] ${describeRetry(event)}`);
      break;
    case 'task.failed':
      log.warn(`[${event.taskId}] failed: ${event.error}`);
      break;
    case 'task.skipped':
      log.info(`[${event.taskId}] skipped: ${event.reason}`);
      break;
    case 'plan.finished':
      log.info(
        `Run ${event.runId} ${event.summary.outcome} in ${event.summary.wallMs} ms; files: ${event.summary.filesChanged.join(', ') || 'none'}`,
      );
      break;
  }
}
