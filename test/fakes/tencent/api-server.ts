/**
 * The HTTP side of an emulated Tencent Cloud API 3.0 service (cdn, teo) on 127.0.0.1: one server per emulator,
 * with the service's actions plugged in as a `handle` function.
 *
 * Every request goes through the same pipeline, in this order:
 * 1. protocol: `POST /`, Content-Type application/json, X-TC-Action / X-TC-Version / X-TC-Timestamp present,
 *    the service's version (else NoSuchVersion), a known action;
 * 2. signature: recomputed with the official SDK's `Sign.sign3` for the service, clock skew, credential scope,
 *    X-TC-Token;
 * 3. faults: the next scripted one (`failNext`), else a random one of the service's under `faultRate`;
 * 4. rate limit per action (`ratePerSecond`);
 * 5. the body must be JSON, then the action (`handle`) validates it and carries it out.
 * So a request that is not signed never consumes a fault, a rate slot or quota, and a faulted request is never
 * accepted. Business errors are answered as Tencent does: HTTP 200 with `Response.Error` and a RequestId.
 * Decisions are taken as soon as a request's body has arrived; `latencyMs` (and a `delay` fault) only hold back
 * the answer.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { parseJson } from '../../../src/providers/json.js';
import { ApiFailure } from '../shared/api-failure.js';
import { type AppliedFault, FaultPlan, SlidingWindowLimiter } from '../shared/faults.js';
import {
  closeServer,
  createEmulatorServer,
  flatHeaders,
  header,
  holdBack,
  listenOnLoopback,
  readBody,
} from '../shared/http.js';
import type { EmulatorCredential, Fault, RecordedRequest } from '../tencent-cdn/types.js';
import { type TencentServiceName, verifySignature } from './signature.js';

/** What an action gets once its request is signed, admitted and free of faults. */
export interface ActionCall {
  /** The body, already parsed as JSON. */
  body: unknown;
  requestId: string;
  nowMs: number;
}

export interface ActionOutcome {
  /** The fields of `Response` apart from RequestId. */
  response: Record<string, unknown>;
  /** The TaskId or JobId of an accepted submission, recorded in `RecordedRequest.taskId`. */
  taskId?: string;
}

export interface ServiceSpec<Action extends string> {
  service: TencentServiceName;
  version: string;
  actions: readonly Action[];
  /** The faults drawn under `faultRate`. */
  randomFaults: readonly Fault[];
  /** Carries out one action; throws an `ApiFailure` for anything the API would refuse. */
  handle(action: Action, call: ActionCall): ActionOutcome;
}

/** The options every emulated service takes. */
export interface ServerOptions {
  credentials?: EmulatorCredential[];
  latencyMs?: number;
  ratePerSecond?: number;
  faultRate?: number;
  seed?: number;
}

type Reply =
  | { kind: 'envelope'; status: number; response: Record<string, unknown> }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'drop' };

const GATEWAY_PAGE = (status: number): string =>
  `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>stgw</center></body></html>`;

export class TencentApiServer<Action extends string> {
  url = '';
  readonly requests: RecordedRequest[] = [];

  private readonly credentials: readonly EmulatorCredential[];
  private readonly latencyMs: number;
  private readonly limiter: SlidingWindowLimiter;
  private readonly faults: FaultPlan;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly spec: ServiceSpec<Action>,
    options: ServerOptions,
    defaultCredentials: EmulatorCredential,
  ) {
    this.credentials = options.credentials ?? [defaultCredentials];
    if (this.credentials.length === 0) throw new RangeError('credentials must not be empty');
    this.latencyMs = nonNegative('latencyMs', options.latencyMs ?? 0);
    if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    }
    this.limiter = new SlidingWindowLimiter(options.ratePerSecond);
    this.faults = new FaultPlan(options.faultRate ?? 0, options.seed ?? 1, spec.randomFaults);
    this.server = createEmulatorServer(`${spec.service} emulator`, (req, res) => this.handle(req, res));
  }

  async listen(): Promise<void> {
    this.url = await listenOnLoopback(this.server);
  }

  failNext(fault: Fault, times = 1): void {
    this.faults.script(fault, times);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Answers still held back by latency are never sent: their connections are closed with the server.
    await closeServer(this.server, this.timers);
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
    await holdBack(this.latencyMs + delayMs, this.timers);
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
      const { action, contentType, timestamp } = this.checkProtocol(req);
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
        this.spec.service,
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
      const result = this.spec.handle(action, { body: record.body, requestId, nowMs: Date.now() });
      record.outcome = 'accepted';
      if (result.taskId !== undefined) record.taskId = result.taskId;
      return { reply: envelope(record, 200, requestId, result.response), delayMs };
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      record.outcome = 'error';
      record.errorCode = error.code;
      return { reply: errorEnvelope(record, requestId, error.code, error.message), delayMs };
    }
  }

  /** Step 1 of the pipeline: what every API 3.0 request needs before its signature can be checked. */
  private checkProtocol(req: IncomingMessage): { action: Action; contentType: string; timestamp: number } {
    const { service, version: expectedVersion, actions } = this.spec;
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
    if (version !== expectedVersion) {
      throw new ApiFailure(
        'NoSuchVersion',
        `The API version ${version} does not exist for ${service}: use ${expectedVersion}.`,
      );
    }
    if (!(actions as readonly string[]).includes(action)) {
      throw new ApiFailure(
        'InvalidAction',
        `The action ${action} does not exist in ${service} ${expectedVersion}.`,
      );
    }
    if (!/^\d{1,12}$/.test(timestamp)) {
      throw new ApiFailure(
        'InvalidParameterValue',
        `X-TC-Timestamp must be Unix time in seconds, not "${timestamp}".`,
      );
    }
    return { action: action as Action, contentType, timestamp: Number(timestamp) };
  }
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

export function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value))
    throw new RangeError(`${name} must be a number ≥ 0, got ${value}`);
  return value;
}
