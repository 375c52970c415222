// A test extension for the host suite: scripted language models contributed through the
// Language Model chat provider API (two vendors, one of which a test can make disappear,
// as if its extension were disabled; one model that refuses as a user declining access
// would) and one language-model tool. Tests drive it through
// the API activate() returns: the plan the "planner" answers, each model's steps, and
// what the models were sent and the tool was called with.
import * as vscode from 'vscode';

export type Step = { text: string } | { toolCall: { name: string; input: object } } | { waitForCancel: true };

interface ModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  maxInputTokens: number;
  maxOutputTokens: number;
  capabilities: { toolCalling: boolean };
}

interface RequestMessage {
  role: number;
  content: ReadonlyArray<unknown>;
}

/** The provider API (VS Code 1.104+), typed here: Rozet builds against older @types/vscode. */
interface ChatProvider {
  onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(): ModelInfo[];
  provideLanguageModelChatResponse(
    model: ModelInfo,
    messages: readonly RequestMessage[],
    options: { tools?: ReadonlyArray<{ name: string }> },
    progress: vscode.Progress<unknown>,
    token: vscode.CancellationToken,
  ): Promise<void>;
  provideTokenCount(model: ModelInfo, text: string | RequestMessage): Promise<number>;
}
type RegisterProvider = (vendor: string, provider: ChatProvider) => vscode.Disposable;

export interface RecordedRequest {
  model: string;
  tools: string[];
  /** Every text and tool-result part, flattened. */
  text: string;
}

export interface TestLmApi {
  setPlan(plan: unknown): void;
  setSteps(model: string, steps: Step[]): void;
  /** The next call of rozet-test_lookup first unregisters the "rozet-test-flaky" vendor. */
  removeFlakyOnNextLookup(): void;
  readonly requests: RecordedRequest[];
  readonly lookups: unknown[];
  /** Requests whose cancellation token fired while a step waited for it. */
  readonly cancelled: number;
  /** Total of every token count the models gave (Rozet's usage should come from these). */
  readonly countedTokens: number;
}

function info(id: string): ModelInfo {
  return {
    id,
    name: id,
    family: 'rozet-test',
    version: '1',
    maxInputTokens: 100_000,
    maxOutputTokens: 8_000,
    capabilities: { toolCalling: true },
  };
}

function flatten(message: RequestMessage): string {
  return message.content
    .map((part) => {
      if (part instanceof vscode.LanguageModelTextPart) return part.value;
      if (part instanceof vscode.LanguageModelToolResultPart)
        return part.content.map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : '')).join('');
      if (part instanceof vscode.LanguageModelToolCallPart) return `call ${part.name}`;
      return '';
    })
    .join('');
}

export function activate(context: vscode.ExtensionContext): TestLmApi {
  let plan: unknown = { tasks: [] };
  const steps = new Map<string, Step[]>();
  const requests: RecordedRequest[] = [];
  const lookups: unknown[] = [];
  let counted = 0;
  let cancelled = 0;
  let removeFlaky = false;

  const provider = (ids: string[]): ChatProvider => ({
    provideLanguageModelChatInformation: () => ids.map(info),
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const tools = (options.tools ?? []).map((t) => t.name);
      requests.push({ model: model.id, tools, text: messages.map(flatten).join('\n') });
      if (model.id === 'rozet-test-refusing') throw vscode.LanguageModelError.NoPermissions('Access was not granted.');
      if (tools.length === 0) {
        progress.report(new vscode.LanguageModelTextPart(JSON.stringify(plan)));
        return;
      }
      // Rozet's health check asks for one call of its test tool: a tool-calling model makes it.
      if (tools.length === 1 && tools[0] === 'report_health') {
        progress.report(new vscode.LanguageModelToolCallPart('call_health', 'report_health', { ok: true }));
        return;
      }
      // Step N answers the request that already holds N assistant turns.
      const turn = messages.filter((m) => m.role === vscode.LanguageModelChatMessageRole.Assistant).length;
      const script = steps.get(model.id) ?? [{ text: 'No steps scripted.' }];
      const step = script[Math.min(turn, script.length - 1)];
      if ('waitForCancel' in step) {
        progress.report(new vscode.LanguageModelTextPart('Thinking'));
        await new Promise<void>((resolve) => token.onCancellationRequested(() => resolve()));
        cancelled++;
      } else if ('text' in step) {
        for (const piece of step.text.match(/.{1,8}/gs) ?? []) progress.report(new vscode.LanguageModelTextPart(piece));
      } else {
        progress.report(new vscode.LanguageModelToolCallPart(`call_${turn}`, step.toolCall.name, step.toolCall.input));
      }
    },
    async provideTokenCount(_model, text) {
      const n = Math.ceil((typeof text === 'string' ? text : flatten(text)).length / 4);
      counted += n;
      return n;
    },
  });

  const register = (vscode.lm as unknown as { registerLanguageModelChatProvider: RegisterProvider })
    .registerLanguageModelChatProvider;
  const flaky = register('rozet-test-flaky', provider(['rozet-test-flaky']));
  context.subscriptions.push(
    register('rozet-test', provider(['rozet-test-planner', 'rozet-test-worker', 'rozet-test-refusing'])),
    flaky,
    vscode.lm.registerTool<{ id: number }>('rozet-test_lookup', {
      invoke: async (options) => {
        lookups.push(options.input);
        if (removeFlaky) {
          removeFlaky = false;
          flaky.dispose();
        }
        return new vscode.LanguageModelToolResult([
          new vscode.LanguageModelTextPart(
            `Issue #${options.input.id}: the retry delay doubles (from the VS Code tool).`,
          ),
        ]);
      },
    }),
  );

  return {
    setPlan: (value) => {
      plan = value;
    },
    setSteps: (model, list) => steps.set(model, list),
    removeFlakyOnNextLookup: () => {
      removeFlaky = true;
    },
    requests,
    lookups,
    get countedTokens() {
      return counted;
    },
    get cancelled() {
      return cancelled;
    },
  };
}
