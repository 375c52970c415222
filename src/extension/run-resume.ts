// The questions around resuming a saved run in VS Code: a saved run that cannot be used
// is reported and offered for deletion; a kept task whose files changed since is named,
// and the user keeps going or runs it again (with the kept tasks resting on it).
import * as vscode from 'vscode';
import { planResume, rerunAlso, type ResumePlan } from '../core/run-state/resume';
import { RunStateError } from '../core/run-state/run-journal-entries';
import type { RunRecord } from '../core/run-state/run-record';
import type { RunStateStore } from '../core/run-state/run-store';

/** The saved run, or undefined after telling the user why it cannot be used (and deleting it if asked). */
export async function loadOrOfferDeletion(store: RunStateStore, runId: string): Promise<RunRecord | undefined> {
  try {
    return await store.load(runId);
  } catch (error) {
    if (!(error instanceof RunStateError) || error.kind === 'missing')
      throw new Error(
        `The saved state of this run is gone (${error instanceof Error ? error.message : String(error)}); plan the request again.`,
      );
    const pick = await vscode.window.showErrorMessage(
      `Rozet: the saved state of this run cannot be used: ${error.message}. Delete it?`,
      'Delete It',
      'Keep It',
    );
    if (pick === 'Delete It') await store.delete(runId);
    return undefined;
  }
}

/** What to resume, once the user has decided about changed files; undefined to do nothing. */
export async function decideResume(
  record: RunRecord,
  reader: { read: (path: string) => Promise<string | undefined> },
): Promise<ResumePlan | undefined> {
  if (record.state === 'succeeded') {
    void vscode.window.showInformationMessage('Rozet: that run already succeeded; there is nothing to resume.');
    return undefined;
  }
  const resume = await planResume(record, reader.read);
  if (resume.drifted.length === 0) return resume;
  const lines = resume.drifted.map(
    (d) => `${d.taskId} (${d.title}): ${d.files.map((f) => `${f.path} was ${f.why}`).join(', ')}`,
  );
  const pick = await vscode.window.showWarningMessage(
    `Since this run, files that finished tasks wrote have changed:\n${lines.join('\n')}\n\nKeep going with those tasks as they are, or run them again?`,
    { modal: true },
    'Keep Going',
    'Run Them Again',
  );
  if (pick === undefined) return undefined;
  return pick === 'Keep Going'
    ? resume
    : rerunAlso(
        resume,
        resume.drifted.map((d) => d.taskId),
      );
}
