/**
 * The HTTP side of the emulated Alibaba Cloud CDN API (RPC style, signature V3), on the shared `ApiServer`. Its
 * steps of the pipeline:
 * 1. protocol: `POST /`, x-acs-action / x-acs-version / x-acs-signature-nonce present, version 2018-05-10
 *    (else InvalidVersion), a known action (else 404 InvalidAction.NotFound);
 * 2. signature (`verifyAcs3`): Authorization form, AccessKeyId, x-acs-date within 15 minutes,
 *    x-acs-content-sha256 against the body, SignedHeaders, the signature recomputed with the official SDK,
 *    x-acs-security-token; then the nonce, which may never repeat (every nonce of a well-signed request is kept);
 * 3. faults, then 4. the rate limit per action (HTTP 429 Throttling.User), as every emulated API;
 * 5. the parameters (form body and query string), decoded as soon as the body is in, must have been readable;
 *    then the action checks and carries them out.
 * Errors are answered as Alibaba Cloud does: HTTP 4xx/5xx with `{RequestId, HostId, Code, Message, Recommend}`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiFailure } from '../shared/api-failure.js';
import { ApiServer, type CallContext, type ServerOptions } from '../shared/api-server.js';
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

export interface AliyunServerOptions extends ServerOptions {
  credentials: readonly AliyunEmulatorCredential[];
  handle(action: AliyunAction, call: AliyunCall): AliyunActionResult;
}

/** The parameters of a request, or why they cannot be read: answered once the request is known to be signed. */
type Params = Record<string, string> | AliyunFailure;

export class AliyunApiServer extends ApiServer<
  AliyunAction,
  Params,
  AliyunRecordedRequest,
  AliyunFault,
  AliyunEmulatorCredential
> {
  /** `<AccessKeyId>\n<nonce>` of every well-signed request. */
  private readonly nonces = new Set<string>();

  constructor(private readonly options: AliyunServerOptions) {
    super(
      { name: 'aliyun cdn emulator', jsonContentType: 'application/json;charset=utf-8', gateway: 'Tengine' },
      options,
      options.credentials,
      ALIYUN_RANDOM_FAULTS,
    );
  }

  protected override newRecord(headers: Record<string, string>, receivedAt: number): AliyunRecordedRequest {
    return {
      action: headers['x-acs-action'] ?? '',
      headers,
      rawBody: '',
      params: {},
      receivedAt,
      outcome: 'error',
    };
  }

  protected override newRequestId(): string {
    return randomUUID().toUpperCase();
  }

  protected override parse(req: IncomingMessage, raw: Buffer, record: AliyunRecordedRequest): Params {
    try {
      record.params = decodeParams(requestUrl(req).searchParams, record.headers['content-type'], raw);
      return record.params;
    } catch (error) {
      if (!(error instanceof AliyunFailure)) throw error;
      return error;
    }
  }

  /** Steps 1 and 2 of the pipeline: the protocol, the signature and the nonce. */
  protected override authenticate(
    req: IncomingMessage,
    raw: Buffer,
    { headers }: AliyunRecordedRequest,
  ): AliyunAction {
    const url = requestUrl(req);
    const action = checkProtocol(req, url, headers);
    const credential = verifyAcs3(
      {
        method: req.method ?? '',
        pathname: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body: raw,
      },
      this.credentials,
      this.now(),
    );
    const nonce = `${credential.accessKeyId}\n${headers['x-acs-signature-nonce'] ?? ''}`;
    if (this.nonces.has(nonce)) {
      throw new AliyunFailure('SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    this.nonces.add(nonce);
    return action;
  }

  protected override carryOut(
    action: AliyunAction,
    params: Params,
    call: CallContext,
    record: AliyunRecordedRequest,
  ): Record<string, unknown> {
    if (params instanceof AliyunFailure) throw params;
    const result = this.options.handle(action, { params, ...call });
    if (result.task) record.taskIds = result.task.taskIds;
    return result.response;
  }

  protected override rateLimited(): ApiFailure {
    return new AliyunFailure('Throttling.User', 'Request was denied due to user flow control.', 429);
  }

  protected override faultFailure(code: string, message: string, status: number | undefined): ApiFailure {
    return new AliyunFailure(code, message, status ?? defaultStatus(code));
  }

  protected override refusal(
    failure: ApiFailure,
    requestId: string,
  ): { status: number; fields: Record<string, unknown> } {
    const { code } = failure;
    return {
      status: failure instanceof AliyunFailure ? failure.status : 400,
      fields: {
        HostId: ALIYUN_HOST_ID,
        Code: code,
        Message: failure.message,
        Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=Cdn&requestId=${requestId}`,
      },
    };
  }

  protected override envelope(requestId: string, fields: Record<string, unknown>): unknown {
    return { RequestId: requestId, ...fields };
  }

  protected override answerHeaders(requestId: string): Record<string, string> {
    return { 'x-acs-request-id': requestId };
  }
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'http://emulator.invalid');
}

/** Step 1 of the pipeline: what every request needs before its signature can be checked. */
function checkProtocol(req: IncomingMessage, url: URL, headers: Record<string, string>): AliyunAction {
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

/** The HTTP status an error fault is answered with when it names none. */
function defaultStatus(code: string): number {
  if (code.startsWith('Throttling')) return 429;
  if (code === 'ServiceUnavailable' || code === 'ServiceBusy') return 503;
  if (code.startsWith('InternalError')) return 500;
  return 400;
}

function missingHeader(name: string): AliyunFailure {
  return new AliyunFailure(
    'MissingParameter',
    `The ${name} header that is mandatory for this request is missing.`,
  );
}
