// The one polite live region, outside the tab panels so it speaks whichever tab is open:
// a run starting, a task failing, a run ending, an approval waiting, a reply from Rozet,
// a warning or confirmation from the host. It stays in the DOM for the panel's lifetime
// (a region that is replaced is not announced reliably) and only its text changes.
// Errors are not here: they are alerts of their own (notices.ts).
import type { Model } from '../state/model';
import { h } from '../render/dom';
import { renderMarkdown } from '../render/markdown';
import { APPROVAL_TITLES } from './approvals';

/** A reply longer than this is cut in the announcement; the chat has all of it. */
const REPLY_CHARS = 400;

export class LiveStatus {
  readonly element = h('div', { class: 'rz-live', role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  private known: Model | null = null;
  private runId = '';
  private finished = false;
  private failed = new Set<string>();
  private approvals = new Set<string>();
  private messages = 0;
  private noticeId = 0;

  /** Says what changed since the last call. A new snapshot or restored state is not news. */
  update(model: Model): void {
    const lines: string[] = [];
    const fresh = model !== this.known;
    this.known = model;
    const run = model.run;
    if (run && run.runId !== this.runId) {
      this.runId = run.runId;
      this.finished = false;
      this.failed.clear();
      if (!fresh) lines.push(`Run started: ${run.order.length} task${run.order.length === 1 ? '' : 's'}.`);
    }
    if (run) {
      for (const task of run.tasks.values()) {
        if (task.status !== 'failed' || this.failed.has(task.id)) continue;
        this.failed.add(task.id);
        if (!fresh) lines.push(`Task failed: ${task.title}.`);
      }
      if (run.summary && !this.finished) {
        this.finished = true;
        const done = [...run.tasks.values()].filter((t) => t.status === 'succeeded').length;
        if (!fresh) lines.push(`Run ${run.summary.outcome}: ${done} of ${run.order.length} tasks succeeded.`);
      }
    }
    const waiting = model.approvals.filter((a) => !a.answered);
    for (const approval of waiting) {
      if (this.approvals.has(approval.id)) continue;
      this.approvals.add(approval.id);
      if (!fresh)
        lines.push(
          `Approval needed: ${APPROVAL_TITLES[approval.kind]} ${approval.subject.slice(0, 200)}. ${waiting.length} waiting.`,
        );
    }
    for (const message of fresh ? [] : model.messages.slice(this.messages)) {
      if (message.role !== 'user') lines.push(`Rozet: ${plainText(message.id, message.text)}`);
    }
    this.messages = model.messages.length;
    for (const notice of model.notices) {
      if (notice.id <= this.noticeId) continue;
      this.noticeId = notice.id;
      if (notice.level !== 'error') lines.push(notice.message);
    }
    if (lines.length > 0) this.say(lines.join(' '));
  }

  say(text: string): void {
    // The same words twice in a row change nothing in the DOM, so nothing would be read.
    this.element.textContent = this.element.textContent === text ? `${text}\u00a0` : text;
  }
}

/** A reply as a listener hears it: the rendered markdown's text, without the code blocks' Copy buttons. */
function plainText(key: string, text: string): string {
  const fragment = renderMarkdown(key, text);
  for (const copy of Array.from(fragment.querySelectorAll('.rz-copy'))) copy.remove();
  const plain = (fragment.textContent ?? '').replace(/\s+/g, ' ').trim();
  return plain.length > REPLY_CHARS ? `${plain.slice(0, REPLY_CHARS)}… (the rest is in the chat)` : plain;
}
