import { afterEach, describe, expect, it } from 'vitest';
import {
  ALIYUN_STS_DEFAULTS,
  type OidcEmulator,
  type OidcEmulatorOptions,
  startOidcEmulator,
  TENCENT_STS_DEFAULTS,
} from '../fakes/oidc/emulator.js';
import { startTencentCdnEmulator } from '../fakes/tencent-cdn/emulator.js';
import { runInProcess } from '../support/run-in-process.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const URL_A = 'https://www.example.com/a.js';

async function oidc(options: OidcEmulatorOptions = {}): Promise<OidcEmulator> {
  const emulator = await startOidcEmulator(options);
  closers.push(() => emulator.close());
  return emulator;
}

/** The environment a job with `permissions: id-token: write` has. */
const jobEnv = (sts: OidcEmulator): Record<string, string> => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: sts.tokenUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: sts.requestToken,
  GITHUB_REPOSITORY: 'owner/site',
  GITHUB_RUN_ID: '4242',
});

describe('keyless credentials, run in process', () => {
  it('says which permission to add when the job may not request an OIDC token, and sends nothing', async () => {
    const cdn = await startTencentCdnEmulator();
    closers.push(() => cdn.close());
    const run = await runInProcess({
      provider: 'tencent-cdn',
      urls: URL_A,
      endpoint: cdn.url,
      'role-arn': TENCENT_STS_DEFAULTS.roleArn,
      'oidc-provider': 'github-actions',
    });
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('id-token: write');
    expect(run.stdout).toContain('permissions:');
    expect(cdn.requests).toEqual([]);
    expect(JSON.parse(run.outputs.failed ?? '[]')).toEqual([
      expect.objectContaining({ url: URL_A, code: 'OidcTokenUnavailable' }),
    ]);
  });

  it.each<[string, OidcEmulatorOptions, string, string, string]>([
    [
      'Tencent: the token refused',
      { tencent: { failWith: 'InvalidParameter.WebIdentityTokenError' } },
      'tencent-cdn',
      'InvalidParameter.WebIdentityTokenError',
      'audience',
    ],
    [
      'Tencent: the wrong audience',
      { tencent: { audience: 'another-client-id' } },
      'tencent-cdn',
      'InvalidParameter.WebIdentityTokenError',
      'audience',
    ],
    [
      'Alibaba: no permission',
      { aliyun: { failWith: 'AuthenticationFail.NoPermission' } },
      'aliyun-cdn',
      'AuthenticationFail.NoPermission',
      'trust policy',
    ],
    [
      'Alibaba: no such role',
      { aliyun: { roleArn: 'acs:ram::1000000000000001:role/other' } },
      'aliyun-cdn',
      'EntityNotExist.Role',
      'role ARN',
    ],
    [
      'Alibaba: the wrong audience',
      { aliyun: { audience: 'other' } },
      'aliyun-cdn',
      'AuthenticationFail.OIDCToken.AudienceNotMatch',
      'audience',
    ],
  ])(
    '%s: the provider code and the likely cause, nothing sent to the CDN',
    async (_name, options, provider, code, hint) => {
      const sts = await oidc(options);
      const isAliyun = provider === 'aliyun-cdn';
      const run = await runInProcess(
        {
          provider,
          urls: URL_A,
          endpoint: 'http://127.0.0.1:9', // never reached
          'role-arn': isAliyun ? ALIYUN_STS_DEFAULTS.roleArn : TENCENT_STS_DEFAULTS.roleArn,
          'oidc-provider': isAliyun ? ALIYUN_STS_DEFAULTS.providerArn : TENCENT_STS_DEFAULTS.providerId,
          'sts-endpoint': sts.url,
        },
        undefined,
        jobEnv(sts),
      );
      expect(run.exitCode).toBe(1);
      const error =
        run.stdout.split('\n').find((line) => line.startsWith('::error::') && line.includes(code)) ?? '';
      expect(error).toContain('Likely cause:');
      expect(error.toLowerCase()).toContain(hint.toLowerCase());
    },
  );

  it('refuses role-arn together with long-lived keys', async () => {
    const run = await runInProcess({
      provider: 'tencent-cdn',
      urls: URL_A,
      'role-arn': TENCENT_STS_DEFAULTS.roleArn,
      'oidc-provider': 'github-actions',
      'secret-id': 'AKIDx',
      'secret-key': 'k',
    });
    expect(run.exitCode).toBe(1);
    expect(run.errors[0]).toContain(
      `Input 'role-arn' has the value "${TENCENT_STS_DEFAULTS.roleArn}": either role-arn`,
    );
  });
});
