// What the CLI touches of its process, passed in so the commands run the same in a real
// terminal and in tests (in-process, with captured streams).
import { inertText } from '../core/text/inert';
import { Redactor } from '../core/text/redact';

export interface CliStreams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface CliIo extends CliStreams {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Registers a Ctrl-C handler; returns its removal. */
  onInterrupt(handler: () => void): () => void;
  /** Ctrl-C seen by someone else (readline holding a raw terminal): same path as SIGINT. */
  interrupt(): void;
}

export const EXIT = {
  ok: 0,
  /** run: a task failed, was skipped or cancelled by itself; health: a check failed. */
  failed: 1,
  /** Usage or configuration error: nothing was planned or run. */
  usage: 2,
  /** run: no usable worker model (unreachable, key missing or rejected); nothing was run. */
  noModel: 3,
  /** run: the plan was not run because nobody approved it (no terminal and no --yes, or "n"). */
  notRun: 4,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  cancelled: 130,
} as const;

/** The `code` of a --json failure, one per way a command can fail. */
export type ErrorCode =
  | 'usage'
  | 'config'
  | 'no_model'
  | 'review_needed'
  | 'not_approved'
  | 'tasks_failed'
  | 'health_failed'
  | 'cancelled'
  | 'unexpected';

/**
 * A failure that ends the command: its message goes to stderr and, with --json, as
 * {"error": {code, message}} on stdout (with `extra` beside it, e.g. the unrun plan).
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly exitCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly more: {
      /** stderr lines before the message (the problems behind it) and after it (what next). */
      before?: readonly string[];
      after?: readonly string[];
      /** Beside `error` in the --json object, e.g. the plan that was not run. */
      extra?: Record<string, unknown>;
      /** Already told on stderr (a run's summary): only the --json object is added. */
      quiet?: boolean;
    } = {},
  ) {
    super(message);
  }
}

/**
 * Every line the CLI prints goes through here: the Redactor, which knows the API keys in
 * play (and key-shaped tokens in general), so no key reaches a terminal or a log; and
 * inertText, so no control character from a model or a file reaches the terminal (a
 * plain pipe too: it usually ends on a terminal or in a log read on one).
 */
export class Output {
  readonly redactor = new Redactor();

  constructor(private readonly io: CliIo) {}

  out(text: string): void {
    this.io.stdout.write(`${this.shown(text)}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(`${this.shown(text)}\n`);
  }

  /** Text as it may reach the terminal: keys redacted, control characters visible. */
  shown(text: string): string {
    return inertText(this.redactor.redact(text), { multiline: true });
  }

  /** Unterminated output on stderr, for a spinner redrawn in place. */
  rawErr(text: string): void {
    this.io.stderr.write(this.redactor.redact(text));
  }

  /** stderr is a terminal: a spinner can redraw its line there. */
  get liveErr(): boolean {
    return this.io.stderr.isTTY === true;
  }

  /**
   * Unterminated output with Rozet's own escape sequences, for redrawing the live tree in
   * place; every piece of model or file text in it must have been through shown() first.
   */
  raw(text: string): void {
    this.io.stdout.write(this.redactor.redact(text));
  }

  get live(): boolean {
    return this.io.stdout.isTTY === true;
  }

  /** https://no-color.org: any non-empty NO_COLOR turns colour off. */
  get color(): boolean {
    return this.live && !this.io.env.NO_COLOR;
  }

  get columns(): number {
    // 0 when the terminal does not report a size (e.g. under `script`).
    return this.io.stdout.columns || 100;
  }

  /** Someone can answer questions: both the keyboard and the question's stream are terminals. */
  get interactive(): boolean {
    return this.io.stdin.isTTY === true && this.io.stderr.isTTY === true;
  }
}
