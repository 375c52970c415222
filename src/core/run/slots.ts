// Whether a model has room for one more task. A pooled model (one with a gate) has the room
// its endpoints have, found or configured; any other model has its provider's parallelSlots,
// counted over the tasks running on the same provider and model.
import { describeEndpoint } from '../model/endpoint-status';
import type { ChatModel } from '../model/chat';

/** Why no further task can use `model` while `running` run, or undefined when one can. */
export function slotsBusy(model: ChatModel, running: readonly ChatModel[]): string | undefined {
  const gate = model.gate;
  const sameModel = running.filter((other) =>
    gate ? other.gate === gate : !other.gate && modelKey(other) === modelKey(model),
  ).length;
  const capacity = gate ? gate.capacity() : Math.max(1, model.capabilities.parallelSlots);
  if (sameModel < capacity) return undefined;
  const where = gate ? gate.status().map(describeEndpoint).join('; ') : `${model.model} ${sameModel}/${capacity}`;
  return `no free model slot (${where})`;
}

function modelKey(model: ChatModel): string {
  return `${model.provider}:${model.model}`;
}
