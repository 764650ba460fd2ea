import type { ApiServer, RecordedRequestBase } from './api-server.js';
import type { Fault } from './faults.js';

/** What a started fake cloud API gives a test. */
export interface FakeApi<Recorded extends RecordedRequestBase, Accepted, F extends Fault> {
  /** `http://127.0.0.1:<port>`, to pass as the endpoint. */
  url: string;
  /** Every request received, in order of arrival. */
  requests: Recorded[];
  /** Every accepted submission, in order. */
  accepted: Accepted[];
  /** Applies `fault` to the next `times` (default 1) signed requests, of `fault.action` only if it is given. */
  failNext(fault: F, times?: number): void;
  close(): Promise<void>;
}

/** Starts `server` and hands it out with the submissions its actions accept. */
export async function startFakeApi<Recorded extends RecordedRequestBase, Accepted, F extends Fault>(
  server: ApiServer<string, unknown, Recorded, F, unknown>,
  accepted: Accepted[],
): Promise<FakeApi<Recorded, Accepted, F>> {
  await server.listen();
  return {
    url: server.url,
    requests: server.requests,
    accepted,
    failNext: (fault, times) => server.failNext(fault, times),
    close: () => server.close(),
  };
}
