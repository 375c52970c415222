// Tokens and money: adding usages up, pricing them (the provider's reported cost wins,
// else rozet.pricing), and the budgets a run keeps to (rozet.budget.*). One rule each,
// shared by the coordinator, the CLI, the sidebar and the saved run state.
import type { TokenUsage } from '../model/chat';

/** US dollars per million tokens, as providers list their prices. */
export interface ModelPrice {
  input: number;
  output: number;
}

/** rozet.pricing: model id → price. */
export type Pricing = Readonly<Record<string, ModelPrice>>;

export interface Budgets {
  /** Tokens one task may use per attempt before it stops between steps; 0 = no budget. */
  tokensPerTask: number;
  /** Tokens the whole run may use before it starts no more tasks; 0 = no budget. */
  tokensPerRun: number;
}

export const NO_BUDGETS: Budgets = { tokensPerTask: 0, tokensPerRun: 0 };

export function emptyUsage(): TokenUsage {
  return { promptTokens: 0, completionTokens: 0 };
}

/** Prompt and completion tokens: what a budget counts. */
export function totalTokens(usage: TokenUsage): number {
  return usage.promptTokens + usage.completionTokens;
}

/** a + b; the cost is known only when both are (an unknown part makes the sum unknown). */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  const sum: TokenUsage = {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
  const cost = knownSum(a, b);
  if (cost !== undefined) sum.cost = cost;
  return sum;
}

function knownSum(a: TokenUsage, b: TokenUsage): number | undefined {
  const aEmpty = totalTokens(a) === 0 && a.cost === undefined;
  const bEmpty = totalTokens(b) === 0 && b.cost === undefined;
  if (aEmpty) return b.cost;
  if (bEmpty) return a.cost;
  return a.cost !== undefined && b.cost !== undefined ? a.cost + b.cost : undefined;
}

/** The usage with its cost: as the provider reported it, else from the model's configured price. */
export function priced(usage: TokenUsage, model: string | undefined, pricing: Pricing | undefined): TokenUsage {
  if (usage.cost !== undefined || !model || !pricing) return usage;
  const price = Object.prototype.hasOwnProperty.call(pricing, model) ? pricing[model] : undefined;
  if (!price) return usage;
  return {
    ...usage,
    cost: (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000,
  };
}

/** "12,345 tokens · $0.0123" — tokens always, the cost when known. */
export function describeUsage(usage: TokenUsage): string {
  const tokens = `${totalTokens(usage).toLocaleString('en-US')} tokens`;
  return usage.cost === undefined ? tokens : `${tokens} · ${formatCost(usage.cost)}`;
}

export function formatCost(dollars: number): string {
  if (dollars === 0) return '$0';
  // Small sums keep two significant digits: a run of cheap calls is not "$0.00".
  if (dollars < 1) return `$${Number(dollars.toPrecision(2))}`;
  return `$${dollars.toFixed(2)}`;
}
