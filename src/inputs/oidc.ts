import { InputError } from '../errors.js';
import type { KeylessRules } from '../providers/provider.js';
import type { OidcSettings } from '../settings.js';
import { hasControlCharacter } from '../text.js';
import { type InputContext, readEndpoint, readInteger, refuseIfSet } from './values.js';

const OIDC_INPUTS = [
  'oidc-provider',
  'audience',
  'role-session-name',
  'role-duration-seconds',
  'sts-endpoint',
];

/** The keyless inputs, checked against the provider's formats; undefined without role-arn. */
export function readOidc(ctx: InputContext, rules: KeylessRules): OidcSettings | undefined {
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
  if (!rules.identityProvider.test(oidcProvider)) {
    throw new InputError(
      'oidc-provider',
      oidcProvider,
      `required with role-arn: ${rules.identityProviderAccepted}`,
    );
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
    stsEndpoint: readEndpoint('sts-endpoint', read('sts-endpoint'), rules.stsHosts),
  };
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
