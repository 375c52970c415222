// Two layers keep parallel workers from corrupting each other's files:
//
// 1. FileLocks — one async-mutex per lock key. A key is what `Workspace.lockKey(path)`
//    returns: the normalised real path, case-folded where the file system ignores case,
//    so `src/A.ts`, `./src/a.ts` and a symlink to it share one lock. Every write holds its
//    path's lock; a read-modify-write (replace_in_file) holds it from the read through the
//    write, so concurrent edits never lose an update. Several paths are locked in sorted
//    order, which rules out lock-order deadlocks. Waits are abortable.
//
// 2. FileLeases — a task's declared `files` are leased for the task's whole run: the
//    coordinator does not start a task while another running task holds a lease on one of
//    its declared files. Leases are a scheduling rule, not a mutex a worker waits on, so a
//    worker never deadlocks against another task's lease. Who may write what is a third
//    rule, checked on every write (FileOwnership in file-ownership.ts).
import { Mutex } from 'async-mutex';
import { ModelError } from '../model/chat';
import type { Workspace } from '../workspace/workspace';

export type Release = () => void;

export class FileLocks {
  private readonly mutexes = new Map<string, Mutex>();

  /** Locks every key (deduplicated, sorted) and returns one release for all of them. */
  async acquire(keys: readonly string[], signal?: AbortSignal): Promise<Release> {
    const sorted = [...new Set(keys)].sort();
    const releases: Release[] = [];
    try {
      for (const key of sorted) releases.push(await this.acquireOne(key, signal));
    } catch (error) {
      for (const release of releases.reverse()) release();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const release of releases.reverse()) release();
      for (const key of sorted) this.forget(key);
    };
  }

  async withLocks<T>(keys: readonly string[], fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(keys, signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  isLocked(key: string): boolean {
    return this.mutexes.get(key)?.isLocked() ?? false;
  }

  private acquireOne(key: string, signal?: AbortSignal): Promise<Release> {
    if (signal?.aborted) return Promise.reject(cancelled());
    let mutex = this.mutexes.get(key);
    if (!mutex) {
      mutex = new Mutex();
      this.mutexes.set(key, mutex);
    }
    const pending = mutex.acquire();
    if (!signal) return pending;
    // async-mutex cannot withdraw one waiter, so an aborted wait lets the lock be taken
    // later and hands it straight back.
    return new Promise<Release>((resolve, reject) => {
      let settled = false;
      const onAbort = () => {
        if (settled) return;
        settled = true;
        reject(cancelled());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      pending.then((release) => {
        signal.removeEventListener('abort', onAbort);
        if (settled) {
          release();
          this.forget(key);
          return;
        }
        settled = true;
        resolve(release);
      }, reject);
    });
  }

  /** Drops idle mutexes so a long session does not keep one per file ever touched. */
  private forget(key: string): void {
    const mutex = this.mutexes.get(key);
    if (mutex && !mutex.isLocked()) this.mutexes.delete(key);
  }
}

export class FileLeases {
  private readonly held = new Map<string, string>();

  /** Takes every key for `owner`, or none of them when one is held by someone else. */
  tryLease(owner: string, keys: readonly string[]): boolean {
    if (this.conflict(owner, keys)) return false;
    for (const key of keys) this.held.set(key, owner);
    return true;
  }

  /** The first of `keys` held by someone other than `owner`, with its holder. */
  conflict(owner: string, keys: readonly string[]): { key: string; holder: string } | undefined {
    for (const key of keys) {
      const holder = this.held.get(key);
      if (holder !== undefined && holder !== owner) return { key, holder };
    }
    return undefined;
  }

  release(owner: string): void {
    for (const [key, holder] of this.held) if (holder === owner) this.held.delete(key);
  }

  holder(key: string): string | undefined {
    return this.held.get(key);
  }
}

function cancelled(): ModelError {
  return new ModelError('cancelled', 'Cancelled while waiting for a file lock.');
}

/** A path's lock key, or undefined when it does not resolve inside the workspace. */
export function lockKeyOf(workspace: Workspace, file: string): string | undefined {
  try {
    return workspace.lockKey(file);
  } catch {
    return undefined;
  }
}

/** The lease key of a declared file; one that does not resolve still matches the same path written another way. */
export function leaseKey(workspace: Workspace, file: string): string {
  return lockKeyOf(workspace, file) ?? file.replace(/\\/g, '/').replace(/^\.\//, '').toLowerCase();
}
