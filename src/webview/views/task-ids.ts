// Element ids of a task row's parts, for aria-labelledby and aria-describedby. A task id
// comes from the plan (any text), and an id reference list is split on spaces, so every
// character outside [A-Za-z0-9_-] is spelled out as its code point.
export function taskIds(taskId: string): {
  title: string;
  status: string;
  meta: string;
  description: string;
  body: string;
} {
  const safe = taskId.replace(/[^A-Za-z0-9_-]/gu, (c) => `.${c.codePointAt(0)?.toString(16)}.`);
  const base = `rz-task-${safe}`;
  return {
    title: `${base}-title`,
    status: `${base}-status`,
    meta: `${base}-meta`,
    description: `${base}-description`,
    body: `${base}-body`,
  };
}
