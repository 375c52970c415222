// `rozet` without the process: argv + streams in, exit code out. main.ts wires it to the
// real process; tests call it in-process with captured streams.
import { ModelError } from '../core/model/chat';
import { PlanRequestError } from '../core/plan/planner';
import { version } from '../../package.json';
import { helpText, parseCliArgs, UsageError } from './args';
import { configCommand } from './commands/config';
import { healthCommand } from './commands/health';
import { planCommand } from './commands/plan';
import { replCommand } from './commands/repl';
import { resumeCommand } from './commands/resume';
import { runsCommand } from './commands/runs';
import { undoCommand } from './commands/undo';
import { EXIT, Output, type CliIo } from './io';
import { Prompter } from './prompt';
import { runRequest } from './commands/run';
import { confirmWorkspaceBaseUrls, loadContext, printProblems } from './setup';
import { errorMessage } from '../core/text/error-message';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const output = new Output(io);
  try {
    return await dispatch(argv, io, output);
  } catch (error) {
    // Expected failures are messages, never stack traces.
    if (error instanceof UsageError || error instanceof PlanRequestError) {
      output.err(`rozet: ${error.message}`);
      return EXIT.usage;
    }
    if (error instanceof ModelError && error.kind === 'cancelled') return EXIT.cancelled;
    output.err(`rozet: unexpected error: ${errorMessage(error)}`);
    return EXIT.failed;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, output: Output): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.version) {
    output.out(version);
    return EXIT.ok;
  }
  if (args.help || !args.command) {
    output.out(helpText(args.command));
    return args.help ? EXIT.ok : EXIT.usage;
  }
  const request = args.request.trim();
  if ((args.command === 'plan' || args.command === 'run') && !request) {
    throw new UsageError(
      `The request is empty. Describe what you want done, e.g. rozet ${args.command} "add a --verbose flag to the CLI and tests for it".`,
    );
  }

  const ctx = await loadContext(args, io, output);
  if (args.command === 'config') return configCommand(ctx, output, io, { json: args.json });
  printProblems(ctx.warnings, output);
  if (ctx.fatal.length > 0) {
    printProblems(ctx.fatal, output);
    output.err('rozet: fix the flag or environment variable above and try again (`rozet config` shows every setting).');
    return EXIT.usage;
  }
  if (args.command === 'repl') return replCommand(ctx, output, io, { yes: args.yes, json: args.json });
  if (args.command === 'runs') return runsCommand(ctx, words(request), output, { json: args.json });

  const controller = new AbortController();
  const off = io.onInterrupt(() => {
    output.err('Cancelling… (Ctrl-C again quits at once)');
    controller.abort();
  });
  const prompter = output.interactive ? new Prompter(io) : undefined;
  try {
    await confirmWorkspaceBaseUrls(ctx, { yes: args.yes, prompter, output });
    const options = { json: args.json, signal: controller.signal };
    switch (args.command) {
      case 'plan':
        return await planCommand(ctx, request, output, options);
      case 'health':
        return await healthCommand(ctx, output, options);
      case 'resume':
        return await resumeCommand(ctx, words(request)[0], output, { ...options, yes: args.yes, prompter });
      case 'undo':
        return await undoCommand(ctx, words(request), output, { ...options, yes: args.yes, prompter });
      default:
        return (await runRequest(ctx, request, output, { ...options, yes: args.yes, prompter })).code;
    }
  } finally {
    off();
    prompter?.close();
  }
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
