// Folds the run's event stream into the task tree the Tasks panel shows, noting in
// `changes` which tasks to repaint. The same fold rebuilds a run from a snapshot or
// from saved state (see persistence.ts), so there is one way a run gets its shape.
import type { RunEvent, TaskStatus } from '../../core/run/events';
import type { Task } from '../../core/plan/plan';
import type { Changes, Model, TaskView } from './model';

/** Worker output kept per task; older text is dropped so a chatty model cannot exhaust memory. */
const MAX_TASK_OUTPUT = 200_000;
const TRIM_NOTE = '[earlier output trimmed]\n';

export function applyRunEvent(model: Model, event: RunEvent, changes: Changes): void {
  if (event.type === 'plan.started') {
    model.run = {
      runId: event.runId,
      source: event.source,
      startedAt: event.at,
      order: event.plan.tasks.map((t) => t.id),
      tasks: new Map(event.plan.tasks.map((t) => [t.id, newTask(t)])),
    };
    // The plan under review became this run.
    model.plan = null;
    changes.run = true;
    changes.plan = true;
    return;
  }
  const run = model.run;
  if (!run || run.runId !== event.runId) {
    console.warn(`[rozet] ${event.type} for run ${event.runId} ignored: not the current run`);
    return;
  }
  if (event.type === 'plan.finished') {
    run.summary = event.summary;
    if (event.summary.outcome !== 'overBudget') run.overBudget = undefined;
    for (const outcome of event.summary.tasks) {
      const task = run.tasks.get(outcome.id);
      if (!task) continue;
      task.filesChanged = [...new Set([...task.filesChanged, ...outcome.filesChanged])];
      changes.patchedTasks.add(task.id);
    }
    changes.run = true;
    return;
  }
  if (event.type === 'capacity') {
    run.capacity = event.endpoints;
    changes.run = true;
    return;
  }
  if (event.type === 'run.overBudget') {
    run.overBudget = { used: event.used, budget: event.budget };
    changes.run = true;
    return;
  }
  const task = run.tasks.get(event.taskId);
  if (!task) {
    console.warn(`[rozet] ${event.type} for unknown task ${event.taskId} ignored`);
    return;
  }
  changes.patchedTasks.add(task.id);
  switch (event.type) {
    case 'task.queued':
      task.status = 'queued';
      break;
    case 'task.waiting':
      task.waiting = event.reason;
      break;
    case 'task.started':
      task.waiting = undefined;
      task.overBudget = undefined;
      if (run.summary) {
        // Continued or retried after the run had finished: it is going again.
        run.summary = undefined;
        run.overBudget = undefined;
      }
      if (task.attempt > 0 && task.output !== '') appendOutput(task, `\n— attempt ${event.attempt} —\n`);
      task.status = 'running';
      task.model = event.model;
      task.attempt = event.attempt;
      task.startedAt = event.at;
      task.endedAt = undefined;
      task.error = undefined;
      changes.run = true;
      break;
    case 'task.delta':
      appendOutput(task, event.text);
      break;
    case 'task.toolCall':
      task.toolCalls.push({ callId: event.callId, name: event.name, args: event.args });
      break;
    case 'task.toolResult': {
      const call = task.toolCalls.find((c) => c.callId === event.record.id && !c.record);
      if (call) call.record = event.record;
      else
        task.toolCalls.push({
          callId: event.record.id,
          name: event.record.name,
          args: event.record.args,
          record: event.record,
        });
      const path = event.record.fileChanged;
      if (path && !task.filesChanged.includes(path)) task.filesChanged.push(path);
      break;
    }
    case 'task.retrying':
      task.retries.push({ attempt: event.attempt, delayMs: event.delayMs, reason: event.reason });
      break;
    case 'task.usage':
      task.usage = event.usage;
      changes.run = true;
      break;
    case 'task.succeeded':
      finish(task, 'succeeded', event.at);
      task.result = event.result;
      task.kept = event.kept;
      changes.run = true;
      break;
    case 'task.overBudget':
      finish(task, 'overBudget', event.at);
      task.overBudget = { used: event.used, budget: event.budget };
      changes.run = true;
      break;
    case 'task.failed':
      finish(task, 'failed', event.at);
      task.error = event.error;
      changes.run = true;
      break;
    case 'task.skipped':
      finish(task, 'skipped', event.at);
      task.error = event.reason;
      changes.run = true;
      break;
    case 'task.cancelled':
      finish(task, 'cancelled', event.at);
      changes.run = true;
      break;
  }
}

function newTask({ id, title, description, model, dependsOn, files }: Task): TaskView {
  return {
    id,
    title,
    description,
    status: 'pending',
    model,
    dependsOn,
    files,
    attempt: 0,
    output: '',
    outputEpoch: 0,
    toolCalls: [],
    retries: [],
    filesChanged: [],
  };
}

function appendOutput(task: TaskView, text: string): void {
  task.output += text;
  if (task.output.length > MAX_TASK_OUTPUT) {
    const body = task.output.startsWith(TRIM_NOTE) ? task.output.slice(TRIM_NOTE.length) : task.output;
    task.output = TRIM_NOTE + body.slice(body.length - Math.floor(MAX_TASK_OUTPUT * 0.75));
    task.outputEpoch++;
  }
}

function finish(task: TaskView, status: TaskStatus, at: number): void {
  task.status = status;
  task.endedAt = at;
}
