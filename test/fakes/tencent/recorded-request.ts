import type { RecordedRequestBase } from '../shared/api-server.js';

/** A request to a Tencent emulator, as received and answered; `action` is the X-TC-Action header. */
export interface RecordedRequest extends RecordedRequestBase {
  /** The body parsed as JSON, or undefined when it is not JSON. */
  body: unknown;
  /** The TaskId (cdn) or JobId (teo) of an accepted submission. */
  taskId?: string;
}
