// Where saved runs live: a folder per workspace under a base folder the user owns (the
// CLI's state folder, the extension's global storage) — never inside the workspace. The
// folder is named by a digest of the workspace's root and holds `workspace.json` (the
// root, so a workspace that moved or went away can be told) and one journal per run.
// Every problem with a saved run — unreadable, from another version, for a workspace that
// is no longer there — is reported, never thrown at the caller's face.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../text/error-message';
import { RunJournal } from './run-journal';
import { foldJournal, RunStateError } from './run-journal-entries';
import type { RunRecord } from './run-record';

const SUFFIX = '.jsonl';

/** A saved run that cannot be used, and why; `file` is what deleting it removes. */
export interface SavedRunProblem {
  runId: string;
  kind: RunStateError['kind'];
  message: string;
  file: string;
}

export interface SavedRuns {
  /** This workspace's readable runs, newest first. */
  runs: RunRecord[];
  /** Runs that cannot be used: unreadable, from another version, for a workspace that moved or is gone. */
  problems: SavedRunProblem[];
}

export function workspaceKey(workspace: string): string {
  return createHash('sha256').update(workspace).digest('hex').slice(0, 16);
}

export class RunStateStore {
  readonly dir: string;

  /** `workspace`: the root (or roots, one per line) the runs belong to. */
  constructor(
    readonly baseDir: string,
    readonly workspace: string,
  ) {
    this.dir = join(baseDir, workspaceKey(workspace));
  }

  fileOf(runId: string): string {
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(runId) || runId.startsWith('.'))
      throw new RunStateError('missing', `"${runId}" is not a run id`);
    return join(this.dir, `${runId}${SUFFIX}`);
  }

  /** A journal for a new run (synchronous: a run's first event opens it). */
  begin(record: RunRecord): RunJournal {
    mkdirSync(this.dir, { recursive: true });
    const mark = join(this.dir, 'workspace.json');
    if (!existsSync(mark)) writeFileSync(mark, JSON.stringify({ workspace: this.workspace }));
    return new RunJournal(this.fileOf(record.runId), record, true);
  }

  /** A journal that goes on appending to a saved run (resume, undo). */
  reopen(record: RunRecord): RunJournal {
    return new RunJournal(this.fileOf(record.runId), record, false);
  }

  async load(runId: string): Promise<RunRecord> {
    const file = this.fileOf(runId);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new RunStateError('missing', `there is no saved run ${runId} for ${this.workspace}`);
    }
    const record = foldJournal(text);
    if (record.workspace !== this.workspace)
      throw new RunStateError('moved', `it belongs to ${record.workspace}, not ${this.workspace}`);
    return record;
  }

  async list(): Promise<SavedRuns> {
    const runs: RunRecord[] = [];
    const problems: SavedRunProblem[] = [];
    for (const runId of await journalIds(this.dir)) {
      try {
        runs.push(await this.load(runId));
      } catch (error) {
        const kind = error instanceof RunStateError ? error.kind : 'corrupt';
        problems.push({ runId, kind, message: errorMessage(error), file: this.fileOf(runId) });
      }
    }
    problems.push(...(await this.strandedRuns()));
    runs.sort((a, b) => b.updatedAt - a.updatedAt);
    return { runs, problems };
  }

  /** Finds a run by its id or an unambiguous start of it. */
  async find(prefix: string): Promise<string> {
    const ids = await journalIds(this.dir);
    if (ids.includes(prefix)) return prefix;
    const matches = ids.filter((id) => id.startsWith(prefix));
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) throw new RunStateError('missing', `no saved run starts with "${prefix}"`);
    throw new RunStateError('missing', `"${prefix}" could be ${matches.slice(0, 4).join(', ')}: give more of the id`);
  }

  async delete(problemOrRunId: SavedRunProblem | string): Promise<void> {
    const file = typeof problemOrRunId === 'string' ? this.fileOf(problemOrRunId) : problemOrRunId.file;
    await rm(file, { force: true });
  }

  /** Saved runs of workspaces that are gone (moved, renamed, deleted): nobody can resume them. */
  private async strandedRuns(): Promise<SavedRunProblem[]> {
    const problems: SavedRunProblem[] = [];
    let folders: string[];
    try {
      folders = await readdir(this.baseDir);
    } catch {
      return [];
    }
    for (const folder of folders) {
      const dir = join(this.baseDir, folder);
      if (dir === this.dir) continue;
      const root = await readWorkspaceMark(dir);
      if (root === undefined || root.split('\n').some((r) => existsSync(r))) continue;
      for (const runId of await journalIds(dir))
        problems.push({
          runId,
          kind: 'moved',
          message: `it was saved for ${root.replace(/\n/g, ', ')}, which is no longer there (moved or deleted)`,
          file: join(dir, `${runId}${SUFFIX}`),
        });
    }
    return problems;
  }
}

async function journalIds(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((f) => f.endsWith(SUFFIX)).map((f) => f.slice(0, -SUFFIX.length));
  } catch {
    return [];
  }
}

async function readWorkspaceMark(dir: string): Promise<string | undefined> {
  try {
    const value = JSON.parse(await readFile(join(dir, 'workspace.json'), 'utf8')) as { workspace?: unknown };
    return typeof value.workspace === 'string' ? value.workspace : undefined;
  } catch {
    return undefined;
  }
}
