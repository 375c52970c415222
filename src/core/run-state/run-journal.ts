// Writes one saved run as it changes: each entry is folded into the record in memory and
// appended, as a line, to the run's journal file. Appends are batched (one write per
// FLUSH_MS, in order) so an event costs microseconds. When the run ends, compact() rewrites
// the journal as the one record it folds to (to a temporary file, then renamed); not
// during the run, where serialising the whole record would stall the host for a large
// one. flush() waits for what was appended; flushSync() is for a process on its way out.
import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { applyEntry, type JournalEntry } from './run-journal-entries';
import type { RunRecord } from './run-record';

const FLUSH_MS = 50;

export class RunJournal {
  private pending: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failed: Error | undefined;

  /** `fresh`: the file does not exist yet (it is created holding the record). */
  constructor(
    readonly file: string,
    readonly record: RunRecord,
    fresh: boolean,
  ) {
    if (fresh) this.pending.push(JSON.stringify({ t: 'run', record }));
  }

  append(entry: Exclude<JournalEntry, { t: 'run' }>): void {
    applyEntry(this.record, entry);
    this.pending.push(JSON.stringify(entry));
    this.timer ??= setTimeout(() => this.flushSoon(), FLUSH_MS);
  }

  /** Resolves once everything appended so far is on disk (rejects with the last write error). */
  async flush(): Promise<void> {
    this.flushSoon();
    await this.writing;
    if (this.failed) throw this.failed;
  }

  /** Writes what is pending at once, synchronously: for a window or process that is closing. */
  flushSync(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.take();
    mkdirSync(dirname(this.file), { recursive: true });
    appendFileSync(this.file, lines);
  }

  /** The whole journal becomes its record: one line. */
  async compact(): Promise<void> {
    this.pending = [];
    const text = `${JSON.stringify({ t: 'run', record: this.record })}\n`;
    this.enqueue(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, this.file);
    });
    await this.writing;
  }

  private flushSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const lines = this.take();
    this.enqueue(async () => {
      await mkdir(dirname(this.file), { recursive: true });
      await appendFile(this.file, lines);
    });
  }

  private take(): string {
    const lines = `${this.pending.join('\n')}\n`;
    this.pending = [];
    return lines;
  }

  /** Writes go one after another, so lines land in the order they were appended. */
  private enqueue(write: () => Promise<void>): void {
    this.writing = this.writing.then(write).then(
      () => {
        this.failed = undefined;
      },
      (error: unknown) => {
        this.failed = error instanceof Error ? error : new Error(String(error));
      },
    );
  }
}
