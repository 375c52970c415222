// How a local model server serves requests at once: a fixed number of slots, and the
// requests beyond them waiting unanswered in the server's own queue until a slot frees
// (Ollama with OLLAMA_NUM_PARALLEL, llama.cpp with --parallel). Counts what happened, so
// tests and benchmarks can check that Rozet never left more than one request waiting.
export interface SlotStats {
  /** Most requests being served at the same time. */
  maxServing: number;
  /** Most requests waiting in the queue at the same time. */
  maxWaiting: number;
  served: number;
  serving: number;
  waiting: number;
}

export class ServerSlots {
  private serving = 0;
  private readonly queue: Array<() => void> = [];
  private stats: SlotStats = { maxServing: 0, maxWaiting: 0, served: 0, serving: 0, waiting: 0 };

  constructor(private limit: number) {}

  setLimit(limit: number): void {
    this.limit = limit;
    this.drain();
  }

  /** Resolves when the request has a slot; the returned function frees it (once). */
  async take(): Promise<() => void> {
    if (this.serving >= this.limit) {
      await new Promise<void>((resolve) => {
        this.queue.push(resolve);
        this.stats.maxWaiting = Math.max(this.stats.maxWaiting, this.queue.length);
      });
    } else this.serving++;
    this.stats.maxServing = Math.max(this.stats.maxServing, this.serving);
    let freed = false;
    return () => {
      if (freed) return;
      freed = true;
      this.serving--;
      this.stats.served++;
      this.drain();
    };
  }

  snapshot(): SlotStats {
    return { ...this.stats, serving: this.serving, waiting: this.queue.length };
  }

  reset(): void {
    this.stats = { maxServing: this.serving, maxWaiting: this.queue.length, served: 0, serving: 0, waiting: 0 };
  }

  private drain(): void {
    while (this.serving < this.limit && this.queue.length) {
      this.serving++;
      this.queue.shift()!();
    }
  }
}
