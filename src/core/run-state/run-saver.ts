// Saves the run that is about to start (opened on its plan.started) or goes on with a
// saved one (`record`), for the CLI and the extension alike. A state folder that cannot
// be written costs the run nothing but one warning: the run matters more than being able
// to resume it.
import type { PlanSource } from '../plan/plan';
import type { RunEvent } from '../run/events';
import { errorMessage } from '../text/error-message';
import type { WriteRecord } from '../workspace/recording-workspace';
import { RunRecorder } from './run-recorder';
import { newRunRecord, type RunRecord } from './run-record';
import type { RunStateStore } from './run-store';

export class RunSaver {
  private recorder: RunRecorder | undefined;
  private broken = false;

  constructor(
    private readonly store: RunStateStore,
    private readonly init: { title: string; source?: PlanSource } | { record: RunRecord },
    private readonly warn: (problem: string) => void,
  ) {
    if ('record' in init) this.recorder = new RunRecorder(store.reopen(init.record));
  }

  /** The run as saved so far (undefined before its plan.started). */
  get record(): RunRecord | undefined {
    return this.recorder?.record;
  }

  readonly event = (event: RunEvent): void => {
    this.guard(() => {
      if (event.type === 'plan.started' && !this.recorder && !('record' in this.init))
        this.recorder = new RunRecorder(
          this.store.begin(
            newRunRecord({
              runId: event.runId,
              workspace: this.store.workspace,
              title: this.init.title,
              plan: event.plan,
              source: this.init.source,
              at: event.at,
            }),
          ),
        );
      this.recorder?.event(event);
    });
  };

  readonly write = (record: WriteRecord): void => this.guard(() => this.recorder?.write(record));

  /** Records that these files of a task were undone. */
  undone(taskId: string, paths: readonly string[]): void {
    if (paths.length)
      this.guard(() => this.recorder?.journal.append({ t: 'undo', id: taskId, paths: [...paths], at: Date.now() }));
  }

  /** Writes what is pending, now: the process or window is going away. */
  flushSync(): void {
    this.guard(() => this.recorder?.journal.flushSync());
  }

  /** Writes what is left and compacts the journal; never throws. */
  async close(): Promise<void> {
    if (!this.recorder || this.broken) return;
    try {
      await this.recorder.journal.flush();
      await this.recorder.journal.compact();
    } catch (error) {
      this.fail(error);
    }
  }

  private guard(action: () => void): void {
    if (this.broken) return;
    try {
      action();
    } catch (error) {
      this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.broken = true;
    this.warn(`This run is not saved (${errorMessage(error)}): it cannot be resumed or undone per task.`);
  }
}
