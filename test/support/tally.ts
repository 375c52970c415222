// Counts for the adversarial suites (issue 8 asks for "cases tried, escapes blocked of
// tried", "faults injected", "writes checked"): each suite records as it goes and prints
// one summary line when it ends, so CI logs show the figures next to the green run.
export class Tally {
  private readonly counts = new Map<string, number>();

  constructor(private readonly suite: string) {}

  add(what: string, n = 1): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }

  get(what: string): number {
    return this.counts.get(what) ?? 0;
  }

  /** Registers an after() hook in the calling describe() that prints "suite: 57 tried, 57 blocked". */
  report(): void {
    after(() => {
      const parts = [...this.counts].map(([what, n]) => `${n} ${what}`);
      console.log(`      ${this.suite}: ${parts.join(', ') || 'nothing counted'}`);
    });
  }
}
