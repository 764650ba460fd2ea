/**
 * The HTTP side of an emulated Tencent Cloud API 3.0 service (cdn, teo), on the shared `ApiServer`, with the
 * service's actions plugged in as a `handle` function. Its steps of the pipeline:
 * 1. protocol: `POST /`, Content-Type application/json, X-TC-Action / X-TC-Version / X-TC-Timestamp present,
 *    the service's version (else NoSuchVersion), a known action;
 * 2. signature: recomputed with the official SDK's `Sign.sign3` for the service, clock skew, credential scope,
 *    X-TC-Token;
 * 3. faults, then 4. the rate limit per action (RequestLimitExceeded), as every emulated API;
 * 5. the body must be JSON, then the action (`handle`) validates it and carries it out.
 * Business errors are answered as Tencent does: HTTP 200 with `Response.Error` and a RequestId.
 */
import type { IncomingMessage } from 'node:http';
import { parseJson } from '../../../src/providers/json.js';
import { ApiFailure } from '../shared/api-failure.js';
import { ApiServer, type CallContext, type ServerOptions } from '../shared/api-server.js';
import type { Fault } from '../shared/faults.js';
import { header } from '../shared/http.js';
import type { EmulatorCredential } from './credentials.js';
import type { RecordedRequest } from './recorded-request.js';
import { type TencentServiceName, verifySignature } from './signature.js';

/** What an action gets once its request is signed, admitted and free of faults. */
export interface ActionCall extends CallContext {
  /** The body, already parsed as JSON. */
  body: unknown;
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

/** The options every emulated Tencent service takes. */
export interface TencentServerOptions extends ServerOptions {
  credentials?: EmulatorCredential[];
}

export class TencentApiServer<Action extends string> extends ApiServer<
  Action,
  unknown,
  RecordedRequest,
  Fault,
  EmulatorCredential
> {
  constructor(
    private readonly spec: ServiceSpec<Action>,
    options: TencentServerOptions,
    defaultCredentials: EmulatorCredential,
  ) {
    super(
      { name: `${spec.service} emulator`, jsonContentType: 'application/json', gateway: 'stgw' },
      options,
      options.credentials ?? [defaultCredentials],
      spec.randomFaults,
    );
  }

  protected override newRecord(headers: Record<string, string>, receivedAt: number): RecordedRequest {
    return {
      action: headers['x-tc-action'] ?? '',
      headers,
      rawBody: '',
      body: undefined,
      receivedAt,
      outcome: 'error',
    };
  }

  protected override parse(_req: IncomingMessage, _raw: Buffer, record: RecordedRequest): unknown {
    record.body = parseJson(record.rawBody);
    return record.body;
  }

  protected override authenticate(req: IncomingMessage, raw: Buffer): Action {
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
      this.now(),
      this.spec.service,
    );
    return action;
  }

  protected override carryOut(
    action: Action,
    body: unknown,
    call: CallContext,
    record: RecordedRequest,
  ): Record<string, unknown> {
    if (body === undefined) throw new ApiFailure('InvalidParameter', 'The request body is not valid JSON.');
    const result = this.spec.handle(action, { body, ...call });
    if (result.taskId !== undefined) record.taskId = result.taskId;
    return result.response;
  }

  protected override rateLimited(action: Action): ApiFailure {
    return new ApiFailure(
      'RequestLimitExceeded',
      `Too many ${action} requests: the rate limit was exceeded.`,
    );
  }

  protected override faultFailure(code: string, message: string): ApiFailure {
    return new ApiFailure(code, message);
  }

  protected override refusal(failure: ApiFailure): { status: number; fields: Record<string, unknown> } {
    return { status: 200, fields: { Error: { Code: failure.code, Message: failure.message } } };
  }

  protected override envelope(requestId: string, fields: Record<string, unknown>): unknown {
    return { Response: { ...fields, RequestId: requestId } };
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
