/**
 * The HTTP side of the emulated Alibaba Cloud CDN API (RPC style, signature V3) on 127.0.0.1.
 *
 * Every request goes through the same pipeline, in this order:
 * 1. protocol: `POST /`, x-acs-action / x-acs-version / x-acs-signature-nonce present, version 2018-05-10
 *    (else InvalidVersion), a known action (else 404 InvalidAction.NotFound);
 * 2. signature (`verifyAcs3`): Authorization form, AccessKeyId, x-acs-date within 15 minutes,
 *    x-acs-content-sha256 against the body, SignedHeaders, the signature recomputed with the official SDK,
 *    x-acs-security-token; then the nonce, which may never repeat (every nonce of a well-signed request is kept);
 * 3. faults: the next scripted one (`failNext`), else a random one under `faultRate`;
 * 4. rate limit per action (`ratePerSecond`): HTTP 429 Throttling.User;
 * 5. the parameters (form body and query string) are decoded, then the action checks and carries them out.
 * So a request that is not signed never consumes a fault, a rate slot or quota, and a faulted request is never
 * accepted. Errors are answered as Alibaba Cloud does: HTTP 4xx/5xx with `{RequestId, HostId, Code, Message,
 * Recommend}`. Decisions are taken as soon as a request's body has arrived; `latencyMs` (and a `delay` fault)
 * only hold back the answer.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { type AppliedFault, FaultPlan, SlidingWindowLimiter } from '../shared/faults.js';
import {
  closeServer,
  createEmulatorServer,
  flatHeaders,
  holdBack,
  listenOnLoopback,
  readBody,
} from '../shared/http.js';
import { nonNegative } from '../tencent/api-server.js';
import type { AliyunActionResult, AliyunCall } from './actions.js';
import { verifyAcs3 } from './signature.js';
import {
  ALIYUN_ACTIONS,
  type AliyunAction,
  type AliyunEmulatorCredential,
  AliyunFailure,
  type AliyunFault,
  type AliyunRecordedRequest,
  invalidParameter,
} from './types.js';

export const ALIYUN_API_VERSION = '2018-05-10';
export const ALIYUN_HOST_ID = 'cdn.aliyuncs.com';

/** What a flaky network, gateway or backend does now and then, drawn under `faultRate`. */
export const ALIYUN_RANDOM_FAULTS: readonly AliyunFault[] = [
  { kind: 'drop' },
  {
    kind: 'error',
    code: 'ServiceUnavailable',
    message: 'The request has failed due to a temporary failure of the server (emulated).',
    status: 503,
  },
  {
    kind: 'error',
    code: 'InternalError',
    message: 'The request processing has failed due to some unknown error (emulated).',
    status: 500,
  },
  {
    kind: 'error',
    code: 'Throttling.User',
    message: 'Request was denied due to user flow control (emulated).',
    status: 429,
  },
];

export interface AliyunServerOptions {
  credentials: readonly AliyunEmulatorCredential[];
  latencyMs?: number;
  ratePerSecond?: number;
  faultRate?: number;
  seed?: number;
  handle(action: AliyunAction, call: AliyunCall): AliyunActionResult;
}

type Reply =
  | { kind: 'json'; status: number; body: Record<string, unknown> }
  | { kind: 'raw'; status: number; contentType: string; body: string }
  | { kind: 'drop' };

const GATEWAY_PAGE = (status: number): string =>
  `<html><head><title>${status}</title></head><body><center><h1>${status}</h1></center><hr><center>Tengine</center></body></html>`;

export class AliyunApiServer {
  url = '';
  readonly requests: AliyunRecordedRequest[] = [];

