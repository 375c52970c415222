// `rozet repl`: one request per line, each planned and run. Later requests see the earlier
// ones through summary-buffer memory (recent turns verbatim, older ones condensed by the
// planner model when it answers, else digested), passed to the planner as context.
import type { RunSummary } from '../../core/run/events';
import { SummaryBufferMemory, modelSummariser } from '../../core/run/memory';
import { createChatModel } from '../../providers';
import { EXIT, type CliIo, type Output } from '../io';
import { Prompter } from '../prompt';
import { oneLine } from '../format';
import { runRequest } from './run';
import type { CliContext } from '../setup';

const EXIT_WORDS = new Set(['/exit', '/quit', 'exit', 'quit']);

export async function replCommand(
  ctx: CliContext,
  output: Output,
  io: CliIo,
  options: { yes: boolean; json: boolean },
): Promise<number> {
  const prompter = new Prompter(io);
  const memory = new SummaryBufferMemory({
    maxTokens: ctx.resolved.values['rozet.memory.maxTokens'],
    pinned: [],
    summarise: summariser(ctx),
  });
  output.err(`Rozet REPL in ${ctx.root}. Type a request and press Enter; /exit or Ctrl-D quits.`);
  try {
    for (;;) {
      const line = await prompter.ask('rozet> ');
      if (line === undefined || EXIT_WORDS.has(line.trim().toLowerCase())) return EXIT.ok;
      const request = line.trim();
      if (!request) continue;

      const controller = new AbortController();
      const off = io.onInterrupt(() => {
        output.err('Cancelling… (Ctrl-C again quits Rozet)');
        controller.abort();
      });
      try {
        const history = await conversation(memory, controller.signal);
        const result = await runRequest(ctx, request, output, {
          json: options.json,
          yes: options.yes,
          signal: controller.signal,
          prompter: output.interactive ? prompter : undefined,
          history,
        });
        memory.add(
          { role: 'user', content: request },
          { role: 'assistant', content: outcome(result.code, result.summary) },
        );
      } finally {
        off();
      }
    }
  } finally {
    prompter.close();
  }
}

function summariser(ctx: CliContext) {
  try {
    return modelSummariser(createChatModel(ctx.specs.orchestrator), {
      idleTimeoutMs: 30_000,
      retry: { maxAttempts: 1 },
    });
  } catch {
    // No usable planner model: the memory's deterministic digest does the condensing.
    return undefined;
  }
}

async function conversation(memory: SummaryBufferMemory, signal: AbortSignal): Promise<string | undefined> {
  const messages = await memory.messages(signal);
  if (messages.length === 0) return undefined;
  const turns = messages.map((m) => `${m.role === 'user' ? 'User asked' : 'Rozet did'}: ${m.content}`);
  return `Earlier in this session (the new request may refer to it):\n${turns.join('\n')}`;
}

/** What the planner is told about a finished turn. */
function outcome(code: number, summary: RunSummary | undefined): string {
  if (!summary) return code === EXIT.cancelled ? 'Cancelled before running.' : 'Nothing was run (no usable model).';
  const tasks = summary.tasks.map((t) => {
    const detail = t.status === 'succeeded' ? t.result : t.error;
    return `${t.id} ${t.title}: ${t.status}${detail ? ` (${oneLine(detail).slice(0, 200)})` : ''}`;
  });
  const files = summary.filesChanged.length ? ` Files changed: ${summary.filesChanged.join(', ')}.` : '';
  return `Run ${summary.outcome}: ${tasks.join('; ')}.${files}`;
}
