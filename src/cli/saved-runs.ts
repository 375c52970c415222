// The CLI's saved runs: where they live (the user's state folder, never the workspace)
// and the hooks that keep one up to date while `rozet run` or `rozet resume` goes.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../core/run-state/run-record';
import { RunStateError } from '../core/run-state/run-journal-entries';
import { RunStateStore } from '../core/run-state/run-store';
import { errorMessage } from '../core/text/error-message';
import { UsageError } from './args';
import { RunSaver } from '../core/run-state/run-saver';
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

/** This workspace's saved runs, in the user's state folder. */
export function savedRunStore(ctx: { stateDir: string; root: string }): RunStateStore {
  return new RunStateStore(ctx.stateDir, ctx.root);
}

/** Saves a run of this process; a state folder that cannot be written is a warning on stderr. */
export function cliRunSaver(
  store: RunStateStore,
  output: Output,
  init: ConstructorParameters<typeof RunSaver>[1],
): RunSaver {
  return new RunSaver(store, init, (problem) =>
    output.err(`rozet: warning: ${problem} Check that ${store.baseDir} is writable (or set XDG_STATE_HOME).`),
  );
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
