/**
 * What the keyless (GitHub OIDC) credential exchanges share: the temporary credentials they return, the error
 * they throw, and the default RoleSessionName (PROTOCOLS.md §4).
 */
import { type HttpSend, TransportError } from '../delivery/http.js';

/** Temporary credentials from an STS: an id, a secret and a session token that expire together. */
export interface TemporaryCredentials {
  /** Tencent TmpSecretId, Alibaba AccessKeyId (STS.…). */
  id: string;
  /** Tencent TmpSecretKey, Alibaba AccessKeySecret. */
  secret: string;
  /** Tencent Token (sent as X-TC-Token), Alibaba SecurityToken (sent as x-acs-security-token). */
  token: string;
  /** Unix ms */
  expiresAt: number;
}

/** What both STS exchanges take besides the identity: the role, the session, and how to send. */
export interface AssumeRoleRequest {
  /** The STS origin; the request goes to its root. */
  endpoint: URL;
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  send: HttpSend;
  /** Unix time in milliseconds, for the request's timestamp. */
  now: () => number;
  timeoutMs: number;
}

/**
 * An STS call that gave no credentials. `message` carries the provider's code and message, `hint` the likely
 * cause in plain words (what to check in the cloud console or the workflow), `retryable` whether the same call
 * may succeed if sent again (throttling, a transient failure at the STS, a network error).
 */
export class StsError extends Error {
  override readonly name = 'StsError';
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
    readonly requestId?: string,
    readonly retryable: boolean = false,
  ) {
    super(message);
  }

  /** One line for logs: the message, the RequestId when there is one, then the hint. */
  describe(): string {
    const id = this.requestId ? ` (RequestId ${this.requestId})` : '';
    return `${this.message}${id}. Likely cause: ${this.hint}`;
  }
}

const SESSION_NAME_MAX = 63;
const SESSION_PREFIX = 'github';

/**
 * `github-<repo>-<run id>`, every character outside `[A-Za-z0-9.@_-]` replaced by `-` (one `-` per code point),
 * at most 63 characters and at least 2 (it always starts with `github`). It satisfies both Tencent
 * (`[\w+=,.@-]`, 2–128) and Alibaba (2–64 of `[A-Za-z0-9.@_-]`). When it is too long the repository part is cut
 * so that the run id, the part that tells runs apart, stays whole; a missing or empty part is left out.
 */
export function defaultSessionName(repository: string | undefined, runId: string | undefined): string {
  const clean = (value: string | undefined): string =>
    (value ?? '').trim().replace(/[^A-Za-z0-9.@_-]/gu, '-');
  const repo = clean(repository);
  const run = clean(runId);
  const tail = run === '' ? '' : `-${run}`;
  // Room left for `-<repo>` once the prefix and the run id are in.
  const room = SESSION_NAME_MAX - SESSION_PREFIX.length - tail.length;
  const repoPart = repo === '' || room < 2 ? '' : `-${repo.slice(0, room - 1)}`;
  return `${SESSION_PREFIX}${repoPart}${tail}`.slice(0, SESSION_NAME_MAX);
}

/** The StsError of a request that got no HTTP answer: always worth another attempt. */
export function transportStsError(error: TransportError, endpoint: URL, service: string): StsError {
  return new StsError(
    error.code,
    `${error.code}: ${error.message}`,
    `could not reach the STS endpoint ${endpoint.origin} (${service}): check the network, the proxy settings and the endpoint`,
    undefined,
    true,
  );
}

/** Calls `send` and turns a TransportError into a retryable StsError; other errors pass through. */
export async function sendOrStsError<T>(
  attempt: () => Promise<T>,
  endpoint: URL,
  service: string,
): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof TransportError) throw transportStsError(error, endpoint, service);
    throw error;
  }
}

/** A value read from an STS answer, and the field it comes from, named in the error when it is missing. */
export interface AnswerField<T> {
  value: T | undefined;
  field: string;
}

/** The credentials of an STS answer, or an `InvalidResponse` StsError that names every missing field. */
export function credentialsOfAnswer(
  fields: {
    id: AnswerField<string>;
    secret: AnswerField<string>;
    token: AnswerField<string>;
    expiresAt: AnswerField<number>;
  },
  answer: { action: string; cloud: string; requestId: string | undefined },
): TemporaryCredentials {
  const { id, secret, token, expiresAt } = fields;
  if (
    id.value !== undefined &&
    secret.value !== undefined &&
    token.value !== undefined &&
    expiresAt.value !== undefined
  ) {
    return { id: id.value, secret: secret.value, token: token.value, expiresAt: expiresAt.value };
  }
  const missing = [id, secret, token, expiresAt].filter((f) => f.value === undefined).map((f) => f.field);
  throw new StsError(
    'InvalidResponse',
    `InvalidResponse: the ${answer.action} answer lacks ${missing.join(', ')}`,
    `the endpoint did not answer like ${answer.cloud} STS: check the STS endpoint`,
    answer.requestId,
  );
}

/** A non-empty string field, else undefined. */
export function stringField(record: Record<string, unknown>, name: string): string | undefined {
  const value = record[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
