import { InputError } from '../errors.js';
import { defaultSessionName } from '../providers/sts.js';
import { hasControlCharacter } from '../text.js';
import type { InputContext, ProviderId } from './read-settings.js';
import { readEndpoint, readInteger, refuseIfSet } from './values.js';

export interface OidcSettings {
  roleArn: string;
  /** Tencent: the identity provider's name in CAM (ProviderId); Alibaba: the OIDC provider's ARN. */
  provider: string;
  audience: string;
  sessionName: string;
  durationSeconds: number;
  /** Overrides the STS endpoint (https, or http on a loopback host, for tests). */
  stsEndpoint: URL | undefined;
}

const OIDC_INPUTS = [
  'oidc-provider',
  'audience',
  'role-session-name',
  'role-duration-seconds',
  'sts-endpoint',
];

/** Per cloud: the role ARN, the identity provider and the default audience (PROTOCOLS.md §4). */
const OIDC_RULES: Record<
  'tencent' | 'aliyun',
  { role: RegExp; roleExample: string; provider: RegExp; providerAccepted: string; audience: string }
> = {
  tencent: {
    role: /^qcs::cam::uin\/\d+:roleName\/[\w+=,.@-]{1,128}$/,
    roleExample: 'qcs::cam::uin/100000000001:roleName/github-deploy',
    provider: /^[\w.-]{1,128}$/,
    providerAccepted: 'the name of the OIDC identity provider in CAM, such as github-actions',
    audience: 'sts.tencentcloudapi.com',
  },
  aliyun: {
    role: /^acs:ram::\d+:role\/[\w.@-]{1,64}$/,
    roleExample: 'acs:ram::1234567890123456:role/github-deploy',
    provider: /^acs:ram::\d+:oidc-provider\/[\w.-]{1,128}$/,
    providerAccepted:
      'the ARN of the OIDC provider in RAM, such as acs:ram::1234567890123456:oidc-provider/github',
    audience: 'sts.aliyuncs.com',
  },
};

export function readOidc(ctx: InputContext, provider: ProviderId): OidcSettings | undefined {
  const { read } = ctx;
  const roleArn = read('role-arn');
  if (roleArn === '') {
    refuseIfSet(
      read,
      OIDC_INPUTS,
      "goes with role-arn, which is not set: set role-arn to assume a role with the job's GitHub OIDC token",
    );
    return undefined;
  }
  const rules = OIDC_RULES[provider === 'aliyun-cdn' ? 'aliyun' : 'tencent'];
  if (!rules.role.test(roleArn)) {
    throw new InputError('role-arn', roleArn, `expected a role ARN such as ${rules.roleExample}`);
  }
  for (const name of ['secret-id', 'secret-key', 'session-token']) {
    if (read(name) !== '') {
      throw new InputError(
        'role-arn',
        roleArn,
        `either role-arn (keyless, through GitHub OIDC) or ${name} with long-lived keys, not both: remove ${name}`,
      );
    }
  }
  const oidcProvider = read('oidc-provider');
  if (!rules.provider.test(oidcProvider)) {
    throw new InputError('oidc-provider', oidcProvider, `required with role-arn: ${rules.providerAccepted}`);
  }
  const audience = read('audience') || rules.audience;
  if (/\s/u.test(audience) || hasControlCharacter(audience)) {
    throw new InputError(
      'audience',
      audience,
      'expected the Client ID registered for the identity provider, without whitespace',
    );
  }
  const sessionName =
    read('role-session-name') || defaultSessionName(ctx.env.GITHUB_REPOSITORY, ctx.env.GITHUB_RUN_ID);
  if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) {
    throw new InputError('role-session-name', sessionName, '2 to 64 of the characters A-Z a-z 0-9 . @ _ -');
  }
  return {
    roleArn,
    provider: oidcProvider,
    audience,
    sessionName,
    durationSeconds: readInteger(read, 'role-duration-seconds', 3600, 900, 43_200),
    stsEndpoint: readEndpoint('sts-endpoint', read('sts-endpoint')),
  };
}
