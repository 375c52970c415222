// Provider `vscode`: the language models VS Code offers (GitHub Copilot's, and those any
// extension contributes) as a ChatModel. Streaming, tool calls and cancellation go
// through the Language Model API; idle timeouts and retries are the core's, as for every
// provider. The model is looked up again for every request, so one that disappears
// mid-run (its extension disabled) fails that request with the reason instead of hanging.
// Token counts come from the model's own countTokens.
import * as vscode from 'vscode';
import {
  ModelError,
  type ChatMessage,
  type ChatRequest,
  type ChatResponse,
  type ModelCapabilities,
  type ToolCall,
  type TokenUsage,
} from '../core/model/chat';
import { capabilitiesFor, type HostModels, type ListedModel, type ListingChatModel } from '../providers';
import { errorMessage } from '../core/text/error-message';

const JUSTIFICATION = 'Rozet runs the tasks you planned with this model (planner and worker agents).';

export const vscodeModels: HostModels = { create: (model) => new VsCodeLmChatModel(model) };

class VsCodeLmChatModel implements ListingChatModel {
  readonly provider = 'vscode' as const;
  readonly capabilities: ModelCapabilities;

  constructor(readonly model: string) {
    this.capabilities = capabilitiesFor('vscode', model);
  }

  async listModels(): Promise<ListedModel[]> {
    const models = await vscode.lm.selectChatModels();
    return [...new Map(models.map((m) => [m.id, { id: m.id }])).values()];
  }

  async chat(request: ChatRequest): Promise<ChatResponse> {
    const model = await this.resolve();
    this.capabilities.contextTokens = model.maxInputTokens || this.capabilities.contextTokens;
    const cancel = new vscode.CancellationTokenSource();
    const onAbort = () => cancel.cancel();
    if (request.signal?.aborted) cancel.cancel();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const messages = toLmMessages(request.messages);
      const response = await model.sendRequest(
        messages,
        {
          justification: JUSTIFICATION,
          ...(request.tools?.length
            ? {
                tools: request.tools.map((t) => ({
                  name: t.name,
                  description: t.description,
                  inputSchema: t.parameters,
                })),
                toolMode: vscode.LanguageModelChatToolMode.Auto,
              }
            : {}),
        },
        cancel.token,
      );
      let content = '';
      const toolCalls: ToolCall[] = [];
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) {
          content += part.value;
          request.onDelta?.({ text: part.value });
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          toolCalls.push({
            id: part.callId || `call_${toolCalls.length}`,
            name: part.name,
            arguments: JSON.stringify(part.input ?? {}),
          });
          request.onDelta?.({ toolCallFragment: true });
        } else {
          request.onDelta?.({});
        }
      }
      if (request.signal?.aborted) throw new ModelError('cancelled', 'Cancelled.', { provider: 'vscode' });
      return {
        content,
        toolCalls,
        finishReason: toolCalls.length ? 'tool_calls' : 'stop',
        usage: await usage(model, messages, content, toolCalls, cancel.token),
        model: model.id,
      };
    } catch (error) {
      throw this.toModelError(error, request.signal);
    } finally {
      request.signal?.removeEventListener('abort', onAbort);
      cancel.dispose();
    }
  }

  private async resolve(): Promise<vscode.LanguageModelChat> {
    const [model] = await vscode.lm.selectChatModels({ id: this.model });
    if (model) return model;
    throw new ModelError(
      'model_not_found',
      `The VS Code language model "${this.model}" is not available (any more): the extension that provides it may have been disabled or uninstalled, or it stopped offering this model. Pick another with "Rozet: Switch Model".`,
      { provider: 'vscode', fix: { kind: 'model' } },
    );
  }

  private toModelError(error: unknown, signal: AbortSignal | undefined): ModelError {
    if (error instanceof ModelError) return error;
    if (signal?.aborted || error instanceof vscode.CancellationError)
      return new ModelError('cancelled', 'Cancelled.', { provider: 'vscode', cause: error });
    const message = errorMessage(error);
    if (error instanceof vscode.LanguageModelError) {
      if (error.code === vscode.LanguageModelError.NoPermissions.name)
        return new ModelError(
          'auth',
          `VS Code did not let Rozet use the language model "${this.model}" (${message || 'permission refused'}). To allow it, open the Accounts menu (bottom of the activity bar), choose "Manage Language Model Access…", allow Rozet, and run again.`,
          { provider: 'vscode', fix: { kind: 'healthCheck' }, cause: error },
        );
      if (error.code === vscode.LanguageModelError.Blocked.name)
        return new ModelError(
          'rate_limit',
          `VS Code blocked the request to "${this.model}" (${message || 'too many requests or quota used up'}).`,
          { provider: 'vscode', cause: error },
        );
      if (error.code === vscode.LanguageModelError.NotFound.name)
        return new ModelError(
          'model_not_found',
          `The VS Code language model "${this.model}" was not found (${message}).`,
          {
            provider: 'vscode',
            fix: { kind: 'model' },
            cause: error,
          },
        );
    }
    // Connection trouble behind the model is worth a retry; anything else is not.
    const transient = /\b(5\d\d|timed? ?out|network|ECONN\w+|socket)\b/i.test(message);
    return new ModelError(
      transient ? 'server' : 'bad_request',
      `The VS Code language model "${this.model}" failed: ${message}`,
      { provider: 'vscode', cause: error },
    );
  }
}

/**
 * Rozet's conversation in the LM API's terms: it has no system role (the system prompt
 * becomes the first user message), tool calls are parts of an assistant message, and
 * tool results parts of a user message.
 */
function toLmMessages(messages: readonly ChatMessage[]): vscode.LanguageModelChatMessage[] {
  const out: vscode.LanguageModelChatMessage[] = [];
  let results: vscode.LanguageModelToolResultPart[] = [];
  const flush = () => {
    if (results.length) out.push(vscode.LanguageModelChatMessage.User(results));
    results = [];
  };
  for (const message of messages) {
    if (message.role === 'tool') {
      results.push(
        new vscode.LanguageModelToolResultPart(message.toolCallId ?? '', [
          new vscode.LanguageModelTextPart(message.content),
        ]),
      );
      continue;
    }
    flush();
    if (message.role === 'assistant') {
      const parts: Array<vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart> = [];
      if (message.content) parts.push(new vscode.LanguageModelTextPart(message.content));
      for (const call of message.toolCalls ?? [])
        parts.push(new vscode.LanguageModelToolCallPart(call.id, call.name, parseInput(call.arguments)));
      out.push(vscode.LanguageModelChatMessage.Assistant(parts.length ? parts : ''));
    } else {
      out.push(vscode.LanguageModelChatMessage.User(message.content));
    }
  }
  flush();
  return out;
}

function parseInput(text: string): object {
  try {
    const value: unknown = JSON.parse(text || '{}');
    return value && typeof value === 'object' ? value : {};
  } catch {
    return {};
  }
}

async function usage(
  model: vscode.LanguageModelChat,
  messages: readonly vscode.LanguageModelChatMessage[],
  content: string,
  toolCalls: readonly ToolCall[],
  token: vscode.CancellationToken,
): Promise<TokenUsage | undefined> {
  try {
    const prompt = await Promise.all(messages.map((m) => model.countTokens(m, token)));
    const answer = [content, ...toolCalls.map((c) => `${c.name} ${c.arguments}`)].join('\n');
    return {
      promptTokens: prompt.reduce((a, b) => a + b, 0),
      completionTokens: answer ? await model.countTokens(answer, token) : 0,
    };
  } catch {
    // A model that cannot count leaves the usage unknown rather than failing the answer.
    return undefined;
  }
}
