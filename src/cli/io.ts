// What the CLI touches of its process, passed in so the commands run the same in a real
// terminal and in tests (in-process, with captured streams).
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
 * Every line the CLI prints goes through here and the Redactor, which knows the API keys
 * in play (and key-shaped tokens in general), so no key reaches a terminal or a log.
 */
export class Output {
  readonly redactor = new Redactor();

  constructor(private readonly io: CliIo) {}

  out(text: string): void {
    this.io.stdout.write(`${this.redactor.redact(text)}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(`${this.redactor.redact(text)}\n`);
  }

  /** Unterminated output, for redrawing the live tree in place. */
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
