// Contrast of what axe does not measure: focus indicators and status icons, which WCAG
// 2.1 (1.4.11) holds to 3:1 against what is next to them. Measured in the page from the
// computed colours, blending translucent backgrounds down to the page's own.
import type { Page } from 'playwright-core';

// A string, not a function: tsx compiles test code with keepNames, whose helpers do not
// exist in the page.
const HELPERS = `(() => {
  if (window.__contrast) return;
  const parse = (text) => {
    const m = /rgba?\\(([^)]+)\\)/.exec(text);
    if (!m) return { r: 0, g: 0, b: 0, a: 0 };
    const [r, g, b, a] = m[1].split(/[\\s,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const parentOf = (el) => el.parentElement || (el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : null);
  const background = (el) => {
    const chain = [];
    for (let e = el; e; e = parentOf(e)) chain.push(parse(getComputedStyle(e).backgroundColor));
    return chain.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
  };
  const focusColour = () => {
    const probe = document.createElement('span');
    probe.style.color = 'var(--vscode-focusBorder)';
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  };
  // The focused control's indicator: its own outline, or the toolkit's inside its shadow
  // root (a button's outline, a picker's or text box's focus-coloured border), measured
  // against the background it is drawn on.
  const indicator = (el) => {
    const focus = focusColour();
    const shadow = el.shadowRoot ? [...el.shadowRoot.querySelectorAll('*')] : [];
    const parts = [el, ...shadow.filter((part) => part.getClientRects().length > 0)];
    for (const part of parts) {
      const s = getComputedStyle(part);
      if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && parse(s.outlineColor).a > 0) {
        const bg = parseFloat(s.outlineOffset) >= 0 ? background(parentOf(part) || part) : background(part);
        return { ratio: ratio(over(parse(s.outlineColor), bg), bg), kind: 'outline' };
      }
    }
    for (const part of parts) {
      const s = getComputedStyle(part);
      if (part !== el && s.borderTopStyle !== 'none' && s.borderTopColor === focus) {
        const bg = background(parentOf(el) || el);
        return { ratio: ratio(over(parse(s.borderTopColor), bg), bg), kind: 'border' };
      }
    }
    return { ratio: 0, kind: 'none' };
  };
  const text = (el) => ratio(over(parse(getComputedStyle(el).color), background(el)), background(el));
  window.__contrast = { indicator, text };
})()`;

export interface Indicator {
  ratio: number;
  kind: 'outline' | 'border' | 'none';
}

/** The focus indicator of the focused element and its contrast with what it is drawn on. */
export async function focusIndicator(page: Page): Promise<Indicator> {
  await page.evaluate(HELPERS);
  return page.evaluate(() => {
    const api = (window as unknown as { __contrast: { indicator(el: Element): Indicator } }).__contrast;
    return document.activeElement ? api.indicator(document.activeElement) : { ratio: 0, kind: 'none' as const };
  });
}

/** The contrast of each element's colour with its background, by selector. */
export async function colourContrast(page: Page, selector: string): Promise<number[]> {
  await page.evaluate(HELPERS);
  return page.$$eval(selector, (els) => {
    const api = (window as unknown as { __contrast: { text(el: Element): number } }).__contrast;
    return els.map((el) => api.text(el));
  });
}
