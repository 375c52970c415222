// 429 storm: a 20-task plan run against the scripted server over the real openai SDK,
// where every fifth chat answer is a 429 with Retry-After 0 or 1 s (20%). The run must
// finish with zero failed tasks; reported: retries, how long they waited, wall time.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Coordinator } from '../src/core/run/coordinator';
import { NodeShell } from '../src/core/workspace/node-shell';
import { NodeWorkspace } from '../src/core/workspace/node-workspace';
import { ModelPools } from '../src/providers';
import { startModelServer, type Reply } from '../test/support/model-server';
import { APPROVE_ALL, round } from './support';

const TASKS = 20;

export async function benchRateLimitStorm(): Promise<Record<string, unknown>> {
  let served = 0;
  let limited = 0;
  let retryAfterMs = 0;
  const server = await startModelServer();
  server.handle('openai.chat', (request): Reply => {
    served++;
    if (served % 5 === 0) {
      limited++;
      const seconds = limited % 2;
      retryAfterMs += seconds * 1000;
      return {
        kind: 'error',
        status: 429,
        body: { error: { message: 'Rate limit exceeded: free-models-per-min' } },
        headers: { 'Retry-After': String(seconds) },
      };
    }
    const body = request.body as { messages: Array<{ role: string; content: string }> };
    const id = /Task (t\d+)/.exec(body.messages[1]?.content ?? '')?.[1] ?? 'unknown';
    const turn = body.messages.filter((m) => m.role === 'assistant').length;
    return turn === 0
      ? { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: `${id}.txt`, content: id } }] }
      : { kind: 'text', text: `Wrote ${id}.txt.` };
  });
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rozet-bench-storm-')));
  try {
    const model = new ModelPools().get({
      provider: 'openaiCompatible',
      model: 'm',
      baseUrl: `${server.url}/v1`,
      parallelRequests: 4,
    });
    const tasks = Array.from({ length: TASKS }, (_, i) => ({
      id: `t${i}`,
      title: `Write t${i}.txt`,
      description: '',
      dependsOn: [],
      files: [`t${i}.txt`],
    }));
    const coordinator = new Coordinator({
      plan: { tasks },
      resolveModel: () => model,
      workspace: new NodeWorkspace(root),
      shell: new NodeShell(root),
      approver: APPROVE_ALL,
      policy: { bashApproval: 'deny', allowlist: [], writeApproval: 'auto' },
      limits: { maxParallelWorkers: 4, retry: { maxAttempts: 6 } },
      summaries: 'digest',
    });
    const started = performance.now();
    const summary = await coordinator.run();
    const wallMs = performance.now() - started;
    const failed = summary.tasks.filter((t) => t.status !== 'succeeded').length;
    const written = fs.readdirSync(root).filter((n) => /^t\d+\.txt$/.test(n)).length;
    if (failed > 0 || written !== TASKS)
      throw new Error(`${failed} tasks failed, ${written} of ${TASKS} files written`);
    // Every 429 is retried inside callModel (no task failed), so 429s answered = retries made.
    return {
      tasks: TASKS,
      failedTasks: failed,
      chatRequests: served,
      retries: limited,
      share429: round(limited / served, 3),
      retryAfterAskedMs: retryAfterMs,
      wallMs: Math.round(wallMs),
    };
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
