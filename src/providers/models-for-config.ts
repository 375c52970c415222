// Resolved settings + an API key → the ChatModel of a role, shared by the CLI and the
// extension so both build exactly the same models from the same settings.
import type { ChatModel } from '../core/model/chat';
import type { Task } from '../core/plan/plan';
import type { Role, RozetConfig } from '../config';
import { createChatModel, type ListingChatModel, type ModelSpec } from './factory';

export type ModelRole = Role;

/** The settings a role's model is built from; a RozetConfig satisfies it. */
export type RoleModelSettings = Pick<
  RozetConfig,
  | `rozet.${ModelRole}.provider`
  | `rozet.${ModelRole}.model`
  | `rozet.${ModelRole}.baseUrl`
  | 'rozet.ollama.numCtx'
  | 'rozet.ollama.keepAlive'
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
  };
}

/** Throws ProviderConfigError (unknown provider, missing or malformed base URL, no model). */
export function createRoleModel(settings: RoleModelSettings, role: ModelRole, apiKey?: string): ListingChatModel {
  return createChatModel(modelSpecForRole(settings, role, apiKey));
}

/**
 * The Coordinator's `resolveModel`: a task's own `model` runs on the worker's provider,
 * else rozet.worker.model. One ChatModel per model id, so a provider's parallel slots
 * are counted per model as the coordinator expects.
 */
export function taskModelResolver(workerSpec: ModelSpec): (task: Task) => ChatModel {
  const cache = new Map<string, ChatModel>();
  return (task) => {
    const model = task.model?.trim() || workerSpec.model;
    let chat = cache.get(model);
    if (!chat) {
      chat = createChatModel({ ...workerSpec, model });
      cache.set(model, chat);
    }
    return chat;
  };
}
