// What read_file shows of a file, the same in the CLI's and VS Code's workspaces: the size
// a read is cut at and the sniff that refuses binary files.
//
// 256 KiB, because a worker only ever shows the model the first few thousand tokens of a
// tool result (worker.ts cuts it), so a larger cut buys the model nothing; what the limit
// does decide is how large a file replace_in_file will edit in place (it refuses a cut
// read) and how much one read holds in memory while several workers read at once.
// 256 KiB is several thousand lines of code; larger files are generated or data, and a
// worker that must change one can still rewrite it with write_file or use a command.
export const MAX_READ_BYTES = 256 * 1024;

/** A NUL byte among the first 8000 bytes means binary: git's test (buffer_is_binary), so both agree on a file. */
const BINARY_SNIFF_BYTES = 8000;

export type ByteOrderMark = 'utf8bom' | 'utf16le' | 'utf16be';

export function byteOrderMark(bytes: Uint8Array): ByteOrderMark | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf8bom';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  return undefined;
}

/** UTF-16 text is full of NUL bytes, so a UTF-16 byte-order mark says text whatever follows. */
export function isBinary(bytes: Uint8Array): boolean {
  const bom = byteOrderMark(bytes);
  if (bom === 'utf16le' || bom === 'utf16be') return false;
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

/**
 * The start of `text` that fits in `maxBytes` of UTF-8, never cutting a character in two:
 * for a host that gets a file as decoded text (VS Code's documents) rather than bytes.
 */
export function headOfText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // Most text is far below the limit in characters already; only a close call is encoded.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(maxBytes));
  return read >= text.length ? { text, truncated: false } : { text: text.slice(0, read), truncated: true };
}
