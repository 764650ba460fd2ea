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
