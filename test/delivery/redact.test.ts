/** A provider that echoes a header value or the user agent back: the value never reaches the log or the outputs. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { fakeProvider } from '../support/fake-provider.js';
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
    expect(run.stdout + run.summary).not.toContain('eyJhbGciOiJSUzI1NiJ9');

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
    expect(refused.stdout + refused.summary).not.toContain('eyJhbGciOiJSUzI1NiJ9');
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
