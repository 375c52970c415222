// `rozet` without the process: argv + streams in, exit code out. main.ts wires it to the
// real process; tests call it in-process with captured streams. Every failure ends here:
// a message on stderr (never a stack trace) and, with --json, {"error": {code, message}}
// as the last thing on stdout.
import { version } from '../../package.json';
import { COMMANDS, helpText, parseCliArgs, UsageError, type CliArgs } from './args';
import { configCommand } from './commands/config';
import { healthCommand } from './commands/health';
import { planCommand } from './commands/plan';
import { replCommand } from './commands/repl';
import { resumeCommand } from './commands/resume';
import { runsCommand } from './commands/runs';
import { undoCommand } from './commands/undo';
import { runFailure, runRequest } from './commands/run';
import { printFailure, toCliError } from './failure';
import { EXIT, Output, type CliIo } from './io';
import { Prompter } from './prompt';
import { checkProblems, confirmWorkspaceBaseUrls, loadContext } from './setup';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const output = new Output(io);
  // Known before parsing, so even an unparseable command line fails in JSON.
  const json = argv.includes('--json');
  try {
    return await dispatch(argv, io, output);
  } catch (error) {
    const failure = toCliError(error);
    printFailure(output, failure);
    if (json)
      output.out(JSON.stringify({ error: { code: failure.code, message: failure.message }, ...failure.more.extra }));
    return failure.exitCode;
  }
}

async function dispatch(argv: readonly string[], io: CliIo, output: Output): Promise<number> {
  const args = parseCliArgs(argv);
  if (args.version) {
    output.out(version);
    return EXIT.ok;
  }
  if (args.help || !args.command) {
    if (args.help) {
      output.out(helpText(args.command));
      return EXIT.ok;
    }
    output.err(helpText(undefined));
    throw new UsageError(`no command given: use one of ${COMMANDS.join(', ')}.`);
  }
  const request = args.request.trim();
  if ((args.command === 'plan' || (args.command === 'run' && !args.planFile)) && !request) {
    throw new UsageError(
      `The request is empty. Describe what you want done, e.g. rozet ${args.command} "add a --verbose flag to the CLI and tests for it".`,
    );
  }
  if (args.planFile && request)
    throw new UsageError('give either a request or --plan FILE, not both: a plan file is run as it is.');

  const ctx = await loadContext(args, io, output);
  if (args.command === 'config') return configCommand(ctx, output, io, { json: args.json });
  checkProblems(ctx, output);
  if (args.command === 'repl') return replCommand(ctx, output, io, runOptions(args, io));
  if (args.command === 'runs') return runsCommand(ctx, words(request), output, { json: args.json });

  const controller = new AbortController();
  const off = io.onInterrupt(() => {
    output.err('Cancelling… (Ctrl-C again quits at once)');
    controller.abort();
  });
  const prompter = output.interactive ? new Prompter(io) : undefined;
  try {
    await confirmWorkspaceBaseUrls(ctx, { prompter, output });
    const options = { json: args.json, signal: controller.signal };
    switch (args.command) {
      case 'plan':
        return await planCommand(ctx, request, output, options);
      case 'health':
        return await healthCommand(ctx, output, options);
      case 'resume':
        return await resumeCommand(ctx, words(request)[0], output, {
          ...options,
          yes: args.yes,
          approveCommands: args.approveCommands,
          prompter,
        });
      case 'undo':
        return await undoCommand(ctx, words(request), output, { ...options, yes: args.yes, prompter });
      default: {
        const result = await runRequest(ctx, request, output, {
          ...runOptions(args, io),
          signal: controller.signal,
          prompter,
        });
        const failure = runFailure(result);
        if (failure) throw failure;
        return EXIT.ok;
      }
    }
  } finally {
    off();
    prompter?.close();
  }
}

function runOptions(args: CliArgs, io: CliIo) {
  return {
    json: args.json,
    yes: args.yes,
    approveCommands: args.approveCommands,
    planFile: args.planFile,
    env: io.env,
  };
}

function words(text: string): string[] {
  return text.split(/\s+/).filter(Boolean);
}
