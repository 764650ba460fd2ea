/**
 * An emulator of the Tencent Cloud CDN API (API 3.0, cdn 2018-06-06) on 127.0.0.1, for tests and `npm start`.
 *
 * Every request goes through the same pipeline, in this order:
 * 1. protocol: `POST /`, Content-Type application/json, X-TC-Action / X-TC-Version / X-TC-Timestamp present,
 *    version 2018-06-06, a known action;
 * 2. signature: recomputed with the official SDK's `Sign.sign3`, clock skew, credential scope, X-TC-Token;
 * 3. faults: the next scripted one (`failNext`), else a random one under `faultRate`;
 * 4. rate limit per action (`ratePerSecond`);
 * 5. the action: body validation, batch limit, wildcard hosts, daily quota, then the task is recorded.
 * So a request that is not signed never consumes a fault, a rate slot or quota, and a faulted request is never
 * accepted. Business errors are answered as Tencent does: HTTP 200 with `Response.Error` and a RequestId.
 * Decisions are taken as soon as a request's body has arrived; `latencyMs` (and a `delay` fault) only hold back
 * the answer.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CdnBackend } from './actions.js';
import { ApiFailure } from './api-failure.js';
import { verifySignature } from './signature.js';
import { type AppliedFault, DailyQuotaBook, FaultPlan, SlidingWindowLimiter } from './state.js';
import { TaskBook } from './tasks.js';
import {
  type AcceptedTask,
  type BatchLimits,
  CDN_ACTIONS,
  type CdnAction,
  type DailyQuota,
  type EmulatorCredential,
  type EmulatorOptions,
  type Fault,
  type RecordedRequest,
} from './types.js';

export type {
  AcceptedTask,
  BatchLimits,
  CdnAction,
  DailyQuota,
  EmulatorCredential,
  EmulatorOptions,
  Fault,
  FaultKind,
  RecordedRequest,
  SubmitAction,
  TaskProgress,
} from './types.js';

export const DEFAULT_CREDENTIALS: Readonly<{ secretId: string; secretKey: string }> = Object.freeze({
  secretId: 'AKIDEMULATOR',
  secretKey: 'emulator-secret-key',
});

export const API_VERSION = '2018-06-06';

/** Targets per request, as documented (EnableCaches documents none: 100 as the action uses). */
export const DEFAULT_BATCH_LIMITS: Readonly<Required<BatchLimits>> = Object.freeze({
  purgeUrls: 1000,
  purgePaths: 20,
  pushUrls: 500,
  enableCaches: 100,
});

/** Targets per day and per region, as documented. */
export const DEFAULT_DAILY_QUOTA: Readonly<Required<DailyQuota>> = Object.freeze({
  purgeUrls: 10_000,
  purgePaths: 100,
  pushUrls: 1000,
});

export interface TencentCdnEmulator {
  /** `http://127.0.0.1:<port>`, to pass as the endpoint. */
  url: string;
  /** Every request received, in order of arrival. */
  requests: RecordedRequest[];
  /** Every accepted submission (PurgeUrlsCache, PurgePathCache, PushUrlsCache, EnableCaches), in order. */
  accepted: AcceptedTask[];
  /** Applies `fault` to the next `times` (default 1) signed requests, of `fault.action` only if it is given. */
  failNext(fault: Fault, times?: number): void;
  close(): Promise<void>;
}

export async function startTencentCdnEmulator(options: EmulatorOptions = {}): Promise<TencentCdnEmulator> {
  const emulator = new Emulator(options);
  await emulator.listen();
  return emulator;
}

type Reply =
  | { kind: 'envelope'; status: number; response: Record<string, unknown> }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'drop' };

const GATEWAY_PAGE = (status: number): string =>
  `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>stgw</center></body></html>`;

class Emulator implements TencentCdnEmulator {
  url = '';
  readonly requests: RecordedRequest[] = [];
  readonly accepted: AcceptedTask[];

