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
  usage: 2,
  /** run: no model reachable, nothing was run. */
  noModel: 3,
  /** Ctrl-C (128 + SIGINT), as shells report it. */
  cancelled: 130,
} as const;

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
