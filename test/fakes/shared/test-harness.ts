/** What the emulators' own tests share: cleanups after each test, a client of the project's, an ApiError catcher. */
import { afterEach } from 'vitest';
import { createHttpClient } from '../../../src/delivery/http.js';
import { ApiError } from '../../../src/errors.js';
import type { HttpSend } from '../../../src/providers/transport.js';
import { rejectionOf } from '../../support/thrown.js';

export type Cleanup = () => Promise<void> | void;

/** Registers, for the calling test file, an afterEach that runs the deferred cleanups, last first. */
export function cleanupAfterEach(): (cleanup: Cleanup) => void {
  const cleanups: Cleanup[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return (cleanup) => {
    cleanups.push(cleanup);
  };
}

/** A started emulator and the project's keep-alive HTTP client; both are closed after the test. */
export async function emulatorWithClient<E extends { close(): Promise<void> }>(
  start: () => Promise<E>,
  defer: (cleanup: Cleanup) => void,
): Promise<{ emulator: E; send: HttpSend }> {
  const emulator = await start();
  defer(() => emulator.close());
  const http = createHttpClient();
  defer(() => http.close());
  return { emulator, send: http.send };
}

/** The ApiError `promise` fails with; anything else fails the test. */
export const apiError = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf(ApiError, promise);

/** The code of a failed call, or 'ok'. */
export const outcome = (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => 'ok',
    (error: ApiError) => error.code,
  );

/** A lower-case UUID, as the Tencent emulators' RequestIds. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `n` file URLs below `prefix`. */
export const urls = (n: number, prefix = 'https://www.example.com/assets'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}/${i}.js`);
