// How a task's status is shown, one table for the terminal and the sidebar so a task
// looks the same in both. Plain data: the webview bundle imports it too.
import type { TaskStatus } from './events';

export const TASK_STATUS: Readonly<Record<TaskStatus, { icon: string; label: string }>> = {
  pending: { icon: '○', label: 'Pending' },
  queued: { icon: '◌', label: 'Queued' },
  running: { icon: '◐', label: 'Running' },
  succeeded: { icon: '✓', label: 'Succeeded' },
  failed: { icon: '✗', label: 'Failed' },
  skipped: { icon: '↷', label: 'Skipped' },
  cancelled: { icon: '⊘', label: 'Cancelled' },
  overBudget: { icon: '⏸', label: 'Over budget' },
};
