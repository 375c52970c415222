// Model text → inert DOM. Models repeat whatever they read (a cloned repo, a web page),
// so their markdown is hostile input: raw HTML is shown as text, DOMPurify strips what
// is left, links must be http(s) (no javascript:, command: or vscode: URIs), and
// images are replaced by their alt text — a remote image would leak data the moment it
// loaded, and the CSP would only block it after the request was attempted.
import { Marked } from 'marked';
import DOMPurify from 'dompurify';

/** Above this, a message is shown as plain text: parsing a megabyte of markdown per update would freeze the panel. */
export const MARKDOWN_LIMIT = 100_000;

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

const purify = DOMPurify(window);
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.nodeName === 'A') {
    const href = node.getAttribute('href') ?? '';
    if (/^https?:\/\//i.test(href)) {
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('title', href);
    } else {
      node.removeAttribute('href');
    }
    node.removeAttribute('target');
  }
  if (node.nodeName === 'IMG') {
    // Still inside DOMPurify's inert document here, where nothing loads.
    node.removeAttribute('src');
    node.removeAttribute('srcset');
  }
});

const PURIFY_CONFIG = {
  RETURN_DOM_FRAGMENT: true as const,
  ALLOWED_URI_REGEXP: /^https?:/i,
  FORBID_TAGS: [
    'style',
    'form',
    'input',
    'button',
    'textarea',
    'select',
    'option',
    'iframe',
    'frame',
    'object',
    'embed',
    'svg',
    'math',
    'video',
    'audio',
    'source',
    'picture',
    'link',
    'meta',
    'base',
    'template',
  ],
  FORBID_ATTR: ['style', 'srcset', 'id', 'name', 'action', 'formaction', 'background', 'poster', 'tabindex'],
};

// Rendered fragments stay in DOMPurify's inert document and are cloned into the page,
// so scrolling a virtualised list back over a message does not parse it again.
const cache = new Map<string, { text: string; fragment: DocumentFragment }>();
const CACHE_SIZE = 400;

function build(text: string): DocumentFragment {
  const html = marked.parse(text) as string;
  const fragment = purify.sanitize(html, PURIFY_CONFIG);
  for (const img of Array.from(fragment.querySelectorAll('img'))) {
    const placeholder = img.ownerDocument.createElement('span');
    placeholder.className = 'rz-img';
    placeholder.title = 'Images are not loaded in Rozet';
    placeholder.textContent = `[image${img.getAttribute('alt') ? `: ${img.getAttribute('alt')}` : ''}]`;
    img.replaceWith(placeholder);
  }
  for (const pre of Array.from(fragment.querySelectorAll('pre'))) {
    const doc = pre.ownerDocument;
    const wrapper = doc.createElement('div');
    wrapper.className = 'rz-code';
    const copy = doc.createElement('button');
    copy.type = 'button';
    copy.className = 'rz-copy';
    copy.dataset.action = 'copy-code';
    copy.textContent = 'Copy';
    copy.setAttribute('aria-label', 'Copy code');
    // Above the block, not over it: the button's focus ring needs the panel's background.
    const bar = doc.createElement('div');
    bar.className = 'rz-code-bar';
    bar.append(copy);
    // A block that scrolls sideways must be reachable by keyboard to be scrolled.
    pre.setAttribute('tabindex', '0');
    pre.replaceWith(wrapper);
    wrapper.append(bar, pre);
  }
  return fragment;
}

/**
 * marked and DOMPurify pay for regex compilation and their parser document on first
 * use (~20 ms); main.ts calls this while waiting for the host's snapshot so the first
 * real render does not.
 */
export function warmUpMarkdown(): void {
  build('**warm** `up` [x](https://example.com)\n\n```\ncode\n```');
}

/** Safe DOM for `text` as markdown (or as plain text when too large). `key` identifies the message for caching. */
export function renderMarkdown(key: string, text: string): DocumentFragment {
  if (text.length > MARKDOWN_LIMIT) {
    const fragment = document.createDocumentFragment();
    const note = document.createElement('p');
    note.className = 'rz-note';
    note.textContent = `Large message (${(text.length / 1_048_576).toFixed(1)} MB) shown as plain text.`;
    const pre = document.createElement('pre');
    pre.className = 'rz-plain';
    pre.tabIndex = 0;
    pre.textContent = text;
    fragment.append(note, pre);
    return fragment;
  }
  let entry = cache.get(key);
  if (!entry || entry.text !== text) {
    entry = { text, fragment: build(text) };
    cache.delete(key);
    cache.set(key, entry);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return document.importNode(entry.fragment, true);
}
