/**
 * The HTTP server every emulated cloud API is built on (Tencent Cloud API 3.0, Alibaba Cloud RPC), on 127.0.0.1.
 *
 * Every request goes through the same pipeline: record → body → decide → hold back → answer. Deciding is, in
 * this order:
 * 1. `authenticate`: the service's protocol and signature checks;
 * 2. faults: the next scripted one (`failNext`), else a random one of the service's under `faultRate`;
 * 3. rate limit per action (`ratePerSecond`);
 * 4. `carryOut`: the action checks the body and carries it out.
 * So a request that is not signed never consumes a fault, a rate slot or quota, and a faulted request is never
 * accepted. Decisions are taken as soon as a request's body has arrived; `latencyMs` (and a `delay` fault) only
 * hold back the answer. A refusal is an `ApiFailure`, answered in the service's own form.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiFailure } from './api-failure.js';
import { type Fault, type FaultKind, FaultPlan } from './faults.js';
import {
  closeServer,
  createEmulatorServer,
  flatHeaders,
  holdBack,
  listenOnLoopback,
  readBody,
} from './http.js';
import { nonNegative, notEmpty, positive } from './options.js';
import { SlidingWindowLimiter } from './rate-limit.js';

/** The options every emulated API takes. */
export interface ServerOptions {
  /** Delay before each answer, in milliseconds (default 0). */
  latencyMs?: number;
  /** Requests per second per action, over a sliding 1 s window. Default: no limit. */
  ratePerSecond?: number;
  /** 0..1: the fraction of signed requests that get a random fault. */
  faultRate?: number;
  /** Seed of the fault RNG (default 1), so that a run with `faultRate` is reproducible. */
  seed?: number;
  /**
   * The emulator's clock, Unix ms (default `Date.now`): what signatures are checked against, the rate limit's
   * window, and when tasks are accepted and finish. A test that waits on a fake clock gives the same one here.
   */
  now?: () => number;
}

/** What the pipeline records of every request; each service adds what its requests carry. */
export interface RecordedRequestBase {
  /** The action header ('' when missing). */
  action: string;
  /** Every header, names lower-cased. */
  headers: Record<string, string>;
  rawBody: string;
  /** Unix time in milliseconds when the request arrived. */
  receivedAt: number;
  /** `accepted`: answered with success (a submission recorded in `accepted`, or a query answered). */
  outcome: 'accepted' | 'error' | 'fault';
  /** The error code of the answer, for `error` outcomes and `error` faults. */
  errorCode?: string;
  /** The RequestId of the answer; none for a dropped connection or an HTTP fault. */
  requestId?: string;
  /** The fault applied to this request, scripted or random (`delay` leaves the outcome as it would have been). */
  fault?: FaultKind;
  /** HTTP status of the answer; none for a dropped connection. */
  status?: number;
}

/** How a service's answers look on the wire. */
export interface ServiceLook {
  /** Names the server in the log line of an unexpected error. */
  name: string;
  /** The Content-Type of its JSON answers. */
  jsonContentType: string;
  /** The server named on the HTML page of an `http` fault. */
  gateway: string;
}

/** What an action gets once its request is signed, admitted and free of faults. */
export interface CallContext {
  requestId: string;
  nowMs: number;
}

type Reply =
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'drop' };

const gatewayPage = (status: number, gateway: string): string =>
  `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>${gateway}</center></body></html>`;

export abstract class ApiServer<
  Action extends string,
  Body,
  Recorded extends RecordedRequestBase,
  F extends Fault,
  Credential,
