// Where a value came from, and what went wrong while reading one: shared by every source.

/** Where an effective value came from, as shown to users. */
export type ValueSource = 'user setting' | 'workspace setting' | 'cli flag' | 'environment' | '.rozet.yaml' | 'default';

/** 1-based, as editors count. */
export interface FilePosition {
  line: number;
  column: number;
}

export interface ConfigProblem {
  /** error: something the user set could not be used; warning: ignored on purpose or suspicious. */
  severity: 'error' | 'warning';
  /** Setting key (or, for unknown keys, the key as written); absent for file-level problems. */
  key?: string;
  source: Exclude<ValueSource, 'default'> | '.env';
  /** A complete sentence that names what to do next. Never contains a secret. */
  message: string;
  /** 1-based position in the file (.rozet.yaml), for syntax errors and invalid values. */
  line?: number;
  column?: number;
  /**
   * What is used instead ("Using the default 2 instead."), for hosts that carry on with it;
   * the CLI stops at an error instead, so it leaves this out.
   */
  fallback?: string;
}
