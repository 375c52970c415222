// How a command's failure reaches the user, the same for a command and a REPL line:
// expected failures are messages (never stack traces) with an exit code and a --json code.
import { ModelError } from '../core/model/chat';
import { PlanRequestError } from '../core/plan/planner';
import { UsageError } from './args';
import { CliError, EXIT, type Output } from './io';
import { errorMessage } from '../core/text/error-message';

export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof UsageError || error instanceof PlanRequestError)
    return new CliError(EXIT.usage, 'usage', error.message);
  if (error instanceof ModelError && error.kind === 'cancelled')
    return new CliError(EXIT.cancelled, 'cancelled', 'Cancelled.', { quiet: true });
  return new CliError(EXIT.failed, 'unexpected', `unexpected error: ${errorMessage(error)}`);
}

/** The failure on stderr: what led to it, the message, what to do next. */
export function printFailure(output: Output, failure: CliError): void {
  if (failure.more.quiet) return;
  failure.more.before?.forEach((line) => output.err(line));
  output.err(`rozet: ${failure.message}`);
  failure.more.after?.forEach((line) => output.err(line));
}
