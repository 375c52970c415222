// Shared fixtures for run-engine tests: real temp directories and a tool context over
// the real Node workspace and shell.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLocks } from '../../src/core/run/file-locks';
import { NodeShell } from '../../src/core/workspace/node-shell';
import { NodeWorkspace } from '../../src/core/workspace/node-workspace';
import { RunWrites } from '../../src/core/tools/redirects';
import type { ToolContext, ToolPolicy } from '../../src/core/tools/tools';
import type { ApprovalRequest, Approver } from '../../src/core/workspace/workspace';

export function tempDir(prefix = 'rozet-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Approves (or denies) everything and remembers what it was asked. */
export class RecordingApprover implements Approver {
  readonly asked: ApprovalRequest[] = [];
  constructor(private readonly answer = true) {}
  async approve(request: ApprovalRequest) {
    this.asked.push(request);
    return { approved: this.answer, message: this.answer ? undefined : 'not now' };
  }
}

export const AUTO_POLICY: ToolPolicy = { bashApproval: 'auto', allowlist: [], writeApproval: 'auto' };

export function toolContext(root: string, overrides: Partial<ToolContext> = {}): ToolContext {
  return {
    taskId: 't1',
    workspace: new NodeWorkspace(root),
    shell: new NodeShell(root),
    approver: new RecordingApprover(),
    locks: new FileLocks(),
    policy: AUTO_POLICY,
    sessionAllowlist: [],
    runWrites: new RunWrites(),
    bashTimeoutMs: 5000,
    maxOutputBytes: 64 * 1024,
    ...overrides,
  };
}
