/** What both emulated STSs share. */
import type { IncomingMessage, ServerResponse } from 'node:http';

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

/** What an STS handler is built from. */
export interface StsSetup<Config, Recorded> {
  config: Config;
  /** Lifetime of the credentials issued. */
  expiresInSeconds: number;
  /** The next failure `failNext` scripted for this STS, if any. */
  nextScripted: () => string | undefined;
  /** Where every request is recorded. */
  requests: Recorded[];
}

/** Answers one request whose body (`raw`) has been read. */
export type StsHandler = (req: IncomingMessage, res: ServerResponse, raw: string) => void;
