// Keys must never reach logs, the webview, history or error messages. Every
// text that leaves the process boundary for display or storage passes through here:
// the keys Rozet knows are replaced wherever they occur, and key-shaped tokens of the
// usual providers are masked even when Rozet never saw them (a model echoing a key it
// read from a file, a server quoting the Authorization header back).
const KEY_SHAPES: RegExp[] = [
  /\bsk-(?:or-v1-|ant-(?:api\d+-)?|proj-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, OpenRouter, Anthropic
  /\bAIza[0-9A-Za-z_-]{30,}/g, // Google
  /\b(Bearer)\s+[A-Za-z0-9._~+/-]{16,}=*/gi,
];

export class Redactor {
  private readonly known = new Set<string>();

  /** Remember a key so every later text is scrubbed of it (short values are ignored). */
  addSecret(value: string | undefined): void {
    const v = value?.trim();
    if (v && v.length >= 8) this.known.add(v);
  }

  redact(text: string): string {
    let out = text;
    for (const key of this.known) out = out.split(key).join('[redacted]');
    for (const shape of KEY_SHAPES)
      out = out.replace(shape, (_match, bearer?: string) =>
        typeof bearer === 'string' ? `${bearer} [redacted]` : '[redacted]',
      );
    return out;
  }

  /** Deep-redacts strings in JSON-like values (event payloads, history records). */
  redactValue<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v)) as T;
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v);
      return out as T;
    }
    return value;
  }
}
