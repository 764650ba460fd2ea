import { InputError } from '../errors.js';
import type { CredentialVariables } from '../providers/provider.js';
import type { Credentials } from '../settings.js';
import { hasControlCharacter } from '../text.js';
import type { InputContext } from './values.js';

const CREDENTIAL_INPUTS = ['secret-id', 'secret-key', 'session-token', 'github-token'];

/** The static keys from the inputs, else the provider's environment variables; undefined only in a dry run. */
export function readCredentials(
  ctx: InputContext,
  variables: CredentialVariables,
  dryRun: boolean,
): Credentials | undefined {
  const secretId = readCredential(ctx, 'secret-id', variables.id);
  const secretKey = readCredential(ctx, 'secret-key', variables.key);
  const sessionToken = readCredential(ctx, 'session-token', variables.token) || undefined;
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
 * The input, else the environment variable; '' when neither is set. A line break or another control character
 * (a secret pasted with its final newline) is refused here, naming where the value came from: sent on, it would
 * only come back as a signature failure.
 */
function readCredential(ctx: InputContext, input: string, variable: string): string {
  const fromInput = ctx.read(input);
  const value = fromInput || ctx.env[variable] || '';
  if (hasControlCharacter(value)) {
    const source = fromInput ? `the ${input} input` : `the environment variable ${variable}`;
    throw new InputError(
      input,
      '',
      `the value of ${source} contains a line break or another control character; store the secret again without it`,
    );
  }
  return value;
}

/**
 * Every credential value of the inputs and of every provider's variables, to register as secrets before anything
 * can be logged (before the provider is even known: a bad provider input must not print a key either).
 */
export function credentialValues(
  ctx: InputContext,
  providers: readonly { credentialVariables: CredentialVariables }[],
): string[] {
  const values = [
    ...CREDENTIAL_INPUTS.map((name) => ctx.read(name)),
    ...providers.flatMap(({ credentialVariables: { id, key, token } }) =>
      [id, key, token].map((name) => ctx.env[name] ?? ''),
    ),
  ];
  return [...new Set(values)].filter((value) => value !== '');
}
