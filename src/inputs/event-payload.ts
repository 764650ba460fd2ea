/** The value at `path` in a workflow event's payload (the JSON at GITHUB_EVENT_PATH); undefined when absent. */
export function payloadField(payload: unknown, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
