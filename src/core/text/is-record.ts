// A key/value object (not an array, not null): what a plan or tool arguments from a model,
// and a mapping in .rozet.yaml, must be before their keys are read.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
