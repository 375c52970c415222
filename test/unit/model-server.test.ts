// The scripted model server's own contract, which the CLI, VS Code host and browser
// suites build on: the agent scenario that scripts a whole plan + run, and the
// standalone process they start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ChatMessage, ChatModel, ToolSpec } from '../../src/core/model/chat';
import { createChatModel } from '../../src/providers';
import { startModelServer, type RecordedRequest, type Scenario } from '../support/model-server';

const PLAN = {
  tasks: [{ id: 't1', title: 'Write hello.py', description: 'Print hi', dependsOn: [], files: ['hello.py'] }],
};
const SCENARIO: Scenario = {
  models: [{ id: 'planner', tools: true }],
  agent: [
    {
      match: 'Write hello.py',
      hasTools: true,
      steps: [
        { kind: 'tools', calls: [{ name: 'write_file', arguments: { path: 'hello.py', content: "print('hi')\n" } }] },
        { kind: 'text', text: 'Wrote hello.py.' },
      ],
    },
    { hasTools: false, plan: PLAN },
  ],
};
const WRITE_FILE: ToolSpec = {
  name: 'write_file',
  description: 'Write a file',
  parameters: { type: 'object', properties: {} },
};

/** Plans, then runs the one task as a worker would: tool call, tool result, final answer. */
async function planAndRun(
  planner: ChatModel,
  worker: ChatModel,
): Promise<{ plan: unknown; answer: string; written: string }> {
  const plan: unknown = JSON.parse(
    (
      await planner.chat({
        messages: [
          { role: 'system', content: 'You plan.' },
          { role: 'user', content: 'make a hello script' },
        ],
      })
    ).content,
  );
  const messages: ChatMessage[] = [
    { role: 'system', content: 'You are a worker.' },
    { role: 'user', content: 'Task t1: Write hello.py — Print hi' },
  ];
  const first = await worker.chat({ messages, tools: [WRITE_FILE] });
  const call = first.toolCalls[0];
  messages.push(
    { role: 'assistant', content: first.content, toolCalls: first.toolCalls },
    { role: 'tool', content: 'ok', toolCallId: call.id, name: call.name },
  );
  const second = await worker.chat({ messages, tools: [WRITE_FILE] });
  return { plan, answer: second.content, written: (JSON.parse(call.arguments) as { content: string }).content };
}

describe('scripted model server', () => {
  it('agent scenario: answers the planner with the plan and each worker turn with its step, on both wire formats', async () => {
    const server = await startModelServer({ scenario: SCENARIO });
    try {
      for (const provider of ['openaiCompatible', 'ollama'] as const) {
        const baseUrl = provider === 'ollama' ? server.url : `${server.url}/v1`;
        const result = await planAndRun(
          createChatModel({ provider, model: 'planner', baseUrl }),
          createChatModel({ provider, model: 'worker', baseUrl }),
        );
        assert.deepEqual(result, { plan: PLAN, answer: 'Wrote hello.py.', written: "print('hi')\n" });
      }
    } finally {
      await server.close();
    }
  });

  it('answers 500 naming the request when nothing is scripted, and 404 on unknown paths', async () => {
    const server = await startModelServer();
    try {
      const chat = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
      assert.equal(chat.status, 500);
      assert.match(await chat.text(), /nothing scripted for POST \/v1\/chat\/completions/);
      const unknown = await fetch(`${server.url}/v1/api/chat`);
      assert.equal(unknown.status, 404);
    } finally {
      await server.close();
    }
  });

  it('runs standalone: prints its URL, serves a scenario file, reports requests and takes more script over HTTP', async function () {
    this.timeout(8000);
    const dir = mkdtempSync(join(tmpdir(), 'rozet-model-server-'));
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(SCENARIO));
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'support', 'model-server-main.ts'), '--scenario', file],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`model server exited with ${code}`)));
      });
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const model = createChatModel({ provider: 'ollama', model: 'planner', baseUrl: url });
      assert.deepEqual(
        JSON.parse((await model.chat({ messages: [{ role: 'user', content: 'plan it' }] })).content),
        PLAN,
      );
      await fetch(`${url}/__rozet/script`, {
        method: 'POST',
        body: JSON.stringify([{ kind: 'text', text: 'queued over HTTP' }]),
      });
      assert.equal((await model.chat({ messages: [{ role: 'user', content: 'again' }] })).content, 'queued over HTTP');
      const recorded = (await (await fetch(`${url}/__rozet/requests`)).json()) as RecordedRequest[];
      assert.deepEqual(
        recorded.map((r) => [r.method, r.path, (r.body as { options?: { num_ctx?: number } }).options?.num_ctx]),
        [
          ['POST', '/api/chat', 16384],
          ['POST', '/api/chat', 16384],
        ],
      );
    } finally {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
