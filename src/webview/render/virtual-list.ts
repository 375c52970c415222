// A virtualised list with variable, measured item heights. Only the items in (or near)
// the viewport exist in the DOM, so a 5,000-message chat or task tree costs the same
// DOM as a 20-item one. Heights start as an estimate and are corrected by measurement
// and a ResizeObserver (streaming text, expanded tool calls).
import { h } from './dom';

export interface VirtualListOptions {
  /** The scrolling element (overflow: auto). */
  viewport: HTMLElement;
  estimate: number;
  /** Keep the view at the end while the user is there (chat). */
  stickToBottom: boolean;
  render(key: string): HTMLElement;
  /** Updates a mounted item in place, or returns a replacement element. */
  patch(el: HTMLElement, key: string): HTMLElement;
  /** Called after an item is positioned, with its index and the list length (for aria-posinset/setsize). */
  place?(el: HTMLElement, index: number, count: number): void;
}

const OVERSCAN_PX = 400;

export class VirtualList {
  private keys: string[] = [];
  private heights = new Map<string, number>();
  private offsets = new Float64Array(1);
  private offsetsDirty = true;
  private readonly mounted = new Map<string, HTMLElement>();
  private readonly content: HTMLElement;
  private readonly observer: ResizeObserver;
  private pinned: boolean;
  private frame = 0;
  /** The index range mounted by the last layout. */
  private range = { start: 0, end: 0 };

  constructor(private readonly options: VirtualListOptions) {
    this.pinned = options.stickToBottom;
    this.content = h('div', { class: 'rz-vcontent' });
    options.viewport.append(this.content);
    options.viewport.addEventListener(
      'scroll',
      () => {
        const v = options.viewport;
        if (options.stickToBottom) this.pinned = v.scrollTop + v.clientHeight >= v.scrollHeight - 8;
        this.schedule();
      },
      { passive: true },
    );
    this.observer = new ResizeObserver((entries) => {
      let changed = false;
      for (const entry of entries) {
        const el = entry.target as HTMLElement;
        const key = el.dataset.vkey;
        if (key === undefined || this.mounted.get(key) !== el) continue;
        changed = this.record(key, el.offsetHeight) || changed;
      }
      // Only reposition here: mounting items inside a ResizeObserver callback would
      // trip the browser's observation loop limit. New items come with the next frame.
      if (changed) {
        this.position();
        this.schedule();
      }
    });
  }

  get length(): number {
    return this.keys.length;
  }

  get mountedCount(): number {
    return this.mounted.size;
  }

  element(key: string): HTMLElement | undefined {
    return this.mounted.get(key);
  }

  /** Replaces the list. `reset` also forgets measured heights and remounts everything. */
  setKeys(keys: string[], reset: boolean): void {
    if (reset) {
      for (const el of this.mounted.values()) this.unmount(el);
      this.mounted.clear();
      this.heights.clear();
      if (this.options.stickToBottom) this.pinned = true;
    }
    this.keys = keys;
    this.offsetsDirty = true;
  }

  /** Re-renders one item if it is on screen; off-screen items render fresh when scrolled to. */
  patch(key: string): void {
    const el = this.mounted.get(key);
    if (!el) return;
    const next = this.options.patch(el, key);
    if (next !== el) {
      next.dataset.vkey = key;
      next.classList.add('rz-vitem');
      next.style.transform = el.style.transform;
      this.observer.unobserve(el);
      el.replaceWith(next);
      this.mounted.set(key, next);
      this.observer.observe(next);
    }
    // Placed again even when patched in place: the patch may have rebuilt what place() marks.
    const index = this.keys.indexOf(key, this.range.start);
    if (index >= 0) this.options.place?.(next, index, this.keys.length);
  }

  /** Re-renders every mounted item (e.g. a mode change they all depend on). */
  remount(): void {
    for (const el of this.mounted.values()) this.unmount(el);
    this.mounted.clear();
    this.layout();
  }

  scrollToIndex(index: number): void {
    this.ensureOffsets();
    const v = this.options.viewport;
    const top = this.offsets[index];
    const bottom = this.offsets[index + 1];
    if (top < v.scrollTop) v.scrollTop = top;
    else if (bottom > v.scrollTop + v.clientHeight) v.scrollTop = bottom - v.clientHeight;
    this.layout();
  }

  scrollToEnd(): void {
    this.pinned = true;
    this.layout();
  }

  private schedule(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.layout();
    });
  }

  /** Mounts what the viewport shows, unmounts the rest, measures and positions. */
  layout(): void {
    const v = this.options.viewport;
    // Mounting, then measuring, can reveal that more items fit; a few passes settle it.
    for (let pass = 0; pass < 3; pass++) {
      this.ensureOffsets();
      const total = this.offsets[this.keys.length];
      this.content.style.height = `${total}px`;
      if (this.pinned) v.scrollTop = total;
      const height = v.clientHeight || 800;
      const start = this.indexAt(v.scrollTop - OVERSCAN_PX);
      const end = Math.min(this.keys.length, this.indexAt(v.scrollTop + height + OVERSCAN_PX) + 1);
      this.range = { start, end };
      const wanted = new Set(this.keys.slice(start, end));
      for (const [key, el] of this.mounted) {
        if (!wanted.has(key)) {
          this.unmount(el);
          this.mounted.delete(key);
        }
      }
      const fresh: [string, HTMLElement][] = [];
      // Inserted in list order: DOM order is reading and Tab order.
      let previous: HTMLElement | undefined;
      for (let i = start; i < end; i++) {
        const key = this.keys[i];
        let el = this.mounted.get(key);
        if (!el) {
          el = this.options.render(key);
          el.dataset.vkey = key;
          el.classList.add('rz-vitem');
          this.mounted.set(key, el);
          if (previous) previous.after(el);
          else this.content.prepend(el);
          this.observer.observe(el);
          fresh.push([key, el]);
        }
        previous = el;
      }
      let changed = false;
      for (const [key, el] of fresh) changed = this.record(key, el.offsetHeight) || changed;
      this.position();
      if (!changed) break;
    }
    if (this.pinned) v.scrollTop = v.scrollHeight;
  }

  private record(key: string, height: number): boolean {
    // Zero means not laid out (a hidden tab): keep the previous height or the estimate.
    if (height <= 0 || this.heights.get(key) === height) return false;
    this.heights.set(key, height);
    this.offsetsDirty = true;
    return true;
  }

  private position(): void {
    this.ensureOffsets();
    const count = this.keys.length;
    this.content.style.height = `${this.offsets[count]}px`;
    for (let i = this.range.start; i < Math.min(this.range.end, count); i++) {
      const el = this.mounted.get(this.keys[i]);
      if (!el) continue;
      el.style.transform = `translateY(${this.offsets[i]}px)`;
      this.options.place?.(el, i, count);
    }
    if (this.pinned) this.options.viewport.scrollTop = this.offsets[count];
  }

  private unmount(el: HTMLElement): void {
    this.observer.unobserve(el);
    el.remove();
  }

  private ensureOffsets(): void {
    if (!this.offsetsDirty && this.offsets.length === this.keys.length + 1) return;
    const offsets = new Float64Array(this.keys.length + 1);
    const estimate = this.options.estimate;
    for (let i = 0; i < this.keys.length; i++)
      offsets[i + 1] = offsets[i] + (this.heights.get(this.keys[i]) ?? estimate);
    this.offsets = offsets;
    this.offsetsDirty = false;
  }

  /** The index of the item at vertical position `y` (clamped). */
  private indexAt(y: number): number {
    const n = this.keys.length;
    if (n === 0 || y <= 0) return 0;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}
