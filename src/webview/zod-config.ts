// Imported first by main.ts, before any schema is built: zod probes `new Function` to
// compile fast parsers, and under the webview's CSP (no unsafe-eval) that probe is a
// CSP violation on every load. Interpreted parsing is fast enough for our messages.
import { z } from 'zod';

z.config({ jitless: true });
