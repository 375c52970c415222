// Workspace `.env`: a fallback for API keys only.
//
// Decision: ROZET_* lines in .env are NOT applied as settings. A .env file travels with a
// cloned repository just like .rozet.yaml does, and honouring ROZET_BASH_APPROVAL=auto
// from it would let the repository raise its own powers through the back
// door that .rozet.yaml closes. Settings belong in .rozet.yaml or the user's settings;
// the user is told when a .env line was ignored.
import { parse } from 'dotenv';
import type { ConfigProblem } from './problems';

export const DOTENV_FILE = '.env';

/** KEY=value pairs; lines that are not assignments are skipped by dotenv, never fatal. */
export function parseDotenv(text: string): Record<string, string> {
  return parse(text);
}

export function dotenvProblems(vars: Record<string, string>): ConfigProblem[] {
  return Object.keys(vars)
    .filter((name) => name.startsWith('ROZET_'))
    .map((name) => ({
      severity: 'warning' as const,
      key: name,
      source: DOTENV_FILE,
      message:
        `${name} in ${DOTENV_FILE} was ignored: ${DOTENV_FILE} only supplies API keys. ` +
        `Put settings in .rozet.yaml, your user settings or the real environment.`,
    }));
}
