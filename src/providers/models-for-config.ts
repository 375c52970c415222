// Resolved settings + an API key → the ChatModel of a role, shared by the CLI and the
// extension so both build exactly the same models from the same settings.
import type { ChatModel } from '../core/model/chat';
import type { Task } from '../core/plan/plan';
import type { Role, RozetConfig } from '../config';
import { createChatModel, type ListingChatModel, type ModelSpec } from './factory';
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

export function modelSpecForRole(settings: RoleModelSettings, role: ModelRole, apiKey?: string): ModelSpec {
  const baseUrl = settings[`rozet.${role}.baseUrl`];
  return {
    provider: settings[`rozet.${role}.provider`],
    model: settings[`rozet.${role}.model`],
    // '' means the provider's own; createChatModel fills it in.
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

/** Throws ProviderConfigError (unknown provider, missing or malformed base URL, no model). */
export function createRoleModel(settings: RoleModelSettings, role: ModelRole, apiKey?: string): ListingChatModel {
  return createChatModel(modelSpecForRole(settings, role, apiKey));
}

/**
 * The Coordinator's `resolveModel`: a task's own `model` runs on the worker's provider and
 * endpoints, else rozet.worker.model. Each model is a pooled one from `pools`, so slots
 * found on a server are counted per model and remembered across runs.
 */
export function taskModelResolver(workerSpec: ModelSpec, pools: ModelPools): (task: Task) => ChatModel {
  return (task) => pools.get({ ...workerSpec, model: task.model?.trim() || workerSpec.model });
}
