// Text from a model or a file, made safe to show on a terminal or in a notification: a
// terminal obeys control characters, so `touch x #ESC[2K\r[t1] wants to run npm test`
// would erase itself and show a different command. Every control character becomes a
// visible stand-in — C0 as its Unicode "control picture" (ESC → ␛, CR → ␍), DEL as ␡,
// C1 and the bidirectional overrides that reorder text as a `\u…` escape — so what is
// shown is all there is. Only newline (and tab) survive, and only where text may span lines.

const C0_PICTURES = 0x2400;

// C0 except tab and newline, DEL, C1, and the Unicode formatting characters that move or
// hide text: line/paragraph separators, bidi embeddings/overrides/isolates, zero-width marks.
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
const CONTROL_ONE_LINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function picture(char: string): string {
  const code = char.charCodeAt(0);
  if (code < 0x20) return String.fromCharCode(C0_PICTURES + code);
  if (code === 0x7f) return '\u2421';
  return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character visible. `multiline` keeps newlines and tabs (for
 * output blocks and messages); otherwise they become ␊ and ␉ too, so the text is one line.
 */
export function inertText(text: string, options: { multiline?: boolean } = {}): string {
  return text.replace(options.multiline ? CONTROL : CONTROL_ONE_LINE, picture);
}
