// The sidebar's states, each reached the way a user reaches it (host messages, then real
// clicks on tabs and task rows): what the accessibility scan walks through per theme.
import type { WebviewPage } from './harness';
import * as f from './fixtures';

export const STATES = {
  empty: async (w: WebviewPage) => {
    await w.send(f.init());
  },
  'chat with markdown and code': async (w: WebviewPage) => {
    await w.send(
      f.init({
        messages: [
          ...f.conversation,
          f.message(
            'm3',
            'assistant',
            '| Task | Files |\n|---|---|\n| t1 | `args.ts` |\n\n> Note: run `npm test` after.\n\n```\n' +
              'a very long line that has to scroll sideways inside its code block '.repeat(4) +
              '\n```',
          ),
        ],
        attachments: [{ id: 'a1', path: 'src/cli/args.ts', startLine: 1, endLine: 9, text: 'x' }],
      }),
    );
  },
  'plan under review': async (w: WebviewPage) => {
    await w.send(f.init());
    await w.send({
      type: 'plan.shown',
      planId: 'p1',
      result: { plan: f.plan, source: 'fallback', reason: 'the planner was unreachable', notes: ['request trimmed'] },
    });
  },
  'running with approvals': async (w: WebviewPage) => {
    await w.send(
      f.init({
        runEvents: f.runningEvents(),
        approvals: [
          { id: 'ap1', runId: f.RUN, taskId: 't2', kind: 'command', subject: 'npm test', prefix: 'npm test' },
          {
            id: 'ap2',
            runId: f.RUN,
            taskId: 't2',
            kind: 'write',
            subject: '.vscode/settings.json',
            reason: 'protected',
          },
        ],
      }),
    );
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.click('.rz-task[data-vkey="t1"] .rz-task-head');
    await w.settle();
    await w.page.locator('.rz-task[data-vkey="t1"] .rz-tool summary').first().click();
    await w.settle();
  },
  'finished with failures': async (w: WebviewPage) => {
    await w.send(f.init({ runEvents: f.finishedEvents() }));
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    await w.page.click('.rz-task[data-vkey="t2"] .rz-task-head');
    await w.settle();
  },
  'stopped over budget': async (w: WebviewPage) => {
    await w.send(
      f.init({
        runEvents: [
          ...f.runningEvents(),
          { ...f.ev(9000), type: 'task.usage', taskId: 't2', usage: { promptTokens: 2000, completionTokens: 400 } },
          { ...f.ev(9001), type: 'task.overBudget', taskId: 't2', used: 2400, budget: 2000 },
          { ...f.ev(9002), type: 'plan.finished', summary: f.summary('overBudget') },
        ],
      }),
    );
    await w.page.click('#rz-tab-tasks');
    await w.settle();
    // The state is there to check Continue and Undo.
    await w.page.locator('[data-action="continue-task"]').waitFor({ timeout: 2000 });
    await w.page.locator('[data-action="undo-task"]').first().waitFor({ timeout: 2000 });
  },
  history: async (w: WebviewPage) => {
    await w.send(
      f.init({
        history: [
          { id: 'h1', kind: 'run', title: 'Add a --verbose flag', at: Date.now(), outcome: 'failed' },
          { id: 'h2', kind: 'chat', title: 'What does the parser do?', at: Date.now() - 60_000 },
          { id: 'h3', kind: 'run', title: 'Rename the CLI', at: Date.now() - 120_000, outcome: 'interrupted' },
        ],
      }),
    );
    await w.page.click('#rz-tab-history');
    await w.settle();
  },
  notices: async (w: WebviewPage) => {
    await w.send(f.init({ messages: f.conversation }));
    await w.send({ type: 'notice', level: 'error', message: 'The planner model failed: 401 from the provider.' });
    await w.send({ type: 'notice', level: 'warning', message: 'The request is empty.' });
    await w.send({ type: 'notice', level: 'info', message: 'Undid 2 file change(s) of the run.' });
  },
} satisfies Record<string, (w: WebviewPage) => Promise<void>>;

export type StateName = keyof typeof STATES;
