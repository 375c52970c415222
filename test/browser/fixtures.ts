// Host messages for the browser tests, the screenshots and the benchmark.
import type { RunEvent, RunSummary } from '../../src/core/run/events';
import type { Plan } from '../../src/core/plan/plan';
import {
  PROTOCOL_VERSION,
  type TranscriptMessage,
  type HostMessage,
  type ModelsConfig,
  type Snapshot,
} from '../../src/webview/protocol';

export const RUN = 'run-1';
// Recent, so a running task's elapsed time reads like a live one.
const T0 = Date.now() - 20_000;

export const models: ModelsConfig = {
  orchestrator: {
    provider: 'openrouter',
    model: 'openai/gpt-5-nano',
    models: ['openai/gpt-5-nano', 'anthropic/claude-sonnet-4.5'],
    health: 'ok',
  },
  worker: {
    provider: 'ollama',
    model: 'qwen2.5-coder:14b-instruct',
    models: ['qwen2.5-coder:14b-instruct', 'qwen2.5-coder:7b'],
    health: 'error',
    healthDetail: 'Ollama is not running at http://127.0.0.1:11434 — start it with `ollama serve`.',
  },
};

export const plan: Plan = {
  tasks: [
    {
      id: 't1',
      title: 'Add a --verbose flag to the CLI parser',
      description: 'Parse --verbose in src/cli/args.ts.',
      dependsOn: [],
      files: ['src/cli/args.ts'],
    },
    {
      id: 't2',
      title: 'Log each step when verbose',
      description: 'Use the flag in the runner.',
      dependsOn: ['t1'],
      files: ['src/cli/run.ts'],
    },
    {
      id: 't3',
      title: 'Write tests for --verbose',
      description: 'Cover parsing and output.',
      dependsOn: ['t1', 't2'],
      files: ['test/cli.test.ts'],
      model: 'qwen2.5-coder:7b',
    },
  ],
};

export function message(
  id: string,
  role: TranscriptMessage['role'],
  text: string,
  extra: Partial<TranscriptMessage> = {},
): TranscriptMessage {
  return { id, role, text, at: T0, ...extra };
}

export function snapshot(partial: Partial<Snapshot> = {}): Snapshot {
  return { messages: [], plan: null, runEvents: [], approvals: [], attachments: [], models, history: [], ...partial };
}

export function init(partial: Partial<Snapshot> = {}): HostMessage {
  return { type: 'init', version: PROTOCOL_VERSION, snapshot: snapshot(partial) };
}

export const ev = (at: number) => ({ runId: RUN, at: T0 + at });

/** A run in progress: t1 done with an edit, t2 running with a tool call in flight, t3 queued. */
export function runningEvents(): RunEvent[] {
  return [
    { ...ev(0), type: 'plan.started', plan, source: 'llm' },
    { ...ev(10), type: 'task.started', taskId: 't1', model: 'qwen2.5-coder:14b-instruct', attempt: 1 },
    { ...ev(20), type: 'task.delta', taskId: 't1', text: 'Reading the parser.\n' },
    {
      ...ev(30),
      type: 'task.toolCall',
      taskId: 't1',
      callId: 'c1',
      name: 'read_file',
      args: { path: 'src/cli/args.ts' },
    },
    {
      ...ev(40),
      type: 'task.toolResult',
      taskId: 't1',
      record: {
        id: 'c1',
        name: 'read_file',
        args: { path: 'src/cli/args.ts' },
        ok: true,
        summary: 'export function parse(argv) {…}',
        resultBytes: 812,
        durationMs: 4,
        startedAt: T0 + 30,
      },
    },
    {
      ...ev(50),
      type: 'task.toolCall',
      taskId: 't1',
      callId: 'c2',
      name: 'write_file',
      args: { path: 'src/cli/args.ts', content: 'export function parse(argv) { /* --verbose */ }' },
    },
    {
      ...ev(60),
      type: 'task.toolResult',
      taskId: 't1',
      record: {
        id: 'c2',
        name: 'write_file',
        args: { path: 'src/cli/args.ts' },
        ok: true,
        summary: 'wrote 1 file',
        resultBytes: 12,
        durationMs: 9,
        startedAt: T0 + 50,
        fileChanged: 'src/cli/args.ts',
      },
    },
    { ...ev(4200), type: 'task.succeeded', taskId: 't1', result: 'Added --verbose to the parser.' },
    { ...ev(4300), type: 'task.started', taskId: 't2', model: 'qwen2.5-coder:14b-instruct', attempt: 1 },
    { ...ev(4400), type: 'task.delta', taskId: 't2', text: 'Running the tests first.\n' },
    {
      ...ev(4500),
      type: 'task.toolCall',
      taskId: 't2',
      callId: 'c3',
      name: 'execute_bash',
      args: { command: 'npm test -- --grep verbose' },
    },
    { ...ev(4600), type: 'task.queued', taskId: 't3' },
  ];
}

