/** What both emulated STSs share. */

/** A refusal by one of the emulated STSs, answered in that STS's own form. */
export class StsFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** `YYYY-MM-DDThh:mm:ssZ`, as both STSs give the expiry of credentials. */
export function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