  private readonly latencyMs: number;
  private readonly limiter: SlidingWindowLimiter;
  private readonly faults: FaultPlan;
  private readonly server: Server;
  /** `<AccessKeyId>\n<nonce>` of every well-signed request. */
  private readonly nonces = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: AliyunServerOptions) {
    if (options.credentials.length === 0) throw new RangeError('credentials must not be empty');
    this.latencyMs = nonNegative('latencyMs', options.latencyMs ?? 0);
    if (options.ratePerSecond !== undefined && !(options.ratePerSecond > 0)) {
      throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    }
    this.limiter = new SlidingWindowLimiter(options.ratePerSecond);
    this.faults = new FaultPlan(options.faultRate ?? 0, options.seed ?? 1, ALIYUN_RANDOM_FAULTS);
    this.server = createEmulatorServer('aliyun cdn emulator', (req, res) => this.handle(req, res));
  }

  async listen(): Promise<void> {
    this.url = await listenOnLoopback(this.server);
  }

  failNext(fault: AliyunFault, times = 1): void {
    this.faults.script(fault, times);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await closeServer(this.server, this.timers);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = flatHeaders(req);
    const record: AliyunRecordedRequest = {
      action: headers['x-acs-action'] ?? '',
      headers,
      rawBody: '',
      params: {},
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

    const { reply, delayMs } = this.process(req, headers, raw, record);
    await holdBack(this.latencyMs + delayMs, this.timers);
    if (this.closed || res.destroyed) return;
    if (reply.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    const text = reply.kind === 'raw' ? reply.body : JSON.stringify(reply.body);
    const responseHeaders: Record<string, string | number> = {
      'content-type': reply.kind === 'raw' ? reply.contentType : 'application/json;charset=utf-8',
      'content-length': Buffer.byteLength(text),
    };
    if (reply.kind === 'json' && typeof reply.body.RequestId === 'string') {
      responseHeaders['x-acs-request-id'] = reply.body.RequestId;
    }
    res.writeHead(reply.status, responseHeaders);
    res.end(text);
  }

  /** Decides the answer as soon as the body is in, and records the outcome. */
  private process(
    req: IncomingMessage,
    headers: Record<string, string>,
    raw: Buffer,
    record: AliyunRecordedRequest,
  ): { reply: Reply; delayMs: number } {
    const requestId = randomUUID().toUpperCase();
    let delayMs = 0;
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    let params: Record<string, string> | AliyunFailure;
    try {
      params = decodeParams(url.searchParams, headers['content-type'], raw);
      record.params = params;
    } catch (error) {
      if (!(error instanceof AliyunFailure)) throw error;
      params = error;
    }
    try {
      const action = this.checkProtocol(req, url, headers);
      const credential = verifyAcs3(
        {
          method: req.method ?? '',
          pathname: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers,
          body: raw,
        },
        this.options.credentials,
        Date.now(),
      );
      const nonce = `${credential.accessKeyId}\n${headers['x-acs-signature-nonce'] ?? ''}`;
      if (this.nonces.has(nonce)) {
        throw new AliyunFailure('SignatureNonceUsed', 'Specified signature nonce was used already.');
      }
      this.nonces.add(nonce);

      // faultRate applies to every action, the Describe* queries included: a client must retry its polls too.
      const fault = this.faults.next(action);
      if (fault) {
        record.fault = fault.kind;
        if (fault.kind === 'delay') delayMs = nonNegative('delay fault ms', fault.ms);
        else return { reply: faultReply(fault, record, requestId), delayMs };
      }

      if (!this.limiter.tryAdmit(action, performance.now())) {
        throw new AliyunFailure('Throttling.User', 'Request was denied due to user flow control.', 429);
      }
      if (params instanceof AliyunFailure) throw params;
      const result = this.options.handle(action, { params, requestId, nowMs: Date.now() });
      record.outcome = 'accepted';
      if (result.task) record.taskIds = result.task.taskIds;
      return { reply: answer(record, 200, { RequestId: requestId, ...result.response }), delayMs };
    } catch (error) {
      if (!(error instanceof AliyunFailure)) throw error;
      record.outcome = 'error';
      return { reply: errorReply(record, requestId, error.code, error.message, error.status), delayMs };
    }
  }

  /** Step 1 of the pipeline: what every request needs before its signature can be checked. */
  private checkProtocol(req: IncomingMessage, url: URL, headers: Record<string, string>): AliyunAction {
    if (req.method !== 'POST') {
      throw new AliyunFailure('UnsupportedHTTPMethod', `Only POST is served here, not ${req.method}.`);
    }
    if (url.pathname !== '/') {
      throw new AliyunFailure(
        'InvalidAction.NotFound',
        `Specified api is not found: the path is ${url.pathname}, not /.`,
        404,
      );
    }
    const action = headers['x-acs-action'];
    const version = headers['x-acs-version'];
    if (!action) throw missingHeader('x-acs-action');
    if (!version) throw missingHeader('x-acs-version');
    if (version !== ALIYUN_API_VERSION) {
      throw new AliyunFailure(
        'InvalidVersion',
        `Specified parameter Version ${version} is not valid: use ${ALIYUN_API_VERSION}.`,
      );
    }
    if (!(ALIYUN_ACTIONS as readonly string[]).includes(action)) {
      throw new AliyunFailure(
        'InvalidAction.NotFound',
        `Specified api ${action} is not found in cdn ${ALIYUN_API_VERSION}.`,
        404,
      );
    }
    if (!headers['x-acs-signature-nonce']) {
      throw new AliyunFailure('MissingSignatureNonce', 'The x-acs-signature-nonce header is missing.');
    }
    return action as AliyunAction;
  }
}

/**
 * The parameters of a request: the query string and an application/x-www-form-urlencoded body ('+' is a
 * space, %XX an UTF-8 byte). A name given twice, or an undecodable body, is an InvalidParameter.
 */
function decodeParams(
  query: URLSearchParams,
  contentType: string | undefined,
  raw: Buffer,
): Record<string, string> {
  const params: Record<string, string> = {};
  const add = (name: string, value: string): void => {
    if (Object.hasOwn(params, name)) throw invalidParameter(name, 'given more than once');
    params[name] = value;
  };
  for (const [name, value] of query) add(name, value);
  if (raw.length === 0) return params;
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw invalidParameter(
      'Content-Type',
      `parameters are read from an application/x-www-form-urlencoded body, not ${contentType === undefined ? 'a body without Content-Type' : `"${contentType}"`}`,
    );
  }
  for (const pair of raw.toString('utf8').split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodeForm(at < 0 ? pair : pair.slice(0, at));
    const value = decodeForm(at < 0 ? '' : pair.slice(at + 1));
    if (name === undefined || value === undefined) {
      throw invalidParameter('body', `"${pair.slice(0, 80)}" is not form-encoded`);
    }
    add(name, value);
  }
  return params;
}