  private readonly credentials: readonly EmulatorCredential[];
  private readonly latencyMs: number;
  private readonly limiter: SlidingWindowLimiter;
  private readonly faults: FaultPlan;
  private readonly backend: CdnBackend;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(options: EmulatorOptions) {
    this.credentials = options.credentials ?? [DEFAULT_CREDENTIALS];
    if (this.credentials.length === 0) throw new RangeError('credentials must not be empty');
    this.latencyMs = nonNegative('latencyMs', options.latencyMs ?? 0);
    if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    }
    this.limiter = new SlidingWindowLimiter(options.ratePerSecond);
    this.faults = new FaultPlan(options.faultRate ?? 0, options.seed ?? 1);
    const progress = options.taskProgress ?? {};
    this.backend = new CdnBackend({
      batchLimits: { ...DEFAULT_BATCH_LIMITS, ...options.batchLimits },
      quota: new DailyQuotaBook({ ...DEFAULT_DAILY_QUOTA, ...options.dailyQuota }, Date.now),
      tasks: new TaskBook(
        nonNegative('taskProgress.doneAfterPolls', progress.doneAfterPolls ?? 1),
        new Set(progress.failUrls ?? []),
      ),
      unblockFailUrls: new Set(options.unblockFailUrls ?? []),
    });
    this.accepted = this.backend.accepted;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        console.error('tencent-cdn emulator: unexpected error', error);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { 'content-type': 'text/plain' }).end(`emulator bug: ${String(error)}`);
        }
      });
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  failNext(fault: Fault, times = 1): void {
    this.faults.script(fault, times);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Answers still held back by latency are never sent: their connections are closed below.
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record: RecordedRequest = {
      action: header(req, 'x-tc-action') ?? '',
      headers: flatHeaders(req),
      rawBody: '',
      body: undefined,
      receivedAt: Date.now(),
      outcome: 'error',
    };
    this.requests.push(record);
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return; // the client went away before the body was complete: nothing to answer
    }
    record.rawBody = raw.toString('utf8');
    record.body = parseJson(record.rawBody);

    const { reply, delayMs } = this.process(req, raw, record);
    await this.sleep(this.latencyMs + delayMs);
    if (this.closed || res.destroyed) return;
    if (reply.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const text = reply.kind === 'raw' ? reply.body : JSON.stringify({ Response: reply.response });
    res.writeHead(reply.status, {
      'content-type': reply.kind === 'raw' ? reply.contentType : 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  /** Decides the answer as soon as the body is in, and records the outcome. */
  private process(
    req: IncomingMessage,
    raw: Buffer,
    record: RecordedRequest,
  ): { reply: Reply; delayMs: number } {
    const requestId = randomUUID();
    let delayMs = 0;
    try {
      const { action, contentType, timestamp } = checkProtocol(req);
      verifySignature(
        {
          host: header(req, 'host') ?? '',
          contentType,
          authorization: header(req, 'authorization'),
          timestamp,
          token: header(req, 'x-tc-token'),
          body: raw,
        },
        this.credentials,
        Date.now(),
      );

      // faultRate applies to every action, the Describe* queries included: a flaky network or gateway does not
      // look at what it carries, and a client must retry its polls as well as its submissions.
      const fault = this.faults.next(action);
      if (fault) {
        record.fault = fault.kind;
        if (fault.kind === 'delay') delayMs = nonNegative('delay fault ms', fault.ms);
        else return { reply: faultReply(fault, record, requestId), delayMs };
      }

      if (!this.limiter.tryAdmit(action, performance.now())) {
        throw new ApiFailure(
          'RequestLimitExceeded',
          `Too many ${action} requests: the rate limit was exceeded.`,
        );
      }
      if (record.body === undefined) {
        throw new ApiFailure('InvalidParameter', 'The request body is not valid JSON.');
      }
      const result = this.backend.handle(action, { body: record.body, requestId, nowMs: Date.now() });
      record.outcome = 'accepted';
      if (result.task) record.taskId = result.task.taskId;
      return { reply: envelope(record, 200, requestId, result.response), delayMs };
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      record.outcome = 'error';
      record.errorCode = error.code;
      return { reply: errorEnvelope(record, requestId, error.code, error.message), delayMs };
    }
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

/** Step 1 of the pipeline: what every API 3.0 request needs before its signature can be checked. */
function checkProtocol(req: IncomingMessage): { action: CdnAction; contentType: string; timestamp: number } {
  if (req.method !== 'POST' || req.url !== '/') {
    throw new ApiFailure('UnsupportedProtocol', `Only POST / is served, not ${req.method} ${req.url}.`);
  }
  const contentType = header(req, 'content-type');
  if (contentType?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new ApiFailure(
      'UnsupportedOperation',
      `Content-Type must be application/json, not ${contentType === undefined ? 'missing' : `"${contentType}"`}.`,
    );
  }
  const action = header(req, 'x-tc-action');
  const version = header(req, 'x-tc-version');
  const timestamp = header(req, 'x-tc-timestamp');
  if (!action) throw new ApiFailure('MissingParameter', 'The X-TC-Action header is missing.');
  if (!version) throw new ApiFailure('MissingParameter', 'The X-TC-Version header is missing.');
  if (!timestamp) throw new ApiFailure('MissingParameter', 'The X-TC-Timestamp header is missing.');
  // Tencent's common error for a version that does not exist.
  if (version !== API_VERSION) {
    throw new ApiFailure(
      'NoSuchVersion',
      `The API version ${version} does not exist for cdn: use ${API_VERSION}.`,
    );
  }
  if (!(CDN_ACTIONS as readonly string[]).includes(action)) {
    throw new ApiFailure('InvalidAction', `The action ${action} does not exist in cdn ${API_VERSION}.`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new ApiFailure(
      'InvalidParameterValue',
      `X-TC-Timestamp must be Unix time in seconds, not "${timestamp}".`,
    );
  }
  return { action: action as CdnAction, contentType, timestamp: Number(timestamp) };
}

function faultReply(
  fault: Exclude<AppliedFault, { kind: 'delay' }>,
  record: RecordedRequest,
  requestId: string,
): Reply {
  record.outcome = 'fault';
  switch (fault.kind) {
    case 'error':
      record.errorCode = fault.code;
      return errorEnvelope(record, requestId, fault.code, fault.message ?? `${fault.code} (emulated fault)`);
    case 'http':
      record.status = fault.status;
      return {
        kind: 'raw',
        status: fault.status,
        contentType: fault.body === undefined ? 'text/html' : 'text/plain',
        body: fault.body ?? GATEWAY_PAGE(fault.status),
      };
    case 'drop':
      return { kind: 'drop' };
  }
}

function envelope(
  record: RecordedRequest,
  status: number,
  requestId: string,
  response: Record<string, unknown>,
): Reply {
  record.requestId = requestId;
  record.status = status;
  return { kind: 'envelope', status, response: { ...response, RequestId: requestId } };
}

function errorEnvelope(record: RecordedRequest, requestId: string, code: string, message: string): Reply {
  return envelope(record, 200, requestId, { Error: { Code: code, Message: message } });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(req.headers)) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a number ≥ 0, got ${value}`);
  return value;
}