> {
  url = '';
  readonly requests: Recorded[] = [];

  protected readonly credentials: readonly Credential[];
  protected readonly now: () => number;
  private readonly latencyMs: number;
  private readonly limiter: SlidingWindowLimiter;
  private readonly faults: FaultPlan<F>;
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly look: ServiceLook,
    options: ServerOptions,
    credentials: readonly Credential[],
    randomFaults: readonly F[],
  ) {
    this.credentials = notEmpty('credentials', credentials);
    this.now = options.now ?? Date.now;
    this.latencyMs = nonNegative('latencyMs', options.latencyMs ?? 0);
    const rate = options.ratePerSecond;
    this.limiter = new SlidingWindowLimiter(rate === undefined ? undefined : positive('ratePerSecond', rate));
    this.faults = new FaultPlan(options.faultRate ?? 0, options.seed ?? 1, randomFaults);
    this.server = createEmulatorServer(look.name, (req, res) => this.handle(req, res));
  }

  /** A new record of a request whose headers have arrived. */
  protected abstract newRecord(headers: Record<string, string>, receivedAt: number): Recorded;
  /** Reads the body into what `carryOut` takes, and records it; runs before any check. */
  protected abstract parse(req: IncomingMessage, raw: Buffer, record: Recorded): Body;
  /** Checks the protocol and the signature; returns the action, or throws an `ApiFailure`. */
  protected abstract authenticate(req: IncomingMessage, raw: Buffer, record: Recorded): Action;
  /** Carries out the action; returns the fields of the answer, or throws an `ApiFailure`. */
  protected abstract carryOut(
    action: Action,
    body: Body,
    call: CallContext,
    record: Recorded,
  ): Record<string, unknown>;
  /** The refusal of a request over the rate limit. */
  protected abstract rateLimited(action: Action): ApiFailure;
  /** The refusal an `error` fault answers with (`status`: the one the fault names, if any). */
  protected abstract faultFailure(code: string, message: string, status: number | undefined): ApiFailure;
  /** The HTTP status and the fields of the answer to a refusal. */
  protected abstract refusal(
    failure: ApiFailure,
    requestId: string,
  ): { status: number; fields: Record<string, unknown> };
  /** The JSON body of an answer with these fields. */
  protected abstract envelope(requestId: string, fields: Record<string, unknown>): unknown;

  /** Headers sent with every JSON answer besides Content-Type and Content-Length. */
  protected answerHeaders(_requestId: string): Record<string, string> {
    return {};
  }

  protected newRequestId(): string {
    return randomUUID();
  }

  async listen(): Promise<void> {
    this.url = await listenOnLoopback(this.server);
  }

  failNext(fault: F, times = 1): void {
    this.faults.script(fault, times);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Answers still held back by latency are never sent: their connections are closed with the server.
    await closeServer(this.server, this.timers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = this.newRecord(flatHeaders(req), this.now());
    this.requests.push(record);
    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch {
      return; // the client went away before the body was complete: nothing to answer
    }
    record.rawBody = raw.toString('utf8');
    const body = this.parse(req, raw, record);

    const { reply, delayMs } = this.decide(req, raw, body, record);
    await holdBack(this.latencyMs + delayMs, this.timers);
    if (this.closed || res.destroyed) return;
    if (reply.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const text = reply.kind === 'raw' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': reply.kind === 'raw' ? reply.contentType : this.look.jsonContentType,
      'content-length': Buffer.byteLength(text),
      ...(reply.kind === 'json' ? reply.headers : {}),
    });
    res.end(text);
  }

  /** Decides the answer as soon as the body is in, and records the outcome. */
  private decide(
    req: IncomingMessage,
    raw: Buffer,
    body: Body,
    record: Recorded,
  ): { reply: Reply; delayMs: number } {
    const requestId = this.newRequestId();
    let delayMs = 0;
    try {
      const action = this.authenticate(req, raw, record);

      // faultRate applies to every action, the Describe* queries included: a flaky network or gateway does not
      // look at what it carries, and a client must retry its polls as well as its submissions.
      const fault: Fault | undefined = this.faults.next(action);
      if (fault) {
        record.fault = fault.kind;
        if (fault.kind === 'delay') delayMs = nonNegative('delay fault ms', fault.ms);
        else return { reply: this.faultReply(fault, record, requestId), delayMs };
      }

      if (!this.limiter.tryAdmit(action, this.now())) throw this.rateLimited(action);
      const fields = this.carryOut(action, body, { requestId, nowMs: this.now() }, record);
      record.outcome = 'accepted';
      return { reply: this.answer(record, 200, requestId, fields), delayMs };
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      record.outcome = 'error';
      return { reply: this.refuse(record, requestId, error), delayMs };
    }
  }

  private faultReply(fault: Exclude<Fault, { kind: 'delay' }>, record: Recorded, requestId: string): Reply {
    record.outcome = 'fault';
    switch (fault.kind) {
      case 'error': {
        const status = 'status' in fault && typeof fault.status === 'number' ? fault.status : undefined;
        const message = fault.message ?? `${fault.code} (emulated fault)`;
        return this.refuse(record, requestId, this.faultFailure(fault.code, message, status));
      }
      case 'http':
        record.status = fault.status;
        return {
          kind: 'raw',
          status: fault.status,
          contentType: fault.body === undefined ? 'text/html' : 'text/plain',
          body: fault.body ?? gatewayPage(fault.status, this.look.gateway),
        };
      case 'drop':
        return { kind: 'drop' };
    }
  }

  private refuse(record: Recorded, requestId: string, failure: ApiFailure): Reply {
    record.errorCode = failure.code;
    const { status, fields } = this.refusal(failure, requestId);
    return this.answer(record, status, requestId, fields);
  }

  private answer(
    record: Recorded,
    status: number,
    requestId: string,
    fields: Record<string, unknown>,
  ): Reply {
    record.requestId = requestId;
    record.status = status;
    return {
      kind: 'json',
      status,
      body: this.envelope(requestId, fields),
      headers: this.answerHeaders(requestId),
    };
  }
}
