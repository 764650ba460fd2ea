import { ApiError, StsError } from '../errors.js';
import type { AssumeRoleRequest, KeylessRules, TemporaryCredentials } from '../providers/provider.js';
import type { HttpSend } from '../providers/transport.js';
import type { Credentials, OidcSettings, Site } from '../settings.js';
import { backoffDelay, type Clock } from './pacing.js';

export interface KeylessDeps {
  /** `core.getIDToken`: the job's OIDC token for an audience. */
  getIdToken: (audience: string) => Promise<string>;
  /** `core.setSecret`. */
  mask: (value: string) => void;
  env: Record<string, string | undefined>;
  send: HttpSend;
  clock: Clock;
  random: () => number;
  timeoutMs: number;
}

/** Fresh credentials are fetched when the current ones have less than this left. */
const RENEW_BEFORE_MS = 5 * 60_000;
const STS_ATTEMPTS = 3;

export const MISSING_ID_TOKEN_PERMISSION = [
  "role-arn needs the job's GitHub OIDC token, but the job may not request one (ACTIONS_ID_TOKEN_REQUEST_URL is not set).",
  'Give the job this permission in the workflow:',
  '  permissions:',
  '    id-token: write',
  '    contents: read',
  'Jobs triggered from forks get no OIDC token.',
].join('\n');

/**
 * Credentials from the role `oidc` names, assumed with the job's OIDC token; renewed when they are about to
 * expire, so that a run that outlives them (a long wait) goes on with new ones. A failure is an `ApiError` that
 * stops the run, with the provider's code and the likely cause in plain words.
 */
export function keylessCredentials(
  rules: KeylessRules,
  site: Site,
  oidc: OidcSettings,
  deps: KeylessDeps,
): () => Promise<Credentials> {
  const endpoint = oidc.stsEndpoint ?? rules.stsEndpoint(site);
  let current: Promise<TemporaryCredentials> | undefined;
  let expiresAt = 0;
  let renewing = false;
  return async () => {
    // Concurrent requests share one renewal instead of each assuming the role again.
    if (!current || (!renewing && expiresAt - deps.clock.now() < RENEW_BEFORE_MS)) {
      renewing = true;
      current = assume(rules, endpoint, oidc, deps)
        .then((fresh) => {
          expiresAt = fresh.expiresAt;
          return fresh;
        })
        .finally(() => {
          renewing = false;
        });
    }
    const { id, secret, token } = await current;
    return { secretId: id, secretKey: secret, sessionToken: token };
  };
}

async function assume(
  rules: KeylessRules,
  endpoint: URL,
  oidc: OidcSettings,
  deps: KeylessDeps,
): Promise<TemporaryCredentials> {
  if (!deps.env.ACTIONS_ID_TOKEN_REQUEST_URL || !deps.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN) {
    throw new ApiError('OidcTokenUnavailable', MISSING_ID_TOKEN_PERMISSION, 'run');
  }
  let idToken: string;
  try {
    idToken = await deps.getIdToken(oidc.audience);
    deps.mask(idToken);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      'OidcTokenUnavailable',
      `could not get the job's OIDC token for audience ${oidc.audience}: ${reason}`,
      'run',
    );
  }
  for (let attempt = 1; ; attempt++) {
    try {
      const credentials = await exchange(rules, endpoint, oidc, idToken, deps);
      for (const value of [credentials.id, credentials.secret, credentials.token]) deps.mask(value);
      return credentials;
    } catch (error) {
      if (!(error instanceof StsError)) throw error;
      if (error.retryable && attempt < STS_ATTEMPTS) {
        await deps.clock.sleep(backoffDelay(attempt, deps.random));
        continue;
      }
      throw new ApiError(error.code, `could not assume ${oidc.roleArn}: ${error.describe()}`, 'run', {
        requestId: error.requestId,
      });
    }
  }
}

function exchange(
  rules: KeylessRules,
  endpoint: URL,
  oidc: OidcSettings,
  idToken: string,
  deps: KeylessDeps,
): Promise<TemporaryCredentials> {
  const common: AssumeRoleRequest = {
    endpoint,
    roleArn: oidc.roleArn,
    roleSessionName: oidc.sessionName,
    durationSeconds: oidc.durationSeconds,
    send: deps.send,
    now: deps.clock.now,
    timeoutMs: deps.timeoutMs,
  };
  return rules.assumeRole(common, { provider: oidc.provider, token: idToken });
}
