/**
 * Keeps every value that may hold a secret out of what a provider or an STS says back: the credentials, the
 * session token and the job's OIDC token, the values of `headers` and `user-agent` (an `Authorization` line, a
 * token in a user agent). An answer's body is cleared of them as it arrives, before anything parses, cuts or
 * quotes it, so that no error message, refused target, log line, `failed` output, summary or report can hold one
 * (docs/delivery.md#secrets-in-answers).
 */
import { ApiError } from '../errors.js';
import type { ProviderConnection } from '../providers/provider.js';
import type { HttpSend } from '../providers/transport.js';
import type { Settings } from '../settings.js';
import { rfc3986 } from '../text.js';

/** Shorter values (`1`, `gzip`) hold no secret, and replacing them would garble every message that has them. */
export const MIN_REDACTED_LENGTH = 8;
export const REDACTED = '***';

/** The values of the run that may hold a secret: the static credentials, and the prefetch's header values and user agent. */
export function secretValues(settings: Settings): string[] {
  const { credentials, prefetch } = settings;
  return [
    credentials?.secretId ?? '',
    credentials?.secretKey ?? '',
    credentials?.sessionToken ?? '',
    ...prefetch.headers.map((header) => header.value),
    prefetch.userAgent ?? '',
  ];
}

/**
 * The forms in which an answer may echo `value`: as it is, with its white space folded (runs made one space, the
 * ends trimmed), JSON-escaped (with `/` as `\/` too), and percent-encoded (RFC 3986 or `encodeURIComponent`, upper
 * or lower case hex, a space as `%20` or `+`). Those shorter than `MIN_REDACTED_LENGTH` are left out.
 */
export function secretForms(value: string): string[] {
  const folded = value.replace(/\s+/g, ' ');
  const forms = new Set<string>();
  for (const base of [value, folded, folded.trim()]) {
    const json = JSON.stringify(base).slice(1, -1);
    const encoded = [encodeURIComponent(base), rfc3986(base)];
    for (const form of [
      base,
      json,
      json.replaceAll('/', '\\/'),
      ...encoded,
      ...encoded.map((text) => text.replaceAll('%20', '+')),
      ...encoded.map((text) => text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())),
    ])
      forms.add(form);
  }
  return [...forms].filter((form) => form.length >= MIN_REDACTED_LENGTH);
}

/** The secrets of a run, every form of each, and the text of an answer cleared of them. */
export class Secrets {
  /** Longest first, so that no form is left half-replaced by a shorter one it contains. */
  private forms: string[] = [];

  /** Adds `value`'s forms; returns those that are new (to mask in the log as well). */
  add(value: string): string[] {
    const known = new Set(this.forms);
    const added = secretForms(value).filter((form) => !known.has(form));
    if (added.length > 0) this.forms = [...this.forms, ...added].sort((a, b) => b.length - a.length);
    return added;
  }

  scrub(text: string): string {
    let result = text;
    for (const form of this.forms) if (result.includes(form)) result = result.replaceAll(form, REDACTED);
    return result;
  }
}

/** `send`, with every answer's body cleared of `secrets` (as they are when the answer arrives). */
export function scrubbing(send: HttpSend, secrets: Secrets): HttpSend {
  return async (request) => {
    const response = await send(request);
    return { ...response, body: secrets.scrub(response.body) };
  };
}

/**
 * `connection`, with every message it returns or throws cleared of `secrets` too: what an adapter says in its own
 * words after reading an answer (a refused target's reason) is cleared as well as the answer itself.
 */
export function redacting(connection: ProviderConnection, secrets: Secrets): ProviderConnection {
  const scrubbed = (error: unknown): unknown =>
    error instanceof ApiError
      ? new ApiError(error.code, secrets.scrub(error.message), error.disposition, error.details)
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
        const refused = accepted.refused.map((failure) => ({
          ...failure,
          message: secrets.scrub(failure.message),
        }));
        return { ...accepted, refused };
      }),
    readQuotas: (kinds, targets) => guard(() => connection.readQuotas(kinds, targets)),
    describeTasks: (kind, taskIds, paced) => guard(() => connection.describeTasks(kind, taskIds, paced)),
  };
}
