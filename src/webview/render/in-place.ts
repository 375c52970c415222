// Re-rendering without taking the user's place away. A node that is removed while it has
// focus drops focus to <body>, and a screen reader then starts reading from the top; a
// live region or alert that is replaced is announced again. So containers that change
// while the user works in them keep every child whose rendering did not change, and when
// the focused control itself had to go, focus moves to the same control rebuilt, or to
// the natural next one.

/** What each live child was rendered from (live custom elements change their own attributes). */
const renderedFrom = new WeakMap<Element, Element>();

function keyOf(el: Element, index: number): string {
  const key = el.getAttribute('data-key');
  return key === null ? `#${index}` : `k:${key}`;
}

/**
 * Makes `container`'s children `next`, keeping (not re-inserting) each live child whose
 * fresh rendering is identical. Children are matched by `data-key`, else by position.
 */
export function patchChildren(container: Element, next: Element[]): void {
  const live = new Map<string, Element>();
  Array.from(container.children).forEach((el, i) => live.set(keyOf(el, i), el));
  const result = next.map((fresh, i) => {
    const key = keyOf(fresh, i);
    const current = live.get(key);
    if (current && renderedFrom.get(current)?.isEqualNode(fresh)) {
      live.delete(key);
      return current;
    }
    // A focus stop (data-focus) is updated rather than replaced, so it keeps focus.
    if (current && current.tagName === fresh.tagName && current.hasAttribute('data-focus')) {
      live.delete(key);
      renderedFrom.set(current, fresh.cloneNode(true) as Element);
      morph(current, fresh);
      return current;
    }
    renderedFrom.set(fresh, fresh.cloneNode(true) as Element);
    return fresh;
  });
  for (const stale of live.values()) stale.remove();
  let cursor = container.firstElementChild;
  for (const el of result) {
    if (el === cursor) cursor = cursor.nextElementSibling;
    else container.insertBefore(el, cursor);
  }
}

/** Gives `live` the attributes and children of `fresh`; its tabindex stays (a roving focus owns it). */
function morph(live: Element, fresh: Element): void {
  for (const { name } of Array.from(live.attributes))
    if (name !== 'tabindex' && !fresh.hasAttribute(name)) live.removeAttribute(name);
  for (const { name, value } of Array.from(fresh.attributes))
    if (name !== 'tabindex' && live.getAttribute(name) !== value) live.setAttribute(name, value);
  live.replaceChildren(...Array.from(fresh.childNodes));
}

/** A selector that finds the same control again after its container was rebuilt. */
export function focusKey(el: HTMLElement): string | undefined {
  const own = el.id
    ? `#${CSS.escape(el.id)}`
    : el.dataset.action
      ? `[data-action="${CSS.escape(el.dataset.action)}"]${el.dataset.id ? `[data-id="${CSS.escape(el.dataset.id)}"]` : ''}`
      : el.dataset.focus
        ? `[data-focus="${CSS.escape(el.dataset.focus)}"]`
        : undefined;
  if (!own || el.id) return own;
  // Rows of a virtual list are told apart by their key.
  const row = el.closest<HTMLElement>('[data-vkey]');
  if (!row) return own;
  const rowKey = `[data-vkey="${CSS.escape(row.dataset.vkey ?? '')}"]`;
  return row === el ? rowKey : `${rowKey} ${own}`;
}

export function isFocusable(el: Element | null | undefined): el is HTMLElement {
  return (
    el instanceof HTMLElement &&
    el.isConnected &&
    !el.hasAttribute('disabled') &&
    !el.closest('[hidden]') &&
    el.getClientRects().length > 0
  );
}

/** The control that lost focus to a render, and the key of the list row it was in. */
export interface Lost {
  element: HTMLElement;
  row?: string;
}

/**
 * Runs `render` over `container`; when it removed the control that had focus, focuses that
 * control rebuilt, else what `fallback` names. Focus elsewhere is never touched.
 */
export function keepFocus(
  container: HTMLElement,
  render: () => void,
  fallback?: (lost: Lost) => Element | null | undefined,
): void {
  const active = document.activeElement;
  const had = active instanceof HTMLElement && active !== container && container.contains(active) ? active : null;
  const key = had ? focusKey(had) : undefined;
  // Where it was, read before the render takes it out of the page.
  const row = had?.closest<HTMLElement>('[data-vkey]')?.dataset.vkey;
  render();
  if (!had || (had.isConnected && document.activeElement === had)) return;
  // Something else took focus on purpose (an action moved it): leave it there.
  if (document.activeElement !== document.body && document.activeElement !== null) return;
  const again = key ? container.querySelector(key) : null;
  const target = isFocusable(again) ? again : fallback?.({ element: had, row });
  if (isFocusable(target)) focusNow(target);
}

/** Focuses `el`; a toolkit element inserted just now takes focus only once it has rendered. */
export function focusNow(el: HTMLElement): void {
  el.focus();
  if (document.activeElement === el) return;
  const rendered = (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete ?? Promise.resolve();
  void rendered.then(() => {
    if (document.activeElement === document.body || document.activeElement === null) el.focus();
  });
}
