/** Credentials with a line break or another control character: an input error naming where they came from. */
import { describe, expect, it } from 'vitest';
import { refusalOf, settingsFrom } from '../support/settings.js';

const BASE = { provider: 'tencent-cdn', urls: 'https://www.example.com/a.js' };
const SECRET = 'Gu5t9xYz0AbCdEfGhIjKlMnOpQrStUv';

describe('credentials with control characters', () => {
  it.each([
    ['secret-id', 'AKIDabc\ndef'],
    ['secret-key', `${SECRET}\r`],
    ['secret-key', `${SECRET}\n${SECRET}`],
    ['secret-key', `a\tb${SECRET}`],
    ['session-token', `tok\u0000en${SECRET}`],
    ['session-token', `tok\u007fen${SECRET}`],
    ['secret-key', `tok\u0085en${SECRET}`],
  ])('refuses the %s input %j, without showing it', (input, value) => {
    const error = refusalOf({ ...BASE, 'secret-id': 'AKIDok', 'secret-key': SECRET, [input]: value });
    expect(error.input).toBe(input);
    expect(error.value).toBe('');
    expect(error.message).toBe(
      `Input '${input}' (its value is not shown: it may hold a secret): the value of the ${input} input contains a line break or another control character; store the secret again without it`,
    );
  });

  it.each([
    ['TENCENTCLOUD_SECRET_ID', 'secret-id'],
    ['TENCENTCLOUD_SECRET_KEY', 'secret-key'],
    ['TENCENTCLOUD_SESSION_TOKEN', 'session-token'],
  ])('refuses the environment variable %s with a final line break, naming it', (variable, input) => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDok',
      TENCENTCLOUD_SECRET_KEY: SECRET,
      [variable]: `${SECRET}\n`,
    };
    const error = refusalOf(BASE, env);
    expect(error.input).toBe(input);
    expect(error.message).toContain(
      `the value of the environment variable ${variable} contains a line break`,
    );
    expect(error.message).not.toContain(SECRET);
  });

  it('refuses them in a dry run too, and takes spaces and non-ASCII letters as they are', () => {
    expect(refusalOf({ ...BASE, 'dry-run': 'true', 'secret-key': 'a\nb' }).input).toBe('secret-key');
    const credentials = settingsFrom({ ...BASE, 'secret-id': 'AKID ok', 'secret-key': 'ключ é' }).credentials;
    expect(credentials).toEqual({ secretId: 'AKID ok', secretKey: 'ключ é', sessionToken: undefined });
  });

  it('checks the input, not the variable it overrides', () => {
    const env = { TENCENTCLOUD_SECRET_KEY: 'bad\nkey' };
    const credentials = settingsFrom(
      { ...BASE, 'secret-id': 'AKIDok', 'secret-key': SECRET },
      env,
    ).credentials;
    expect(credentials?.secretKey).toBe(SECRET);
  });
});
