// Real keyboard travel for the browser tests: Tab presses through Playwright, and a short
// name for whatever has focus, so a test can say where focus is and where it went.
import type { Page } from 'playwright-core';

/** Names the focused control: its id, its action (and subject), its row, or its tag and class. */
export async function focusedStop(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const row = (el.closest('[data-vkey]') as HTMLElement | null)?.dataset.vkey;
    if (el.id) return `#${el.id}`;
    if (el.dataset.action) return `${el.dataset.action}${el.dataset.id ? `:${el.dataset.id}` : ''}`;
    if (el.dataset.focus) return `${el.dataset.focus}:${row ?? ''}`;
    return `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ')[0]}` : ''}${row ? `:${row}` : ''}`;
  });
}

/**
 * Presses Tab (Shift+Tab with `back`) until the focused stop is `target` (a name from
 * focusedStop, or a predicate); returns every stop passed on the way, `target` last.
 */
export async function tabTo(
  page: Page,
  target: string | ((stop: string) => boolean),
  options: { back?: boolean; max?: number } = {},
): Promise<string[]> {
  const matches = typeof target === 'string' ? (stop: string) => stop === target : target;
  const stops: string[] = [];
  for (let i = 0; i < (options.max ?? 40); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const stop = await focusedStop(page);
    stops.push(stop);
    if (matches(stop)) return stops;
  }
  throw new Error(`Tab never reached ${String(target)}; passed: ${stops.join(' → ')}`);
}
