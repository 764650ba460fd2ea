/** A provider that echoes a header value or the user agent back: the value never reaches the log or the outputs. */
import { describe, expect, it } from 'vitest';
import { Secrets, secretForms } from '../../src/delivery/redact.js';
import { ApiError } from '../../src/errors.js';
import { fakeProvider } from '../support/fake-provider.js';
import { shownLog } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

const A = 'https://www.example.com/a.js';
const B = 'https://www.example.com/b.js';
const KEYS = { 'secret-id': 'fake-id', 'secret-key': 'fake-secret-key' };
const TOKEN = 'Bearer eyJhbGciOiJSUzI1NiJ9.payload.signature';

describe('what a provider says back', () => {
  it('is cleared of header values in errors thrown and in reasons given for refused targets', async () => {
    const fake = fakeProvider({
      submit: () => new ApiError('InvalidParameter', `header Authorization: ${TOKEN} refused`, 'batch'),
    });
    const run = await runInProcess(
      { provider: 'fake-cdn', mode: 'prefetch', urls: A, headers: `Authorization: ${TOKEN}`, ...KEYS },
      [fake.definition],
    );
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.failed ?? '[]')).toEqual([
      { url: A, code: 'InvalidParameter', message: 'Prefetch: header Authorization: *** refused' },
    ]);
    expect(shownLog(run.stdout) + run.summary).not.toContain('eyJhbGciOiJSUzI1NiJ9');

    const refusing = fakeProvider({
      submit: () => ({
        taskIds: ['t'],
        requestId: 'r',
        refused: [{ url: B, code: 'Refused', message: `echo ${TOKEN}` }],
      }),
    });
    const refused = await runInProcess(
      { provider: 'fake-cdn', mode: 'prefetch', urls: B, headers: `Authorization: ${TOKEN}`, ...KEYS },
      [refusing.definition],
    );
    expect(JSON.parse(refused.outputs.failed ?? '[]')).toEqual([
      { url: B, code: 'Refused', message: 'echo ***' },
    ]);
    expect(shownLog(refused.stdout) + refused.summary).not.toContain('eyJhbGciOiJSUzI1NiJ9');
  });

  it('clears values of 8 characters or more, and leaves shorter ones (1, gzip) as they are', async () => {
    const fake = fakeProvider({
      submit: () => new ApiError('InvalidParameter', 'values 12345678 and 1234567 and gzip', 'batch'),
    });
    const run = await runInProcess(
      {
        provider: 'fake-cdn',
        mode: 'prefetch',
        urls: A,
        headers: 'X-A: 12345678\nX-B: 1234567\nX-C: gzip',
        ...KEYS,
      },
      [fake.definition],
    );
    expect(JSON.parse(run.outputs.failed ?? '[]')[0].message).toBe(
      'Prefetch: values *** and 1234567 and gzip',
    );
  });
});

describe('the forms of a secret', () => {
  const value = 'Bearer  tok/en "x"';

  it('are the value, folded, JSON-escaped and percent-encoded', () => {
    expect(secretForms(value)).toEqual(
      expect.arrayContaining([
        value,
        'Bearer tok/en "x"',
        'Bearer  tok/en \\"x\\"',
        'Bearer  tok\\/en \\"x\\"',
        'Bearer%20%20tok%2Fen%20%22x%22',
        'Bearer++tok%2Fen+%22x%22',
        'Bearer%20%20tok%2fen%20%22x%22',
        'Bearer%20tok%2Fen%20%22x%22',
      ]),
    );
  });

  it('are cleared from a text before it is cut, in whichever form it holds them', () => {
    const secrets = new Secrets();
    secrets.add(value);
    secrets.add('short');
    const text = `a ${value} b ${JSON.stringify(value)} c ${encodeURIComponent(value)} d Bearer tok/en "x" short`;
    expect(secrets.scrub(text)).toBe('a *** b "***" c *** d *** short');
  });
});
