import { describe, expect, it } from 'vitest';
import type { InputError } from '../../src/errors.js';
import type { Settings } from '../../src/settings.js';
import { refusalOf, settingsFrom } from '../support/settings.js';

const TENCENT_ROLE = 'qcs::cam::uin/100000000001:roleName/cdn-purge';
const ALIYUN_ROLE = 'acs:ram::1000000000000001:role/cdn-purge';
const ALIYUN_PROVIDER = 'acs:ram::1000000000000001:oidc-provider/github';

const settings = (inputs: Record<string, string>, env: Record<string, string> = {}): Settings =>
  settingsFrom({ provider: 'tencent-cdn', urls: 'https://www.example.com/a.js', ...inputs }, env);
const refusal = (inputs: Record<string, string>): InputError =>
  refusalOf({ provider: 'tencent-cdn', urls: 'https://www.example.com/a.js', ...inputs });

describe('role-arn and its inputs', () => {
  it('reads a Tencent role with defaults for the audience, the session name and the duration, and needs no keys', () => {
    const read = settings(
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'github-actions' },
      { GITHUB_REPOSITORY: 'Owner/My Site', GITHUB_RUN_ID: '77' },
    );
    expect(read.credentials).toBeUndefined();
    expect(read.oidc).toEqual({
      roleArn: TENCENT_ROLE,
      provider: 'github-actions',
      audience: 'sts.tencentcloudapi.com',
      sessionName: 'github-Owner-My-Site-77',
      durationSeconds: 3600,
      stsEndpoint: undefined,
    });
  });

  it('reads an Alibaba role with its own default audience', () => {
    const read = settings({
      provider: 'aliyun-cdn',
      'role-arn': ALIYUN_ROLE,
      'oidc-provider': ALIYUN_PROVIDER,
      'role-duration-seconds': '900',
      'role-session-name': 'deploy@site',
      'sts-endpoint': 'http://127.0.0.1:8080',
    });
    expect(read.oidc).toEqual({
      roleArn: ALIYUN_ROLE,
      provider: ALIYUN_PROVIDER,
      audience: 'sts.aliyuncs.com',
      sessionName: 'deploy@site',
      durationSeconds: 900,
      stsEndpoint: new URL('http://127.0.0.1:8080'),
    });
  });

  it.each<[string, Record<string, string>, string, string]>([
    [
      'a Tencent role in Alibaba form',
      { 'role-arn': ALIYUN_ROLE, 'oidc-provider': 'x' },
      'role-arn',
      'qcs::cam::uin/100000000001:roleName/github-deploy',
    ],
    [
      'an Alibaba role in Tencent form',
      { provider: 'aliyun-cdn', 'role-arn': TENCENT_ROLE, 'oidc-provider': ALIYUN_PROVIDER },
      'role-arn',
      'acs:ram::1234567890123456:role/github-deploy',
    ],
    [
      'no oidc-provider',
      { 'role-arn': TENCENT_ROLE },
      'oidc-provider',
      'the name of the OIDC identity provider in CAM',
    ],
    [
      'an Alibaba provider that is not an ARN',
      { provider: 'aliyun-cdn', 'role-arn': ALIYUN_ROLE, 'oidc-provider': 'github' },
      'oidc-provider',
      'the ARN of the OIDC provider in RAM',
    ],
    [
      'role-arn with secret-id',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', 'secret-id': 'AKID' },
      'role-arn',
      'not both: remove secret-id',
    ],
    [
      'role-arn with session-token',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', 'session-token': 't' },
      'role-arn',
      'remove session-token',
    ],
    [
      'a session name with a space',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', 'role-session-name': 'a b' },
      'role-session-name',
      '2 to 64 of the characters',
    ],
    [
      'a duration too short',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', 'role-duration-seconds': '60' },
      'role-duration-seconds',
      'from 900 to 43200',
    ],
    [
      'an audience with a space',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', audience: 'a b' },
      'audience',
      'without whitespace',
    ],
    [
      'an http sts-endpoint off loopback',
      { 'role-arn': TENCENT_ROLE, 'oidc-provider': 'g', 'sts-endpoint': 'http://sts.example.com' },
      'sts-endpoint',
      'only for a loopback host',
    ],
    [
      'oidc-provider without role-arn',
      { 'oidc-provider': 'github', 'secret-id': 'a', 'secret-key': 'b' },
      'oidc-provider',
      'goes with role-arn, which is not set',
    ],
  ])('refuses %s', (_name, inputs, input, message) => {
    const error = refusal(inputs);
    expect(error.input).toBe(input);
    expect(error.message).toContain(message);
  });
});
