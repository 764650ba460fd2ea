/** What a failed call says about its cause, in the words of the inputs that the user can change. */
import type { ApiError } from '../errors.js';
import type { CredentialVariables } from '../providers/provider.js';
import type { Settings } from '../settings.js';

/**
 * Error codes that say the credentials are wrong, whatever the provider: `AuthFailure.*` (Tencent),
 * `InvalidAccessKeyId.*`, `SignatureDoesNotMatch`, `InvalidSecurityToken.*` (Alibaba).
 */
const CREDENTIAL_FAILURE = /auth|accesskey|signature|securitytoken/i;

/** Where the refused credentials came from, when `error` refuses them; '' otherwise. */
export function credentialHint(error: ApiError, settings: Settings, variables: CredentialVariables): string {
  if (!CREDENTIAL_FAILURE.test(error.code)) return '';
  if (settings.oidc) {
    return ` The temporary credentials of role-arn (${settings.oidc.roleArn}) were refused: check the role's policy and the endpoint's site.`;
  }
  const token =
    settings.credentials?.sessionToken === undefined ? '' : ` and session-token (${variables.token})`;
  return ` Check the credentials: the inputs secret-id and secret-key${token}, or where they are empty the environment variables ${variables.id} and ${variables.key}; a wrong, disabled or deleted key, or a key of another account or site, is refused.`;
}

/** The failure of the quota read, the first call of a run, for every target it leaves unsent. */
export function quotaReadFailure(
  error: ApiError,
  settings: Settings,
  variables: CredentialVariables,
): string {
  return `not sent: the first call, reading today's quota, failed with ${error.describe()}.${credentialHint(error, settings, variables)}`;
}
