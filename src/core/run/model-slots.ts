// The models of one run's tasks, each resolved once, and the slots they have: whether one
// more task may use a model now, and the capacity changes of pooled models, reported as
// `capacity` events and waking the scheduler (docs/ARCHITECTURE.md, "Concurrency").
import type { SlotGate } from '../model/capacity';
import { describeEndpoint, type EndpointStatus } from '../model/endpoint-status';
import type { ChatModel } from '../model/chat';
import type { Task } from '../plan/plan';

export class ModelSlots {
  private readonly models = new Map<string, ChatModel>();
  private readonly gates = new Map<SlotGate, () => void>();
  private lastCapacity = '';

  constructor(
    private readonly resolve: (task: Task) => ChatModel,
    private readonly onCapacity: (endpoints: EndpointStatus[]) => void,
    private readonly onChange: () => void,
  ) {}

  /** The model of a task, resolved once (may throw); a pooled model's changes are watched while the run goes. */
  modelOf(task: Task): ChatModel {
    let model = this.models.get(task.id);
    if (!model) {
      model = this.resolve(task);
      this.models.set(task.id, model);
    }
    const gate = model.gate;
    if (gate && !this.gates.has(gate)) {
      this.gates.set(
        gate,
        gate.onChange(() => {
          this.report();
          this.onChange();
        }),
      );
      this.report();
    }
    return model;
  }

  /** Why no further task can use this model now, given the models of the running tasks; undefined when one can. */
  busy(model: ChatModel, running: readonly ChatModel[]): string | undefined {
    const gate = model.gate;
    const sameModel = running.filter((m) =>
      gate ? m.gate === gate : !m.gate && modelKey(m) === modelKey(model),
    ).length;
    const capacity = gate ? gate.capacity() : Math.max(1, model.capabilities.parallelSlots);
    if (sameModel < capacity) return undefined;
    const where = gate ? gate.status().map(describeEndpoint).join('; ') : `${model.model} ${sameModel}/${capacity}`;
    return `no free model slot (${where})`;
  }

  /** Stops watching the pools (the run is not going). */
  unwatch(): void {
    for (const unsubscribe of this.gates.values()) unsubscribe();
    this.gates.clear();
  }

  private report(): void {
    const endpoints = [...this.gates.keys()].flatMap((gate) => gate.status());
    const key = JSON.stringify(endpoints);
    if (key === this.lastCapacity) return;
    this.lastCapacity = key;
    this.onCapacity(endpoints);
  }
}

function modelKey(model: ChatModel): string {
  return `${model.provider}:${model.model}`;
}
