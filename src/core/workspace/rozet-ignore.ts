// `.rozetignore` (gitignore syntax) names paths Rozet's workers may not touch at all:
// not listed, not read, not written. Both workspace adapters apply the same rule.
import ignore from 'ignore';
import { ToolError } from './workspace';

export const ROZETIGNORE_FILE = '.rozetignore';

export type ForbiddenCheck = (relative: string) => void;

/** A check that throws the ToolError workers see for a path .rozetignore covers. */
export function rozetIgnoreCheck(text: string | undefined): ForbiddenCheck {
  if (!text?.trim()) return () => undefined;
  const rules = ignore().add(text);
  return (relative) => {
    if (relative && rules.ignores(relative))
      throw new ToolError(`"${relative}" is listed in ${ROZETIGNORE_FILE}: Rozet's workers may not read or change it.`);
  };
}
