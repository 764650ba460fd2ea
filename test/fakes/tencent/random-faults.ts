import type { Fault } from '../shared/faults.js';

/** What a flaky network, gateway or Tencent backend does now and then, drawn under `faultRate`. */
export const TENCENT_RANDOM_FAULTS: readonly Fault[] = [
  { kind: 'drop' },
  { kind: 'http', status: 502 },
  { kind: 'error', code: 'InternalError', message: 'An internal error occurred (emulated).' },
  { kind: 'error', code: 'RequestLimitExceeded', message: 'The request rate limit was exceeded (emulated).' },
];
