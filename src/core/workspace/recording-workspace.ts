// A task's view of the workspace that reports each write with the file's text before and
// after it, so a run can be undone one task at a time and resumed knowing what each task
// wrote. The write itself is the wrapped workspace's; this only reads around it, inside
// the path's lock the tools already hold.
import { ToolError, type Workspace, type WriteResult } from './workspace';

export interface WriteRecord {
  taskId: string;
  /** Workspace-relative, as the worker named it. */
  path: string;
  /** The text before the write; null when the write created the file; undefined when it could not be read whole. */
  before: string | null | undefined;
  /** The text after the write, as the workspace now reads it (its line endings and encoding kept). */
  after: string | undefined;
}

export type WriteListener = (record: WriteRecord) => void;

export function recordingWorkspace(inner: Workspace, taskId: string, onWrite: WriteListener): Workspace {
  return {
    get description() {
      return inner.description;
    },
    read: (path, signal) => inner.read(path, signal),
    list: (path, recursive, signal) => inner.list(path, recursive, signal),
    stat: (path) => inner.stat(path),
    lockKey: (path) => inner.lockKey(path),
    async write(path, content, signal): Promise<WriteResult> {
      const before = await wholeText(inner, path, signal);
      const result = await inner.write(path, content, signal);
      const after = await wholeText(inner, path, signal);
      onWrite({
        taskId,
        path,
        before: result.created ? null : (before ?? undefined),
        after: after ?? undefined,
      });
      return result;
    },
  };
}

/** The file's whole text; null when there is none or it cannot be had whole (missing, binary, too large). */
async function wholeText(workspace: Workspace, path: string, signal?: AbortSignal): Promise<string | null> {
  try {
    const read = await workspace.read(path, signal);
    return read.truncated ? null : read.content;
  } catch (error) {
    if (error instanceof ToolError) return null;
    throw error;
  }
}
