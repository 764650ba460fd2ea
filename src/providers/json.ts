import { flatten } from '../text.js';

/** A JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A provider's or STS's answer, parsed, or undefined when the text is not JSON. Every string in it is flattened
 * (`flatten`): an error message, a task ID or a URL the answer holds can never break a log line.
 */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text, (_key, value: unknown) =>
      typeof value === 'string' ? flatten(value) : value,
    ) as unknown;
  } catch {
    return undefined;
  }
}
