import { describe, expect, it } from 'vitest';
import {
  type KeylessDeps,
  keylessCredentials,
  MISSING_ID_TOKEN_PERMISSION,
} from '../../src/delivery/credentials.js';
import { ApiError } from '../../src/errors.js';
import { TENCENT_KEYLESS } from '../../src/providers/tencent/sts.js';
import type { HttpRequest } from '../../src/providers/transport.js';
import type { OidcSettings } from '../../src/settings.js';

const OIDC: OidcSettings = {
  roleArn: 'qcs::cam::uin/100000000001:roleName/cdn-purge',
  provider: 'github-actions',
  audience: 'sts.tencentcloudapi.com',
  sessionName: 'github-owner-site-1',
  durationSeconds: 900,
  stsEndpoint: new URL('http://127.0.0.1:9/'),
};

/** A Tencent STS that answers from a script; credentials live `lifetimeS` seconds from the fake clock. */
function harness(script: Array<'ok' | 'throttled'> = [], lifetimeS = 900) {
  let now = 1_700_000_000_000;
  const requests: HttpRequest[] = [];
  const masked: string[] = [];
  const deps: KeylessDeps = {
    getIdToken: async (audience) =>
      `header.${Buffer.from(JSON.stringify({ aud: audience })).toString('base64url')}.sig`,
    mask: (value) => masked.push(value),
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: 'http://127.0.0.1/token?x=1',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'bearer',
    },
    send: async (request) => {
      requests.push(request);
      const n = requests.length;
      if ((script[n - 1] ?? 'ok') === 'throttled') {
        return {
          status: 200,
          body: JSON.stringify({
            Response: { Error: { Code: 'RequestLimitExceeded', Message: 'slow down' }, RequestId: 'r' },
          }),
        };
      }
      return {
        status: 200,
        body: JSON.stringify({
          Response: {
            Credentials: { TmpSecretId: `id-${n}`, TmpSecretKey: `key-${n}`, Token: `token-${n}` },
            ExpiredTime: Math.floor(now / 1000) + lifetimeS,
            RequestId: `r-${n}`,
          },
        }),
      };
    },
    clock: {
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    },
    random: () => 0.5,
    timeoutMs: 1000,
  };
  return { deps, requests, masked, advance: (ms: number) => (now += ms) };
}

describe('keylessCredentials', () => {
  it("assumes the role once, masks the job's token and what it gets, and reuses it while it is fresh", async () => {
    const h = harness();
    const credentials = keylessCredentials(TENCENT_KEYLESS, 'china', OIDC, h.deps);
    expect(await credentials()).toEqual({ secretId: 'id-1', secretKey: 'key-1', sessionToken: 'token-1' });
    h.advance(60_000);
    expect((await credentials()).secretId).toBe('id-1');
    expect(h.requests).toHaveLength(1);
    const idToken = `header.${Buffer.from(JSON.stringify({ aud: OIDC.audience })).toString('base64url')}.sig`;
    expect(h.masked).toEqual([idToken, 'id-1', 'key-1', 'token-1']);
  });

  it('fetches fresh credentials when less than five minutes are left, once for concurrent requests', async () => {
    const h = harness();
    const credentials = keylessCredentials(TENCENT_KEYLESS, 'china', OIDC, h.deps);
    await credentials();
    h.advance(11 * 60_000); // 4 minutes left of 15
    const concurrent = await Promise.all([credentials(), credentials(), credentials()]);
    expect(concurrent.map((c) => c.secretId)).toEqual(['id-2', 'id-2', 'id-2']);
    expect(h.requests).toHaveLength(2);
  });

  it('retries a throttled STS and then goes on', async () => {
    const h = harness(['throttled', 'ok']);
    const credentials = keylessCredentials(TENCENT_KEYLESS, 'china', OIDC, h.deps);
    expect((await credentials()).secretId).toBe('id-2');
    expect(h.requests).toHaveLength(2);
  });

  it('stops the run with the permissions block when the job may not request a token', async () => {
    const h = harness();
    h.deps.env = {};
    const credentials = keylessCredentials(TENCENT_KEYLESS, 'china', OIDC, h.deps);
    const error = await credentials().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).disposition).toBe('run');
    expect((error as ApiError).message).toBe(MISSING_ID_TOKEN_PERMISSION);
    expect(MISSING_ID_TOKEN_PERMISSION).toContain('    id-token: write');
    expect(h.requests).toEqual([]);
  });

  it('uses sts.intl.tencentcloudapi.com for site intl when no sts-endpoint is given', async () => {
    const h = harness();
    const credentials = keylessCredentials(
      TENCENT_KEYLESS,
      'intl',
      { ...OIDC, stsEndpoint: undefined },
      h.deps,
    );
    await credentials();
    expect(h.requests[0]?.url.hostname).toBe('sts.intl.tencentcloudapi.com');
  });
});
