import { InputError } from '../errors.js';
import type { CredentialVariables } from '../providers/provider.js';
import type { Credentials } from '../settings.js';
import type { InputContext } from './values.js';

const CREDENTIAL_INPUTS = ['secret-id', 'secret-key', 'session-token', 'github-token'];

/** The static keys from the inputs, else the provider's environment variables; undefined only in a dry run. */
export function readCredentials(
  ctx: InputContext,
  variables: CredentialVariables,
  dryRun: boolean,
): Credentials | undefined {
  const secretId = ctx.read('secret-id') || ctx.env[variables.id] || '';
  const secretKey = ctx.read('secret-key') || ctx.env[variables.key] || '';
  const sessionToken = ctx.read('session-token') || ctx.env[variables.token] || undefined;
  if (secretId !== '' && secretKey !== '') return { secretId, secretKey, sessionToken };
  if (dryRun) return undefined;
  const missing = secretId === '' ? 'secret-id' : 'secret-key';
  const envName = secretId === '' ? variables.id : variables.key;
  throw new InputError(
    missing,
    '',
    `required: pass it from a repository secret (${missing}: \${{ secrets.${envName} }}) or set the environment variable ${envName}`,
  );
}

/**
 * Every credential value of the inputs and of every provider's variables, to register as secrets before anything
 * can be logged (before the provider is even known: a bad provider input must not print a key either).
 */
export function credentialValues(ctx: InputContext, variables: readonly CredentialVariables[]): string[] {
  const values = [
    ...CREDENTIAL_INPUTS.map((name) => ctx.read(name)),
    ...variables.flatMap(({ id, key, token }) => [id, key, token].map((name) => ctx.env[name] ?? '')),
  ];
  return [...new Set(values)].filter((value) => value !== '');
}
