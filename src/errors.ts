/** Every error class of the action: bad input, a failed API call, a failed STS exchange, no HTTP answer. */
import { quote } from './text.js';

/**
 * Inputs whose values may hold a secret (credentials, an `Authorization` header, a token in a user agent): an
 * error about one names the input and what is wrong, never the value.
 */
export const SECRET_BEARING_INPUTS: ReadonlySet<string> = new Set([
  'secret-id',
  'secret-key',
  'session-token',
  'headers',
  'user-agent',
]);

/**
 * A bad input: names the input, the value given (unless the input may hold a secret) and what is accepted.
 * Thrown before any request is sent.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** The value given; empty for an input in `SECRET_BEARING_INPUTS`, whose value is never kept or shown. */
  readonly value: string;
  /** `hideValue`: an input whose value must not be shown although its name is not in `SECRET_BEARING_INPUTS`. */
  constructor(
    readonly input: string,
    value: string,
    readonly accepted: string,
    hideValue = false,
  ) {
    const secret = hideValue || SECRET_BEARING_INPUTS.has(input);
    super(
      secret
        ? `Input '${input}' (its value is not shown: it may hold a secret): ${accepted}`
        : `Input '${input}' has the value ${quote(value)}: ${accepted}`,
    );
    this.value = secret ? '' : value;
  }
}

/**
 * What a failed call means for the rest of the run:
 * - `retry`: transient (throttling, internal error, 5xx, network); send the same batch again, signed afresh.
 * - `retry-once`: send again once (Tencent `AuthFailure.SignatureExpire`: a fresh timestamp may fix it).
 * - `split`: the batch is larger than the provider takes; halve it and send the halves.
 * - `batch`: final for this batch only (invalid URL, unknown domain): other batches go on.
 * - `operation`: final for every unsent batch of this API (daily quota, no permission for this API).
 * - `run`: final for everything unsent (bad credentials).
 */
export type Disposition = 'retry' | 'retry-once' | 'split' | 'batch' | 'operation' | 'run';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly disposition: Disposition,
    readonly details: {
      requestId?: string | undefined;
      /** The request reached the provider and may have been carried out although no answer came back. */
      mayHaveBeenAccepted?: boolean;
      /** The provider refused it because today's quota of the API is spent (final until the quota starts afresh). */
      dailyQuota?: boolean;
    } = {},
  ) {
    super(message);
  }

  /** One line for logs: code, message and RequestId. */
  describe(): string {
    const id = this.details.requestId ? ` (RequestId ${this.details.requestId})` : '';
    return `${this.code}: ${this.message}${id}`;
  }
}

/**
 * An STS call that gave no credentials. `message` carries the provider's code and message, `hint` the likely
 * cause in plain words (what to check in the cloud console or the workflow), `retryable` whether the same call
 * may succeed if sent again (throttling, a transient failure at the STS, a network error).
 */
export class StsError extends Error {
  override readonly name = 'StsError';
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly requestId?: string,
    readonly retryable: boolean = false,
  ) {
    super(message);
  }

  /** One line for logs: the message, the RequestId when there is one, then the hint. */
  describe(): string {
    const id = this.requestId ? ` (RequestId ${this.requestId})` : '';
    return `${this.message}${id}. Likely cause: ${this.hint}`;
  }
}

/**
 * A request that got no HTTP response. `mayHaveBeenSent` is false only when the connection was never
 * established, so the provider cannot have seen the request.
 */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: 'Timeout' | 'ConnectionError',
    message: string,
    readonly mayHaveBeenSent: boolean,
  ) {
    super(message);
  }
}
