/** What the tests of both Tencent emulators share: the project's client pointed at one, and requests by hand. */

import { expect } from 'vitest';
import {
  callTencentApi,
  type TencentClient,
  type TencentService,
} from '../../../src/providers/tencent/api.js';
import { signTc3 } from '../../../src/providers/tencent/tc3.js';
import { type Cleanup, emulatorWithClient, UUID } from '../shared/test-harness.js';
import { DEFAULT_CREDENTIALS } from './credentials.js';

export type Call = (action: string, payload: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A started emulator and the project's own client pointed at it; both are closed after the test. */
export async function emulatorWithTencentClient<E extends { url: string; close(): Promise<void> }>(
  start: () => Promise<E>,
  service: TencentService,
  defer: (cleanup: Cleanup) => void,
  client: Partial<TencentClient>,
): Promise<{ emulator: E; call: Call }> {
  const { emulator, send } = await emulatorWithClient(start, defer);
  const config: TencentClient = {
    service,
    endpoint: new URL(emulator.url),
    credentials: { ...DEFAULT_CREDENTIALS },
    send,
    now: Date.now,
    timeoutMs: 5000,
    ...client,
  };
  return { emulator, call: (action, payload) => callTencentApi(config, action, payload) };
}

export interface RawRequest {
  method?: string;
  path?: string;
  action?: string;
  version?: string;
  contentType?: string;
  timestamp?: string;
  body?: string;
  /** Signed with the project's signer for host 127.0.0.1 unless given; null: no Authorization header. */
  authorization?: string | null;
  service?: string;
  signedHost?: string;
}

/** A request by hand through fetch, for what the client never sends; `defaults` fill what `request` leaves out. */
export async function rawTc3Request(
  url: string,
  defaults: { service: string; action: string; version: string; body: string },
  request: RawRequest,
): Promise<{ status: number; json: unknown }> {
  const body = request.body ?? defaults.body;
  const contentType = request.contentType ?? 'application/json';
  const timestamp = request.timestamp ?? String(Math.floor(Date.now() / 1000));
  const authorization =
    request.authorization === undefined
      ? signTc3({
          service: request.service ?? defaults.service,
          host: request.signedHost ?? '127.0.0.1',
          contentType,
          body,
          timestamp: /^\d+$/.test(timestamp) ? Number(timestamp) : Math.floor(Date.now() / 1000),
          ...DEFAULT_CREDENTIALS,
        })
      : request.authorization;
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-tc-action': request.action ?? defaults.action,
    'x-tc-version': request.version ?? defaults.version,
    'x-tc-timestamp': timestamp,
    ...(authorization === null ? {} : { authorization }),
  };
  const method = request.method ?? 'POST';
  const response = await fetch(`${url}${request.path ?? '/'}`, {
    method,
    headers,
    ...(method === 'GET' ? {} : { body }),
  });
  return { status: response.status, json: await response.json() };
}

/** What a Tencent emulator answers a refusal with `code`: HTTP 200 and `Response.Error`. */
export const errorEnvelope = (code: string) => ({
  Response: {
    Error: { Code: code, Message: expect.any(String) },
    RequestId: expect.stringMatching(UUID),
  },
});
