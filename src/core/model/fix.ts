// What a user can do about a failure, as data. Each host words it in its own terms — the
// CLI names flags and environment variables, VS Code names its commands — and may offer it
// as a button; the core only says which fix applies.
import type { ProviderName } from './chat';

export type Fix =
  /** Set (or replace) the provider's API key. */
  | { kind: 'apiKey'; provider: ProviderName }
  /** Pick another model for a role (the worker's when no role is known). */
  | { kind: 'model'; role?: 'orchestrator' | 'worker' }
  /** Change one setting, e.g. rozet.worker.baseUrl. */
  | { kind: 'setting'; key: `rozet.${string}` }
  /** Run the health check for the details. */
  | { kind: 'healthCheck' };

/** Where a message will be read, which decides how a fix is worded. */
export type Host = 'cli' | 'vscode';
