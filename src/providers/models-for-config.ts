// Resolved settings + an API key → the ChatModel of a role, shared by the CLI and the
// extension so both build exactly the same models from the same settings.
import type { ChatModel } from '../core/model/chat';
import type { Host } from '../core/model/fix';
import type { Task } from '../core/plan/plan';
import type { Role, RozetConfig } from '../config';
import type { ModelSpec } from './factory';
import type { ModelPools } from './pools';

export type ModelRole = Role;

/** The settings a role's model is built from; a RozetConfig satisfies it. */
export type RoleModelSettings = Pick<
  RozetConfig,
  | `rozet.${ModelRole}.provider`
  | `rozet.${ModelRole}.model`
  | `rozet.${ModelRole}.baseUrl`
  | 'rozet.ollama.numCtx'
  | 'rozet.ollama.keepAlive'
  | 'rozet.worker.parallelRequests'
  | 'rozet.worker.endpoints'
>;

/** `host` words the fixes in the model's error messages for where they are read. */
export function modelSpecForRole(
  settings: RoleModelSettings,
  role: ModelRole,
  apiKey: string | undefined,
  host: Host,
): ModelSpec {
  const baseUrl = settings[`rozet.${role}.baseUrl`];
  return {
    host,
    role,
    provider: settings[`rozet.${role}.provider`],
    model: settings[`rozet.${role}.model`],
    // '' means the provider's own; the factory fills it in.
    baseUrl: baseUrl || undefined,
    apiKey,
    ollama: { numCtx: settings['rozet.ollama.numCtx'], keepAlive: settings['rozet.ollama.keepAlive'] },
    // Endpoints get no key here: the host decides which of them may receive one.
    ...(role === 'worker'
      ? {
          parallelRequests: settings['rozet.worker.parallelRequests'],
          endpoints: settings['rozet.worker.endpoints'].map((url) => ({ baseUrl: url })),
        }
      : {}),
  };
}

/**
 * The Coordinator's `resolveModel`: a task's own `model` runs on the worker's provider and
 * endpoints, else rozet.worker.model. Each model is a pooled one from `pools`, so slots
 * found on a server are counted per model and remembered across runs.
 */
export function taskModelResolver(workerSpec: ModelSpec, pools: ModelPools): (task: Task) => ChatModel {
  return (task) => pools.get({ ...workerSpec, model: task.model?.trim() || workerSpec.model });
}
