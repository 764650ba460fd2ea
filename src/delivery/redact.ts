/**
 * Keeps the values of `headers` and `user-agent` (an `Authorization` line, a token in a user agent) out of what a
 * provider says back: its error messages and the reasons it gives for refused targets, which reach the log, the
 * `failed` output and the summary. Credentials need no such care: they are masked from the start.
 */
import { ApiError } from '../errors.js';
import type { ProviderConnection } from '../providers/provider.js';
import type { Settings } from '../settings.js';

/** Shorter values (`1`, `gzip`) hold no secret, and replacing them would garble every message that has them. */
export const MIN_REDACTED_LENGTH = 8;
export const REDACTED = '***';

/** The secret-bearing prefetch values of the run worth redacting, longest first (so none is left half-replaced). */
export function redactedValues(settings: Settings): string[] {
  const values = [
    ...settings.prefetch.headers.map((header) => header.value),
    settings.prefetch.userAgent ?? '',
  ];
  return [...new Set(values)]
    .filter((value) => value.length >= MIN_REDACTED_LENGTH)
    .sort((a, b) => b.length - a.length);
}

/** `connection`, with every message it returns or throws cleared of `values`. */
export function redacting(connection: ProviderConnection, values: readonly string[]): ProviderConnection {
  if (values.length === 0) return connection;
  const scrub = (text: string): string =>
    values.reduce((result, value) => result.replaceAll(value, REDACTED), text);
  const scrubbed = (error: unknown): unknown =>
    error instanceof ApiError
      ? new ApiError(error.code, scrub(error.message), error.disposition, error.details)
      : error;
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw scrubbed(error);
    }
  };
  return {
    submit: (kind, targets) =>
      guard(async () => {
        const accepted = await connection.submit(kind, targets);
        if (accepted.refused.length === 0) return accepted;
        const refused = accepted.refused.map((failure) => ({ ...failure, message: scrub(failure.message) }));
        return { ...accepted, refused };
      }),
    readQuotas: (kinds, targets) => guard(() => connection.readQuotas(kinds, targets)),
    describeTasks: (kind, taskIds, paced) => guard(() => connection.describeTasks(kind, taskIds, paced)),
  };
}
