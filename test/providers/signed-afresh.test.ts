/**
 * A retry may come minutes after the first attempt (backoff, a long run, a wait in between), and the providers
 * refuse a request signed more than 5 minutes before it arrives: every attempt is signed with the time it is sent
 * at (and, for Alibaba, a nonce of its own), never with what was fixed when the provider connected.
 */
import { describe, expect, it } from 'vitest';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { HttpRequest } from '../../src/providers/transport.js';
import { FakeClock } from '../support/fake-clock.js';
import { settingsFrom } from '../support/settings.js';

const TEN_MINUTES = 10 * 60_000;
const START = Date.UTC(2026, 2, 1, 23, 55, 0);

/** Connects the provider on a fake clock, submits twice, ten minutes apart, and returns both requests' headers. */
async function twoAttempts(inputs: Record<string, string>): Promise<Array<Record<string, string>>> {
  const settings = settingsFrom({
    urls: 'https://www.example.com/a.js',
    'secret-id': 'AKIDEXAMPLE',
    'secret-key': 'secret-key-example',
    ...inputs,
  });
  const provider = PROVIDERS.find((known) => known.id === inputs.provider);
  if (!provider || !settings.credentials) throw new Error(`no provider ${inputs.provider}`);
  const credentials = settings.credentials;
  const sent: HttpRequest[] = [];
  const clock = new FakeClock(START);
  const connection = provider.connect(
    {
      settings,
      credentials: async () => credentials,
      // A gateway error: retryable, so the engine would send the batch again.
      send: async (request) => {
        sent.push(request);
        return { status: 502, body: 'Bad Gateway' };
      },
      now: clock.now,
      timeoutMs: 1000,
    },
    settings.providerSettings.options,
  );
  await expect(connection.submit('purge-urls', ['https://www.example.com/a.js'])).rejects.toThrow();
  clock.advance(TEN_MINUTES);
  await expect(connection.submit('purge-urls', ['https://www.example.com/a.js'])).rejects.toThrow();
  return sent.map((request) => request.headers);
}

describe('a retry ten minutes later is signed afresh', () => {
  it.each([
    ['tencent-cdn', {}],
    ['tencent-edgeone', { 'zone-id': 'zone-2o0i4example' }],
  ])('%s: X-TC-Timestamp and the credential date of the authorization move on', async (provider, inputs) => {
    const [first, second] = await twoAttempts({ provider, ...inputs });
    expect(first?.['x-tc-timestamp']).toBe(String(START / 1000));
    expect(second?.['x-tc-timestamp']).toBe(String((START + TEN_MINUTES) / 1000));
    // 23:55 UTC, then 00:05 UTC the next day: the signature's scope follows the UTC date of each attempt.
    expect(first?.authorization).toContain('Credential=AKIDEXAMPLE/2026-03-01/');
    expect(second?.authorization).toContain('Credential=AKIDEXAMPLE/2026-03-02/');
  });

  it('aliyun-cdn: x-acs-date moves on and the nonce is new', async () => {
    const [first, second] = await twoAttempts({ provider: 'aliyun-cdn' });
    expect(first?.['x-acs-date']).toBe('2026-03-01T23:55:00Z');
    expect(second?.['x-acs-date']).toBe('2026-03-02T00:05:00Z');
    expect(second?.['x-acs-signature-nonce']).toMatch(/^[0-9a-f]{32}$/);
    expect(second?.['x-acs-signature-nonce']).not.toBe(first?.['x-acs-signature-nonce']);
    expect(second?.authorization).not.toBe(first?.authorization);
  });
});
