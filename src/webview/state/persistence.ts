// What survives the webview being hidden (VS Code destroys it; setState/getState carry
// state across): the model written back as a host snapshot, with the run as the event
// log that rebuilds it when folded again (the plan under review with its edits), and UI state.
import { z } from 'zod';
import type { RunEvent } from '../../core/run/events';
import type { Plan } from '../../core/plan/plan';
import { PROTOCOL_VERSION, SnapshotShape } from '../protocol';
import type { Model, RunView } from './model';

const UiShape = z.object({
  tab: z.enum(['chat', 'tasks', 'history']),
  draft: z.string(),
  expanded: z.array(z.string()),
});

const PersistedShape = z.object({
  version: z.literal(PROTOCOL_VERSION),
  snapshot: SnapshotShape,
  ui: UiShape,
});
export type Persisted = z.infer<typeof PersistedShape>;

export function toPersisted(m: Model): Persisted {
  return {
    version: PROTOCOL_VERSION,
    snapshot: {
      messages: m.messages,
      plan: m.plan ? { planId: m.plan.planId, result: m.plan.result, edited: m.plan.plan } : null,
      runEvents: m.run ? runToEvents(m.run) : [],
      approvals: m.approvals.map(({ answered: _answered, ...request }) => request),
      attachments: m.attachments,
      models: m.models,
      history: m.history,
    },
    ui: m.ui,
  };
}

/** Saved state, or undefined when it is unusable (another version, or damaged). */
export function parsePersisted(state: unknown): Persisted | undefined {
  const parsed = PersistedShape.safeParse(state);
  return parsed.success ? parsed.data : undefined;
}

/** The event log that rebuilds `run` when folded: how a run survives a hidden webview. */
function runToEvents(run: RunView): RunEvent[] {
  const base = { runId: run.runId, at: run.startedAt };
  const plan: Plan = {
    tasks: run.order.map((id) => {
      const t = run.tasks.get(id);
      return {
        id,
        title: t?.title ?? id,
        description: t?.description ?? '',
        dependsOn: t?.dependsOn ?? [],
        files: t?.files ?? [],
        ...(t?.model ? { model: t.model } : {}),
      };
    }),
  };
  const events: RunEvent[] = [{ ...base, type: 'plan.started', plan, source: run.source }];
  for (const id of run.order) {
    const t = run.tasks.get(id);
    if (!t) continue;
    const at = t.startedAt ?? run.startedAt;
    if (t.status === 'queued') events.push({ ...base, at, type: 'task.queued', taskId: id });
    if (t.attempt > 0)
      events.push({ ...base, at, type: 'task.started', taskId: id, model: t.model ?? '', attempt: t.attempt });
    if (t.usage) events.push({ ...base, at, type: 'task.usage', taskId: id, usage: t.usage });
    if (t.output !== '') events.push({ ...base, at, type: 'task.delta', taskId: id, text: t.output });
    for (const call of t.toolCalls) {
      if (call.record) events.push({ ...base, at, type: 'task.toolResult', taskId: id, record: call.record });
      else
        events.push({
          ...base,
          at,
          type: 'task.toolCall',
          taskId: id,
          callId: call.callId,
          name: call.name,
          args: call.args,
        });
    }
    for (const retry of t.retries) events.push({ ...base, at, type: 'task.retrying', taskId: id, ...retry });
    const end = t.endedAt ?? at;
    if (t.status === 'succeeded')
      events.push({ ...base, at: end, type: 'task.succeeded', taskId: id, result: t.result ?? '', kept: t.kept });
    if (t.status === 'overBudget' && t.overBudget)
      events.push({ ...base, at: end, type: 'task.overBudget', taskId: id, ...t.overBudget });
    if (t.status === 'failed') events.push({ ...base, at: end, type: 'task.failed', taskId: id, error: t.error ?? '' });
    if (t.status === 'skipped')
      events.push({ ...base, at: end, type: 'task.skipped', taskId: id, reason: t.error ?? '' });
    if (t.status === 'cancelled') events.push({ ...base, at: end, type: 'task.cancelled', taskId: id });
  }
  if (run.overBudget) events.push({ ...base, type: 'run.overBudget', ...run.overBudget });
  if (run.summary) events.push({ ...base, type: 'plan.finished', summary: run.summary });
  return events;
}
