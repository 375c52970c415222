// The listeners of one run's events: each event is stamped with the run id and time and
// given to every listener; a listener that throws is ignored, so a faulty UI or printer
// cannot break the run it watches.
import type { RunEvent, RunEventListener } from './events';
import type { EventInit } from './task-launch';

export class EventHub {
  private readonly listeners = new Set<RunEventListener>();

  constructor(private readonly runId: string) {}

  /** Subscribes; returns the unsubscribe function. */
  on(listener: RunEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EventInit): void {
    const full = { ...event, runId: this.runId, at: Date.now() } as RunEvent;
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // See the file comment.
      }
    }
  }
}
