/**
 * What the keyless (GitHub OIDC) credential exchanges share: the request they take, the temporary credentials
 * they return, and how an answer or a transport failure becomes an `StsError` (docs/keyless.md).
 */
import { StsError, TransportError } from '../errors.js';
import type { TemporaryCredentials } from './provider.js';

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
