// Webview benchmark in Debian chromium: mounting 5,000 messages + 5,000 tasks + 5,000
// history items (target < 100 ms), one appended message or streamed task update (target
// < 16 ms, one frame), and DOM node counts at 100 / 1,000 / 5,000 items (bounded: they
// must not grow with length).
// Times are measured inside the page: message receipt → validated, stored, rendered and
// laid out.
import { startHarness, type Harness, type WebviewPage } from '../test/browser/harness';
import { large, message } from '../test/browser/fixtures';

const SIZES = [100, 1000, 5000];
const STREAM_SAMPLES = 30;
// Fresh pages per size; the median damps a busy machine's noise.
const MOUNT_RUNS = 5;

async function mount(harness: Harness, count: number): Promise<{ page: WebviewPage; ms: number }> {
  const page = await harness.open({ width: 420, height: 800 });
  const init = large(count, false);
  // Each page is cold (first-run costs included), as a user's reopened panel is.
  const ms = await page.page.evaluate((data) => {
    const start = performance.now();
    window.dispatchEvent(new MessageEvent('message', { data }));
    document.body.getBoundingClientRect();
    return performance.now() - start;
  }, init);
  await page.settle();
  return { page, ms };
}

async function nodeCounts(page: WebviewPage): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const tab of ['chat', 'tasks', 'history']) {
    await page.page.click(`#rz-tab-${tab}`);
    await page.settle();
    counts[tab] = await page.page.evaluate(() => document.querySelectorAll('*').length);
  }
  await page.page.click('#rz-tab-chat');
  await page.settle();
  return counts;
}

/** One frame's work for one batched delta: the flush (script + DOM) plus the layout it causes. */
async function streamFrame(page: WebviewPage, data: unknown): Promise<number> {
  return page.page.evaluate(
    (payload) =>
      new Promise<number>((resolve) => {
        performance.clearMeasures('rozet:flush');
        window.dispatchEvent(new MessageEvent('message', { data: payload }));
        // Registered after the webview's own frame callback, so it runs right after the flush.
        requestAnimationFrame(() => {
          const flush = performance.getEntriesByName('rozet:flush').pop()?.duration ?? 0;
          const start = performance.now();
          document.body.getBoundingClientRect();
          resolve(flush + (performance.now() - start));
        });
      }),
    data,
  );
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (n: number): number => Math.round(n * 100) / 100;

export async function benchWebview(): Promise<Record<string, unknown>> {
  const harness = await startHarness();
  try {
    const mountMs: Record<string, { median: number; min: number }> = {};
    const nodes: Record<string, Record<string, number>> = {};
    let last: WebviewPage | undefined;
    for (const size of SIZES) {
      const times: number[] = [];
      for (let run = 0; run < MOUNT_RUNS; run++) {
        const { page, ms } = await mount(harness, size);
        times.push(ms);
        if (run === 0) nodes[size] = await nodeCounts(page);
        if (size === SIZES[SIZES.length - 1] && run === MOUNT_RUNS - 1) last = page;
        else await page.page.context().close();
      }
      mountMs[size] = { median: round(median(times)), min: round(Math.min(...times)) };
    }
    if (!last) throw new Error('no page');

    // A new message after 5,000 (the host appends whole messages; it does not stream chat).
    const chat: number[] = [];
    for (let i = 0; i < STREAM_SAMPLES; i++) {
      chat.push(
        await streamFrame(last, {
          type: 'chat.append',
          message: message(`appended-${i}`, 'assistant', `Answer ${i}, with **markdown** and \`code\`.`),
        }),
      );
    }
    // Streaming worker output into an expanded running task among 5,000.
    await last.page.click('#rz-tab-tasks');
    await last.settle();
    await last.page.click('.rz-task[data-vkey="t0"] .rz-task-head');
    await last.settle();
    const task: number[] = [];
    for (let i = 0; i < STREAM_SAMPLES; i++) {
      task.push(
        await streamFrame(last, {
          type: 'run.events',
          events: [
            { runId: 'run-1', at: Date.now(), type: 'task.delta', taskId: 't0', text: `line ${i} of worker output\n` },
          ],
        }),
      );
    }
    const violations = await last.violations();
    await last.page.context().close();

    return {
      mountMs,
      mountTargetMs: 100,
      appendedChatMessageMs: { median: round(median(chat)), max: round(Math.max(...chat)) },
      streamedTaskUpdateMs: { median: round(median(task)), max: round(Math.max(...task)) },
      streamTargetMs: 16,
      domNodes: nodes,
      cspViolations: violations.length,
    };
  } finally {
    await harness.close();
  }
}

if (require.main === module) {
  benchWebview().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