export function summary(outcome: RunSummary['outcome']): RunSummary {
  return {
    outcome,
    tasks: [],
    filesChanged: ['src/cli/args.ts'],
    commandsRun: [],
    usage: { promptTokens: 1200, completionTokens: 300 },
    wallMs: 65_000,
  };
}

export function finishedEvents(): RunEvent[] {
  return [
    ...runningEvents(),
    { ...ev(9000), type: 'task.failed', taskId: 't2', error: 'npm test exited with code 1' },
    { ...ev(9001), type: 'task.skipped', taskId: 't3', reason: 'depends on t2, which failed' },
    { ...ev(9002), type: 'plan.finished', summary: summary('failed') },
  ];
}

export const conversation: TranscriptMessage[] = [
  message('m1', 'user', 'Add a --verbose flag to the CLI and tests for it.', {
    attachments: [{ id: 'a1', path: 'src/cli/args.ts', startLine: 10, endLine: 24, text: 'export function parse…' }],
  }),
  message(
    'm2',
    'assistant',
    "Here is the plan. The parser lives in `src/cli/args.ts`:\n\n```ts\nexport function parse(argv: string[]) {\n  return { verbose: argv.includes('--verbose') };\n}\n```\n\n- **t1** adds the flag\n- **t2** logs each step\n- **t3** writes the tests\n\nSee [the docs](https://example.com/docs).",
  ),
];

/** `count` chat messages and a run with `count` tasks (and history items), for the benchmark and the long-list tests. */
export function large(count: number, withHistory: boolean): HostMessage {
  const messages: TranscriptMessage[] = [];
  for (let i = 0; i < count; i++) {
    messages.push(
      message(
        `m${i}`,
        i % 2 === 0 ? 'user' : 'assistant',
        i % 2 === 0
          ? `Question ${i}: what does step ${i} do?`
          : `Step **${i}** updates \`file${i}.ts\` and runs the tests.`,
      ),
    );
  }
  const tasks = Array.from({ length: count }, (_, i) => ({
    id: `t${i}`,
    title: `Task ${i}: update file${i}.ts`,
    description: '',
    dependsOn: [],
    files: [`file${i}.ts`],
  }));
  const runEvents: RunEvent[] = [{ ...ev(0), type: 'plan.started', plan: { tasks }, source: 'llm' }];
  for (let i = 0; i < count; i += 2)
    runEvents.push({ ...ev(i), type: 'task.started', taskId: `t${i}`, model: 'qwen2.5-coder:7b', attempt: 1 });
  for (let i = 0; i < count; i += 4)
    runEvents.push({ ...ev(i + 1), type: 'task.succeeded', taskId: `t${i}`, result: 'done' });
  const history = Array.from({ length: withHistory ? count : 0 }, (_, i) => ({
    id: `h${i}`,
    kind: 'run' as const,
    title: `Run ${i}`,
    at: T0 + i,
    outcome: 'succeeded' as const,
  }));
  return init({ messages, runEvents, history });
}