function decodeForm(text: string): string | undefined {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function faultReply(
  fault: Exclude<AppliedFault, { kind: 'delay' }>,
  record: AliyunRecordedRequest,
  requestId: string,
): Reply {
  record.outcome = 'fault';
  switch (fault.kind) {
    case 'error': {
      const status =
        'status' in fault && typeof fault.status === 'number' ? fault.status : defaultStatus(fault.code);
      return errorReply(
        record,
        requestId,
        fault.code,
        fault.message ?? `${fault.code} (emulated fault)`,
        status,
      );
    }
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

/** The HTTP status an error fault is answered with when it names none. */
function defaultStatus(code: string): number {
  if (code.startsWith('Throttling')) return 429;
  if (code === 'ServiceUnavailable' || code === 'ServiceBusy') return 503;
  if (code.startsWith('InternalError')) return 500;
  return 400;
}

function answer(record: AliyunRecordedRequest, status: number, body: Record<string, unknown>): Reply {
  if (typeof body.RequestId === 'string') record.requestId = body.RequestId;
  record.status = status;
  return { kind: 'json', status, body };
}

function errorReply(
  record: AliyunRecordedRequest,
  requestId: string,
  code: string,
  message: string,
  status: number,
): Reply {
  record.errorCode = code;
  return answer(record, status, {
    RequestId: requestId,
    HostId: ALIYUN_HOST_ID,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Cdn&requestId=${requestId}`,
  });
}

function missingHeader(name: string): AliyunFailure {
  return new AliyunFailure(
    'MissingParameter',
    `The ${name} header that is mandatory for this request is missing.`,
  );
}
