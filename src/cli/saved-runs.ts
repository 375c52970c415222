// The CLI's saved runs: where they live (the user's state folder, never the workspace)
// and the hooks that keep one up to date while `rozet run` or `rozet resume` goes.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { PlanSource } from '../core/plan/plan';
import type { RunEvent } from '../core/run/events';
import { RunRecorder } from '../core/run-state/run-recorder';
import { newRunRecord, type RunRecord } from '../core/run-state/run-record';
import { RunStateError } from '../core/run-state/run-journal-entries';
import { RunStateStore } from '../core/run-state/run-store';
import type { WriteRecord } from '../core/workspace/recording-workspace';
import { errorMessage } from '../core/text/error-message';
import { UsageError } from './args';
import type { Output } from './io';

/**
 * `$XDG_STATE_HOME/rozet`, else the platform's place for an application's state:
 * ~/.local/state/rozet (Linux and others), ~/Library/Application Support/rozet (macOS),
 * %LOCALAPPDATA%\rozet (Windows).
 */
export function stateDir(env: Record<string, string | undefined>, platform = process.platform): string {
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'rozet');
  const home = env.HOME || env.USERPROFILE || homedir();
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'rozet');
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'rozet');
  return join(home, '.local', 'state', 'rozet');
}

export function savedRunStore(dir: string, root: string): RunStateStore {
  return new RunStateStore(dir, root);
}

/**
 * Saves the run that is about to start (opened on its plan.started) or goes on with a
 * saved one (`record`). A state folder that cannot be written costs the run nothing but a
 * warning: the run itself matters more than being able to resume it.
 */
export class RunSaver {
  private recorder: RunRecorder | undefined;
  private broken = false;

  constructor(
    private readonly store: RunStateStore,
    private readonly output: Output,
    private readonly init: { title: string; source?: PlanSource } | { record: RunRecord },
  ) {
    if ('record' in init) this.recorder = new RunRecorder(store.reopen(init.record));
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

  /** Writes what is left and compacts the journal; never throws. */
  async close(): Promise<void> {
    if (!this.recorder || this.broken) return;
    try {
      await this.recorder.journal.flush();
      await this.recorder.journal.compact();
    } catch (error) {
      this.warn(error);
    }
  }

  private guard(action: () => void): void {
    if (this.broken) return;
    try {
      action();
    } catch (error) {
      this.warn(error);
    }
  }

  private warn(error: unknown): void {
    this.broken = true;
    this.output.err(
      `rozet: warning: this run is not saved (${errorMessage(error)}); it cannot be resumed or undone per task. Check that ${this.store.baseDir} is writable (or set XDG_STATE_HOME).`,
    );
  }
}

/**
 * A saved run by its id (or an unambiguous start of it), else the newest one `fallback`
 * accepts. A run that cannot be used is a UsageError that says why and how to delete it.
 */
export async function openSavedRun(
  store: RunStateStore,
  id: string | undefined,
  fallback: (run: RunRecord) => boolean,
  what: string,
): Promise<RunRecord> {
  try {
    if (id) return await store.load(await store.find(id));
  } catch (error) {
    const deletable = error instanceof RunStateError && error.kind !== 'missing';
    throw new UsageError(
      `Saved run ${id} cannot be used: ${errorMessage(error)}.${deletable ? ` Delete it with \`rozet runs delete ${id}\`.` : ' `rozet runs` lists the saved runs.'}`,
    );
  }
  const { runs } = await store.list();
  const run = runs.find(fallback);
  if (!run) throw new UsageError(`There is no saved run ${what} for ${store.workspace}. \`rozet runs\` lists them.`);
  return run;
}
