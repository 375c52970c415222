// Every Rozet setting as one zod schema. package.json `contributes.configuration` is the
// public contract; test/unit/config-schema.test.ts checks that this file and the manifest
// agree on keys, types, defaults, enums and ranges, so they cannot drift apart.
// Where this schema is stricter than the manifest can say (whole numbers, URL shape,
// duration syntax, non-empty allowlist entries), that strictness is deliberate.
import { z } from 'zod';
import { PROVIDER_NAMES, type ProviderName } from '../core/model/chat';
import { baseUrlIssue, normaliseBaseUrl } from './base-url';

const provider = (fallback: ProviderName) => z.enum(PROVIDER_NAMES).default(fallback);

const modelId = (fallback: string) =>
  z
    .string()
    .trim()
    .refine((v) => v.length > 0, 'a model id cannot be empty')
    .default(fallback);

// Empty means "the provider's own base URL" (see base-url.ts), so '' is valid.
const baseUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const issue = baseUrlIssue(value);
    if (issue) ctx.addIssue({ code: 'custom', message: issue });
  })
  .default('');

// Ollama parses keep_alive as a Go duration ("30m", "1h30m") or a number of seconds;
// a negative number keeps the model loaded for ever. Anything else makes every
// /api/chat call fail, so it is caught here with a message instead.
const KEEP_ALIVE = /^(-?\d+(\.\d+)?|(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+)$/;

// An empty allowlist entry would be a prefix of every command and approve them all,
// so entries must be non-empty; an invalid list as a whole falls back (fails closed).
// More servers of the worker model: each a full URL, none twice (a server listed twice
// would get twice its share of requests).
const endpointUrls = z
  .array(
    z
      .string()
      .trim()
      .superRefine((value, ctx) => {
        const issue = value === '' ? 'an endpoint cannot be empty' : baseUrlIssue(value);
        if (issue) ctx.addIssue({ code: 'custom', message: issue });
      }),
  )
  .superRefine((urls, ctx) => {
    const seen = new Set<string>();
    urls.forEach((url, index) => {
      const key = normaliseBaseUrl(url);
      if (key === undefined) return;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [index], message: `${url} is listed twice` });
      seen.add(key);
    });
  })
  .default([]);

// "auto" finds how many requests a server takes; a number is obeyed as given.
const parallelRequests = z
  .union([z.literal('auto'), z.number().int().min(1).max(64)], { error: 'neither "auto" nor a whole number' })
  .default('auto');

// Tokens per budget: 0 means none. Whole numbers only, so "lots" or -1 is a config error.
const tokenBudget = z.number().int().min(0).max(1_000_000_000).default(0);

// Dollars per million tokens, as providers list their prices, for models whose provider reports no cost.
const modelPrices = z
  .record(
    z.string().trim().min(1, 'a model id cannot be empty'),
    z.strictObject({ input: z.number().min(0), output: z.number().min(0) }),
  )
  .default({});

const commandPrefixes = z.array(z.string().trim().min(1, 'an allowlist entry cannot be empty')).default([]);

export const settingSchemas = {
  'rozet.orchestrator.provider': provider('openrouter'),
  'rozet.orchestrator.model': modelId('openai/gpt-5-nano'),
  'rozet.orchestrator.baseUrl': baseUrl,
  'rozet.worker.provider': provider('ollama'),
  'rozet.worker.model': modelId('qwen2.5-coder:14b-instruct'),
  'rozet.worker.baseUrl': baseUrl,
  'rozet.worker.idleTimeoutSeconds': z.number().min(5).max(3600).default(120),
  'rozet.orchestrator.idleTimeoutSeconds': z.number().min(5).max(3600).default(120),
  'rozet.worker.firstTokenTimeoutSeconds': z.number().min(5).max(86400).default(600),
  'rozet.worker.parallelRequests': parallelRequests,
  'rozet.worker.endpoints': endpointUrls,
  'rozet.worker.maxSteps': z.number().int().min(1).max(200).default(25),
  'rozet.temperature': z.number().min(0).max(2).default(0),
  'rozet.maxParallelWorkers': z.number().int().min(1).max(16).default(2),
  'rozet.planner.maxTasks': z.number().int().min(1).max(500).default(50),
  'rozet.autoRun': z.boolean().default(false),
  'rozet.bash.approval': z.enum(['ask', 'allowlist', 'auto', 'deny']).default('ask'),
  'rozet.bash.allowlist': commandPrefixes,
  'rozet.bash.timeoutSeconds': z.number().min(1).max(86400).default(300),
  'rozet.bash.sandbox': z.enum(['auto', 'required', 'off']).default('auto'),
  'rozet.bash.network': z.enum(['off', 'on']).default('off'),
  'rozet.write.approval': z.enum(['auto', 'ask']).default('auto'),
  'rozet.saveAfterEdit': z.boolean().default(true),
  'rozet.models.exclude': z.array(z.string()).default([]),
  'rozet.budget.tokensPerTask': tokenBudget,
  'rozet.budget.tokensPerRun': tokenBudget,
  'rozet.pricing': modelPrices,
  'rozet.memory.maxTokens': z.number().int().min(500).max(1_000_000).default(6000),
  'rozet.ollama.numCtx': z.number().int().min(8192).max(1_048_576).default(16384),
  'rozet.ollama.keepAlive': z
    .string()
    .trim()
    .regex(KEEP_ALIVE, 'expected a duration such as 30m, 1h or 90s, or a number of seconds (-1 keeps it loaded)')
    .default('30m'),
  'rozet.mcp.enabled': z.boolean().default(false),
  'rozet.mcp.allow': z.array(z.string().trim().min(1, 'an allow entry cannot be empty')).default([]),
  'rozet.mcp.configFile': z.string().trim().default(''),
  'rozet.mcp.timeoutSeconds': z.number().min(1).max(3600).default(60),
} as const;

