// Questions on stderr, answers from stdin (stdout stays clean for --json and pipes). One
// readline interface per command, created on first use: on a terminal it takes the raw
// keyboard, so Ctrl-C arrives as its 'SIGINT' event and is passed on as io.interrupt().
// Lines are buffered: a piped REPL's later lines arrive while the first request runs.
import { createInterface, type Interface } from 'node:readline';
import { inertText } from '../core/text/inert';
import type { CliIo } from './io';

export class Prompter {
  private rl: Interface | undefined;
  private ended = false;
  private readonly lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly io: CliIo) {}

  /**
   * Asks one question at a time (parallel workers may ask together); undefined when the
   * input has ended (Ctrl-D, end of a pipe) or the signal fired first.
   */
  ask(question: string, signal?: AbortSignal): Promise<string | undefined> {
    const next = this.queue.then(() => this.askNow(question, signal));
    this.queue = next;
    return next;
  }

  close(): void {
    this.rl?.close();
  }

  /** Lines typed while nothing is asked go here first; true consumes one (e.g. /cancel during a run). */
  onUnasked: ((line: string) => boolean) | undefined;

  /** Runs `work` (an editor) with the keyboard handed back to the terminal meanwhile. */
  async suspend<T>(work: () => Promise<T>): Promise<T> {
    const input = this.io.stdin as NodeJS.ReadableStream & { isRaw?: boolean; setRawMode?: (raw: boolean) => void };
    const raw = input.isRaw === true;
    this.rl?.pause();
    if (raw) input.setRawMode?.(false);
    try {
      return await work();
    } finally {
      if (raw) input.setRawMode?.(true);
      this.rl?.resume();
    }
  }

  /** Ctrl-C at a prompt: drops the half-typed line and shows the prompt again, as shells do. */
  dropLine(): void {
    this.rl?.write(null, { ctrl: true, name: 'e' });
    this.rl?.write(null, { ctrl: true, name: 'u' });
    this.rl?.prompt();
  }

  private askNow(question: string, signal?: AbortSignal): Promise<string | undefined> {
    const rl = this.interface();
    if (signal?.aborted) return Promise.resolve(undefined);
    // Questions quote model text (commands, paths, task ids): nothing in them may steer the terminal.
    rl.setPrompt(inertText(question, { multiline: true }));
    rl.prompt();
    const buffered = this.lines.shift();
    if (buffered !== undefined || this.ended) return Promise.resolve(buffered);
    return new Promise((resolve) => {
      const onAbort = () => finish(undefined);
      const finish = (line: string | undefined) => {
        this.waiter = undefined;
        signal?.removeEventListener('abort', onAbort);
        resolve(line);
      };
      this.waiter = finish;
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private interface(): Interface {
    if (!this.rl) {
      const rl = createInterface({
        input: this.io.stdin,
        output: this.io.stderr,
        terminal: this.io.stdin.isTTY === true && this.io.stderr.isTTY === true,
        // Up and down recall earlier lines (terminal only).
        historySize: 200,
        removeHistoryDuplicates: true,
      });
      rl.on('line', (line) => {
        if (this.waiter) this.waiter(line);
        else if (!this.onUnasked?.(line)) this.lines.push(line);
      });
      rl.on('SIGINT', () => this.io.interrupt());
      rl.once('close', () => {
        this.ended = true;
        this.waiter?.(undefined);
      });
      this.rl = rl;
    }
    return this.rl;
  }
}
