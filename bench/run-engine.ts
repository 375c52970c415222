// Run-engine benchmark (issue 3): orchestration overhead per tool call against a
// zero-latency model, and the parallel speedup of 8 independent tasks × 2 model calls
// at 200 ms latency with 1, 2, 4 and 8 workers. `npx tsx bench/run-engine.ts` prints
// the machine and the figures; bench/run.ts may import benchRunEngine().
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChatModel, ChatRequest, ChatResponse } from '../src/core/model/chat';
import { Coordinator } from '../src/core/run/coordinator';
import { NodeShell } from '../src/core/workspace/node-shell';
import { NodeWorkspace } from '../src/core/workspace/node-workspace';
import type { Plan } from '../src/core/plan/plan';
import type { ToolPolicy } from '../src/core/tools/tools';
import { ToolError, type Approver, type Shell, type Workspace } from '../src/core/workspace/workspace';
import { ScriptedChatModel } from '../test/support/scripted-chat-model';

const POLICY: ToolPolicy = { bashApproval: 'deny', allowlist: [], writeApproval: 'auto' };
const APPROVE_ALL: Approver = { approve: async () => ({ approved: true }) };
const NO_SHELL: Shell = {
  run: async () => ({ exitCode: 0, output: '', truncated: false, timedOut: false, cancelled: false, durationMs: 0 }),
};

/**
 * Answers at once, without a timer (a scripted model's sleep(0) alone costs ~1 ms), with
 * `calls` tool calls and then a final answer; records when each call entered and left.
 */
class InstantModel implements ChatModel {
  readonly provider = 'openaiCompatible' as const;
  readonly model = 'instant';
  readonly capabilities = { nativeTools: true, streaming: true, parallelSlots: 64, contextTokens: 32768 };
  readonly entered: number[] = [];
  readonly left: number[] = [];
  constructor(
    private readonly calls: number,
    private readonly tool: (i: number) => { name: string; arguments: string },
  ) {}
  async chat(request: ChatRequest): Promise<ChatResponse> {
    const i = this.entered.length;
    this.entered.push(performance.now());
    request.onDelta?.({ text: 'ok' });
    const response: ChatResponse =
      i < this.calls
        ? {
            content: '',
            toolCalls: [{ id: `c${i}`, ...this.tool(i) }],
            finishReason: 'tool_calls',
            usage: { promptTokens: 1, completionTokens: 1 },
            model: this.model,
          }
        : {
            content: 'done',
            toolCalls: [],
            finishReason: 'stop',
            usage: { promptTokens: 1, completionTokens: 1 },
            model: this.model,
          };
    this.left.push(performance.now());
    return response;
  }
}

class MemoryWorkspace implements Workspace {
  readonly description = '/memory';
  private readonly files = new Map<string, string>();
  async read(p: string) {
    const content = this.files.get(p);
    if (content === undefined) throw new ToolError(`${p}: no such file`);
    return { content, truncated: false };
  }
  async write(p: string, content: string) {
    const created = !this.files.has(p);
    this.files.set(p, content);
    return { created, bytes: content.length };
  }
  async list() {
    return { entries: [...this.files.keys()].map((p) => ({ path: p, type: 'file' as const })), truncated: false };
  }
  async stat(p: string) {
    const c = this.files.get(p);
    return c === undefined ? undefined : { type: 'file' as const, size: c.length };
  }
  lockKey(p: string) {
    return p;
  }
}

function stats(values: number[]): { median: number; p95: number; mean: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return {
    median: round(at(0.5)),
    p95: round(at(0.95)),
    mean: round(values.reduce((s, v) => s + v, 0) / values.length),
  };
}

function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** Time between a model answer with a tool call and the next model request: tools, memory, events, locks. */
async function overheadPerToolCall(
  workspace: Workspace,
  calls: number,
): Promise<{ median: number; p95: number; mean: number }> {
  const model = new InstantModel(calls, (i) =>
    i % 2 === 0
      ? { name: 'write_file', arguments: JSON.stringify({ path: `f${i % 10}.txt`, content: `v${i}` }) }
      : { name: 'read_file', arguments: JSON.stringify({ path: `f${(i - 1) % 10}.txt` }) },
  );
  let events = 0;
  const coordinator = new Coordinator({
    plan: { tasks: [{ id: 't1', title: 'bench', description: '', dependsOn: [], files: [] }] },
    resolveModel: () => model,
    workspace,
    shell: NO_SHELL,
    approver: APPROVE_ALL,
    policy: POLICY,
    limits: { maxSteps: calls + 1, memoryMaxTokens: 6000 },
    summaries: 'digest',
    onEvent: () => events++,
  });
  const summary = await coordinator.run();
  if (summary.outcome !== 'succeeded') throw new Error(`overhead run failed: ${summary.tasks[0].error}`);
  const gaps = model.left.slice(0, -1).map((left, i) => model.entered[i + 1] - left);
  return stats(gaps.slice(10)); // the first calls warm up the JIT
}

async function speedup(
  root: string,
): Promise<Array<{ workers: number; wallMs: number; speedup: number; efficiency: number }>> {
  const plan: Plan = {
    tasks: Array.from({ length: 8 }, (_, i) => ({
      id: `t${i}`,
      title: `task ${i}`,
      description: '',
      dependsOn: [],
      files: [`t${i}.txt`],
    })),
  };
  const rows: Array<{ workers: number; wallMs: number; speedup: number; efficiency: number }> = [];
  let serial = 0;
  // The first run (discarded) warms up the JIT, so the 1-worker baseline is not inflated.
  for (const [run, workers] of [8, 1, 2, 4, 8].entries()) {
    const models = new Map(
      plan.tasks.map((t) => [
        t.id,
        new ScriptedChatModel([
          { delayMs: 200, toolCalls: [{ name: 'write_file', arguments: { path: `${t.id}.txt`, content: t.id } }] },
          { delayMs: 200, content: 'done' },
        ]),
      ]),
    );
    const coordinator = new Coordinator({
      plan,
      resolveModel: (t) => models.get(t.id)!,
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: APPROVE_ALL,
      policy: POLICY,
      limits: { maxParallelWorkers: workers },
      summaries: 'digest',
    });
    const started = performance.now();
    const summary = await coordinator.run();
    const wallMs = performance.now() - started;
    if (summary.outcome !== 'succeeded') throw new Error('speedup run failed');
    if (run === 0) continue;
    if (workers === 1) serial = wallMs;
    const s = serial / wallMs;
    rows.push({
      workers,
      wallMs: Math.round(wallMs),
      speedup: round(s, 2),
      efficiency: round(s / Math.min(8, workers), 3),
    });
  }
  return rows;
}

export async function benchRunEngine(): Promise<Record<string, unknown>> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-')));
  try {
    const machine = {
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      cpu: `${os.cpus()[0]?.model ?? 'unknown'} × ${os.cpus().length}`,
      node: process.version,
      memoryGb: round(os.totalmem() / 2 ** 30, 1),
    };
    const inMemory = await overheadPerToolCall(new MemoryWorkspace(), 400);
    const onDisk = await overheadPerToolCall(new NodeWorkspace(root), 400);
    const parallel = await speedup(root);
    return {
      machine,
      overheadPerToolCallMs: { inMemoryWorkspace: inMemory, nodeWorkspace: onDisk, targetMedianMs: 1 },
      parallelSpeedup: { tasks: 8, modelCallsPerTask: 2, latencyMs: 200, rows: parallel, targetEfficiency: 0.9 },
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (require.main === module) {
  benchRunEngine().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
