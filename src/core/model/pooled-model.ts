// A ChatModel over a ModelPool: what a worker gets when its model is served by one or
// more endpoints with limited slots. callModel sees `gate` and takes the slot itself (so
// the wait for a slot is not timed); a direct `chat` takes one for the single request.
import type { ChatModel, ChatRequest, ChatResponse, ModelCapabilities, ProviderName } from './chat';
import type { ModelPool } from './capacity';

export class PooledChatModel implements ChatModel {
  readonly provider: ProviderName;
  readonly model: string;
  readonly capabilities: ModelCapabilities;

  constructor(
    readonly gate: ModelPool,
    first: ChatModel,
  ) {
    this.provider = first.provider;
    this.model = first.model;
    this.capabilities = first.capabilities;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const lease = await this.gate.acquire({ signal: request.signal });
    try {
      const response = await lease.model.chat({
        ...request,
        onDelta: (delta) => {
          if (delta.text || delta.reasoning || delta.toolCallFragment) lease.token();
          request.onDelta?.(delta);
        },
      });
      lease.release();
      return response;
    } catch (error) {
      lease.release(error);
      throw error;
    }
  }
}
