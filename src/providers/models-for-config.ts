// Resolved settings + an API key → the ChatModel of a role, shared by the CLI and the
// extension so both build exactly the same models from the same settings.
// Only types come from the config layer (config already depends on providers at runtime;
// a type import adds no runtime edge the other way).
import type { ChatModel } from '../core/model/chat';
import type { Host } from '../core/model/fix';
import type { Task } from '../core/plan/plan';
import type { Role, RozetConfig } from '../config';
import { createChatModel, type ModelSpec } from './factory';

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
    // '' means the provider's own; createChatModel fills it in.
    baseUrl: baseUrl || undefined,
    apiKey,
    ollama: { numCtx: settings['rozet.ollama.numCtx'], keepAlive: settings['rozet.ollama.keepAlive'] },
  };
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