export const RozetConfigSchema = z.object(settingSchemas);
export type RozetConfig = z.infer<typeof RozetConfigSchema>;
export type SettingKey = keyof typeof settingSchemas;

export const SETTING_KEYS = Object.keys(settingSchemas) as SettingKey[];

export function isSettingKey(key: string): key is SettingKey {
  return Object.prototype.hasOwnProperty.call(settingSchemas, key);
}

/**
 * Settings that grant an agent power. A cloned repository must not be able to raise
 * them, so they are read only from user settings, CLI flags and the environment.
 */
export const POWER_SETTINGS: readonly SettingKey[] = [
  'rozet.bash.approval',
  'rozet.bash.allowlist',
  'rozet.autoRun',
  'rozet.write.approval',
  'rozet.bash.sandbox',
  'rozet.bash.network',
  // A workspace must not add MCP servers (commands it chooses) nor allow their tools.
  'rozet.mcp.enabled',
  'rozet.mcp.allow',
  'rozet.mcp.configFile',
];

export function isPowerSetting(key: SettingKey): boolean {
  return POWER_SETTINGS.includes(key);
}

/** The shape of one setting as JSON Schema, derived from zod so messages never drift. */
export interface SettingShape {
  /** Absent for a union (rozet.worker.parallelRequests), which lists its branches in anyOf. */
  type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  anyOf?: Array<{ type: 'string' | 'integer'; const?: string; minimum?: number; maximum?: number }>;
  default: unknown;
  enum?: string[];
  minimum?: number;
  maximum?: number;
  items?: { type: string };
}

const shapes = new Map<SettingKey, SettingShape>();

export function settingShape(key: SettingKey): SettingShape {
  let shape = shapes.get(key);
  if (!shape) {
    shape = z.toJSONSchema(settingSchemas[key], { io: 'input' }) as SettingShape;
    shapes.set(key, shape);
  }
  return shape;
}

export function defaultValue<K extends SettingKey>(key: K): RozetConfig[K] {
  return settingSchemas[key].parse(undefined) as RozetConfig[K];
}

/** "one of: ask, allowlist, auto, deny", "a whole number from 1 to 16", … */
export function describeAllowed(key: SettingKey): string {
  const s = settingShape(key);
  if (s.enum) return `one of: ${s.enum.join(', ')}`;
  if (s.anyOf) {
    return s.anyOf
      .map((b) => (b.const !== undefined ? `"${b.const}"` : `a whole number from ${b.minimum} to ${b.maximum}`))
      .join(' or ');
  }
  if (key === 'rozet.pricing')
    return 'a JSON object of model id → {"input": dollars, "output": dollars} per million tokens';
  if (key === 'rozet.worker.endpoints')
    return 'a list of distinct http:// or https:// URLs (JSON array or comma-separated)';
  switch (s.type) {
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list of strings (JSON array or comma-separated)';
    case 'number':
    case 'integer':
      return `${s.type === 'integer' ? 'a whole number' : 'a number'} from ${s.minimum} to ${s.maximum}`;
    default:
      if (key.endsWith('.baseUrl')) return "an http:// or https:// URL, or empty for the provider's own";
      if (key === 'rozet.ollama.keepAlive') return 'a duration such as 30m or 1h, or a number of seconds';
      return 'a non-empty string';
  }
}
