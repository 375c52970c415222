// A ChatModel for core unit tests: each call is answered by a script step. It streams
// the answer in fragments (so idle timers and deltas are exercised), waits the step's
// delay between fragments, and honours the AbortSignal like a real provider.
import { sleep } from '../../src/core/model/model-call';
import {
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
  type ModelCapabilities,
  type ToolCall,
} from '../../src/core/model/chat';

export interface ScriptStep {
  content?: string;
  toolCalls?: Array<
    Omit<Partial<ToolCall>, 'arguments'> & { name: string; arguments: string | Record<string, unknown> }
  >;
  finishReason?: ChatResponse['finishReason'];
  /** Milliseconds before the first fragment. */
  delayMs?: number;
  /** Split content into this many fragments, with fragmentDelayMs between them. */
  fragments?: number;
  fragmentDelayMs?: number;
  /** Throw this instead of answering (after delayMs). */
  error?: Error;
  usage?: { promptTokens: number; completionTokens: number };
}

export type Script = ScriptStep[] | ((request: ChatRequest, call: number) => ScriptStep | Promise<ScriptStep>);

export class ScriptedChatModel implements ChatModel {
  readonly provider = 'openaiCompatible' as const;
  readonly capabilities: ModelCapabilities;
  readonly requests: ChatRequest[] = [];
  private calls = 0;

  constructor(
    private readonly script: Script,
    readonly model = 'scripted',
    capabilities: Partial<ModelCapabilities> = {},
  ) {
    this.capabilities = {
      nativeTools: true,
      streaming: true,
      parallelSlots: 64,
      contextTokens: 32768,
      ...capabilities,
    };
  }

  get callCount(): number {
    return this.calls;
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const call = this.calls++;
    this.requests.push({ ...request, messages: request.messages.map((m) => ({ ...m })) });
    const step = Array.isArray(this.script)
      ? this.script[Math.min(call, this.script.length - 1)]
      : await this.script(request, call);
    if (!step) throw new Error(`script has no step for call ${call}`);
    await sleep(step.delayMs ?? 0, request.signal);
    if (step.error) throw step.error;
    const content = step.content ?? '';
    const parts = splitInto(content, step.fragments ?? 1);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) await sleep(step.fragmentDelayMs ?? 0, request.signal);
      if (parts[i]) request.onDelta?.({ text: parts[i] });
    }
    const toolCalls: ToolCall[] = (step.toolCalls ?? []).map((c, i) => ({
      id: c.id ?? `call_${call}_${i}`,
      name: c.name,
      arguments: typeof c.arguments === 'string' ? c.arguments : JSON.stringify(c.arguments),
    }));
    return {
      content,
      toolCalls,
      finishReason: step.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      usage: step.usage ?? { promptTokens: 10, completionTokens: Math.max(1, Math.ceil(content.length / 4)) },
      model: this.model,
    };
  }
}

function splitInto(text: string, n: number): string[] {
  if (n <= 1 || text.length === 0) return [text];
  const size = Math.ceil(text.length / n);
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
