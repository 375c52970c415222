// What a caught value says, for a user or a model: an Error's message, anything else as
// text. `catch (error)` receives `unknown` (a library may throw a string or a plain object).
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
