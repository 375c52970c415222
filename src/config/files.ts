// Reads the workspace's .rozet.yaml and .env from disk for the CLI. (The extension reads
// them through workspace.fs, which also covers virtual workspaces, and passes the text.)
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DOTENV_FILE } from './dotenv-source';
import type { ConfigProblem } from './problems';
import { YAML_FILE } from './yaml-source';
import { errorMessage } from '../core/text/error-message';

/** Configuration files are a few hundred bytes; anything larger is a mistake or an attack, and is not read. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export interface WorkspaceConfigFiles {
  yamlText?: string;
  dotenvText?: string;
  problems: ConfigProblem[];
}

export async function readWorkspaceConfigFiles(workspaceRoot: string): Promise<WorkspaceConfigFiles> {
  const read = async (
    name: typeof YAML_FILE | typeof DOTENV_FILE,
  ): Promise<{ text?: string; problem?: ConfigProblem }> => {
    const path = join(workspaceRoot, name);
    try {
      const info = await stat(path);
      if (!info.isFile()) throw new Error('not a regular file');
      if (info.size > MAX_CONFIG_FILE_BYTES) throw new Error(`larger than ${MAX_CONFIG_FILE_BYTES} bytes`);
      return { text: await readFile(path, 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return {
        problem: {
          severity: 'error',
          source: name,
          message: `${name} could not be read (${errorMessage(error)}).`,
          fallback: 'It was ignored.',
        },
      };
    }
  };
  // Read together, reported in a fixed order (not whichever read finished first).
  const [yaml, dotenv] = await Promise.all([read(YAML_FILE), read(DOTENV_FILE)]);
  const problems = [yaml.problem, dotenv.problem].filter((p): p is ConfigProblem => p !== undefined);
  return { yamlText: yaml.text, dotenvText: dotenv.text, problems };
}
