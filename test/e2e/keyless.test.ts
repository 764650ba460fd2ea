import { afterEach, describe, expect, it } from 'vitest';
import { startAliyunCdnEmulator } from '../fakes/aliyun-cdn/emulator.js';
import {
  ALIYUN_STS_DEFAULTS,
  type OidcEmulator,
  type OidcEmulatorOptions,
  startOidcEmulator,
  TENCENT_STS_DEFAULTS,
} from '../fakes/oidc/emulator.js';
import { startTencentCdnEmulator } from '../fakes/tencent-cdn/emulator.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const TENCENT_TMP = TENCENT_STS_DEFAULTS.credentials;
const ALIYUN_TMP = ALIYUN_STS_DEFAULTS.credentials;
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

/** No secret of the run appears in any log line but the ::add-mask:: lines that hide it. */
function expectNoSecrets(run: ActionRun, secrets: string[]): void {
  const log = `${run.stdout}\n${run.stderr}`
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  for (const secret of secrets) {
    expect(log).not.toContain(secret);
    expect(run.summary).not.toContain(secret);
    expect(JSON.stringify(run.outputs)).not.toContain(secret);
  }
}

describe('keyless credentials through the bundle', () => {
  it('Tencent CDN: exchanges the OIDC token unsigned, then signs with the temporary credentials and their token', async () => {
    const sts = await oidc();
    const cdn = await startTencentCdnEmulator({
      credentials: [
        { secretId: TENCENT_TMP.TmpSecretId, secretKey: TENCENT_TMP.TmpSecretKey, token: TENCENT_TMP.Token },
      ],
    });
    closers.push(() => cdn.close());
    const run = await runAction(
      {
        provider: 'tencent-cdn',
        urls: URL_A,
        endpoint: cdn.url,
        'role-arn': TENCENT_STS_DEFAULTS.roleArn,
        'oidc-provider': TENCENT_STS_DEFAULTS.providerId,
        'sts-endpoint': sts.url,
      },
      { env: jobEnv(sts) },
    );
    expect(run.exitCode).toBe(0);
    expect(sts.tokenRequests).toEqual([
      { audience: 'sts.tencentcloudapi.com', authorization: `Bearer ${sts.requestToken}` },
    ]);
    expect(sts.tencentRequests).toHaveLength(1);
    const exchange = sts.tencentRequests[0];
    expect(exchange?.headers.authorization).toBe('SKIP');
    expect(exchange?.headers['x-tc-action']).toBe('AssumeRoleWithWebIdentity');
    expect(exchange?.headers['x-tc-version']).toBe('2018-08-13');
    expect(exchange?.headers['x-tc-region']).toBe('ap-guangzhou');
    expect(exchange?.body).toEqual({
      ProviderId: 'github-actions',
      WebIdentityToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]*$/),
      RoleArn: TENCENT_STS_DEFAULTS.roleArn,
      RoleSessionName: 'github-owner-site-4242',
      DurationSeconds: 3600,
    });
    for (const request of cdn.requests) {
      expect(request.headers.authorization).toContain(`Credential=${TENCENT_TMP.TmpSecretId}/`);
      expect(request.headers['x-tc-token']).toBe(TENCENT_TMP.Token);
    }
    expect(cdn.accepted).toHaveLength(1);
    const webIdentityToken = String(
      (exchange?.body as { WebIdentityToken?: string } | undefined)?.WebIdentityToken,
    );
    for (const secret of [
      TENCENT_TMP.TmpSecretId,
      TENCENT_TMP.TmpSecretKey,
      TENCENT_TMP.Token,
      webIdentityToken,
    ]) {
      expect(run.stdout).toContain(`::add-mask::${secret}`);
    }
    expectNoSecrets(run, [TENCENT_TMP.TmpSecretKey, TENCENT_TMP.Token, webIdentityToken, sts.requestToken]);
  });

  it('Alibaba: exchanges the OIDC token anonymously, then signs with the STS credentials and x-acs-security-token', async () => {
    const sts = await oidc();
    const cdn = await startAliyunCdnEmulator({
      credentials: [
        {
          accessKeyId: ALIYUN_TMP.AccessKeyId,
          accessKeySecret: ALIYUN_TMP.AccessKeySecret,
          securityToken: ALIYUN_TMP.SecurityToken,
        },
      ],
    });
    closers.push(() => cdn.close());
    const run = await runAction(
      {
        provider: 'aliyun-cdn',
        urls: URL_A,
        endpoint: cdn.url,
        'role-arn': ALIYUN_STS_DEFAULTS.roleArn,
        'oidc-provider': ALIYUN_STS_DEFAULTS.providerArn,
        'sts-endpoint': sts.url,
        'role-duration-seconds': '900',
      },
      { env: jobEnv(sts) },
    );
    expect(run.exitCode).toBe(0);
    expect(sts.tokenRequests[0]?.audience).toBe('sts.aliyuncs.com');
    const exchange = sts.aliyunRequests[0];
    expect(exchange?.headers.authorization).toBeUndefined();
    expect(exchange?.query).toEqual(
      expect.objectContaining({ Action: 'AssumeRoleWithOIDC', Version: '2015-04-01', Format: 'JSON' }),
    );
    expect(exchange?.params).toEqual({
      OIDCProviderArn: ALIYUN_STS_DEFAULTS.providerArn,
      OIDCToken: expect.any(String),
      RoleArn: ALIYUN_STS_DEFAULTS.roleArn,
      RoleSessionName: 'github-owner-site-4242',
      DurationSeconds: '900',
    });
    for (const request of cdn.requests) {
      expect(request.headers.authorization).toContain(`Credential=${ALIYUN_TMP.AccessKeyId},`);
      expect(request.headers['x-acs-security-token']).toBe(ALIYUN_TMP.SecurityToken);
    }
    expectNoSecrets(run, [
      ALIYUN_TMP.AccessKeySecret,
      ALIYUN_TMP.SecurityToken,
      exchange?.params.OIDCToken ?? '',
    ]);
  });

  // The refusals (no id-token permission, the STS's errors, role-arn with keys) run in process:
  // test/delivery/keyless-run.test.ts.
});
