// The webview's HTML shell. Pure (no `vscode` import) so the browser tests serve exactly
// the page and Content-Security-Policy the extension ships.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlOptions {
  /** `webview.asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `webview.cspSource`: the origin local resources are served from. */
  cspSource: string;
  /** A fresh `makeNonce()` per render. */
  nonce: string;
  title: string;
}

/** 128 random bits, base64: unguessable by anything the webview renders. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

// Everything goes inside double-quoted attributes or text, so `'` (all over a CSP) stays as is.
const escapeHtml = (value: string): string =>
  value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

/**
 * Styles are adopted as constructed stylesheets by the bundle (and by
 * @vscode-elements' Lit components), which CSP does not gate, so style-src needs no
 * 'unsafe-inline'; the nonce is there for a <style> fallback. No connect-src: the
 * webview talks only through postMessage, so no request can leave it.
 */
export function renderWebviewHtml({ scriptUri, cspSource, nonce, title }: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=]+$/.test(nonce)) throw new Error('renderWebviewHtml: nonce must be base64');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
</head>
<body>
<div id="root" class="rz-root"><p class="rz-loading" role="status">Loading Rozet…</p></div>
<script nonce="${nonce}" src="${escapeHtml(scriptUri)}"></script>
</body>
</html>
`;
}
