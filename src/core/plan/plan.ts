// The plan contract (docs/ARCHITECTURE.md, "Plan JSON"): what the planner asks models for
// and what `rozet plan --json` prints. Strict shape only; lenient normalisation of model
// output lives in plan-parse.ts.
import { z } from 'zod';

export const TaskSchema = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string().default(''),
  dependsOn: z.array(z.string()).default([]),
  files: z.array(z.string()).default([]),
  model: z.string().min(1).optional(),
  /** MCP / VS Code tools the task needs, by the names the planner was shown. */
  tools: z.array(z.string().min(1)).optional(),
});

export const PlanSchema = z.object({
  tasks: z.array(TaskSchema).min(1),
});

export type Task = z.infer<typeof TaskSchema>;
export type Plan = z.infer<typeof PlanSchema>;

export type PlanSource = 'llm' | 'fallback';

export interface PlanResult {
  plan: Plan;
  source: PlanSource;
  /** Why the fallback planner was used, in words a user understands. */
  reason?: string;
  /** Visible notes, e.g. "the request was trimmed to fit the model's context". */
  notes: string[];
}
