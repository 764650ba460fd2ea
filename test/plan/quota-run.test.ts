/**
 * Quotas, run in process against the Tencent CDN emulator charging each domain's own area: the quota planned
 * against and a quota another job spends during the run. test/e2e/quota.test.ts keeps the least quota of a
 * deploy on the bundle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type EmulatorOptions,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import type { ActionRun } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

const HOST = 'www.example.com';
const urls = (n: number): string[] => Array.from({ length: n }, (_, i) => `https://${HOST}/a/${i}.js`);

/** A mainland domain (overseas has all 10,000 URL purges left) with 987 left in mainland after earlier purges. */
const MAINLAND_987: EmulatorOptions = {
  domainAreas: { [HOST]: 'mainland' },
  usedToday: { purgeUrls: { mainland: 10_000 - 987 } },
};

let emulator: TencentCdnEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function act(
  options: EmulatorOptions,
  targets: string[],
  inputs: Record<string, string> = {},
  before: (api: TencentCdnEmulator) => void = () => {},
): Promise<{ run: ActionRun; emulator: TencentCdnEmulator }> {
  emulator = await startTencentCdnEmulator(options);
  before(emulator);
  const run = await runInProcess(
    { ...stepInputs(emulator), 'urls-file': 'urls.txt', ...inputs },
    undefined,
    {},
    { files: { 'urls.txt': targets.join('\n') } },
  );
  return { run, emulator };
}

const accepted = (api: TencentCdnEmulator, field: 'urls' | 'paths'): string[] =>
  api.accepted.flatMap((task) => task[field] ?? []);

describe('the quota that will be charged', () => {
  it('plans a mainland domain against its 987 URL purges left: 987 are sent, 988 are not', async () => {
    const fits = await act(MAINLAND_987, urls(987), { coalesce: 'off' });
    expect(fits.run.exitCode).toBe(0);
    expect(accepted(fits.emulator, 'urls')).toHaveLength(987);
    const domains = fits.emulator.requests.find((request) => request.action === 'DescribeDomains');
    expect(domains?.body).toEqual({ Offset: 0, Limit: 1000, Filters: [{ Name: 'domain', Value: [HOST] }] });
    await fits.emulator.close();

    const short = await act(MAINLAND_987, urls(988), { coalesce: 'off' });
    expect(short.run.exitCode).toBe(1);
    expect(short.emulator.accepted).toEqual([]);
    expect(short.run.stdout).toContain(
      "not sent: today's quota is too small for this job: PurgeUrlsCache needs 988 but 987 of 10000 a day are available (mainland: read from DescribeDomains: www.example.com is served in mainland)",
    );
    expect(short.run.outputs['failed-count']).toBe('988');
  }, 60_000);

  it('without DescribeDomains allowed, plans against the scarcer area, says so once and suggests area', async () => {
    const denied = { ...MAINLAND_987, unauthorizedActions: ['DescribeDomains' as const] };
    const fits = await act(denied, urls(987), { coalesce: 'off' });
    expect(fits.run.exitCode).toBe(0);
    expect(accepted(fits.emulator, 'urls')).toHaveLength(987);
    const warnings = fits.run.stdout
      .split('\n')
      .filter((line) => line.includes('DescribeDomains: Unauthorized'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      '::warning::Could not read where the domains are served (DescribeDomains: UnauthorizedOperation.CdnCamUnauthorized: The credentials are not allowed to call cdn:DescribeDomains.',
    );
    expect(warnings[0]).toContain('Allow cdn:DescribeDomains (read only), or set `area`');
    await fits.emulator.close();

    const short = await act(denied, urls(988), { coalesce: 'off' });
    expect(short.run.exitCode).toBe(1);
    expect(short.emulator.accepted).toEqual([]);
    expect(short.run.stdout).toContain(
      'PurgeUrlsCache needs 988 but 987 of 10000 a day are available (mainland: the scarcer area: DescribeDomains was refused (UnauthorizedOperation.CdnCamUnauthorized), so where the domains are served is not known). Set `area` to where the domains are served (mainland or overseas), or allow cdn:DescribeDomains',
    );
  }, 60_000);

  it('with area given, reads no domains and plans against that area', async () => {
    const { run, emulator: api } = await act(MAINLAND_987, urls(988), { coalesce: 'off', area: 'overseas' });
    expect(api.requests.map((request) => request.action)).not.toContain('DescribeDomains');
    // Overseas has its 10,000: the purge is sent there, with Area.
    expect(run.exitCode).toBe(0);
    expect(api.accepted.every((task) => task.area === 'overseas')).toBe(true);
  }, 60_000);
});

describe('a quota another job spends during the run', () => {
  it('stops that API at once and lists the rest in failed with the provider code, the figures and the reset', async () => {
    const targets = urls(3000);
    const { run, emulator: api } = await act(
      { domainAreas: { [HOST]: 'mainland' }, usedToday: { purgeUrls: { mainland: 5000 } } },
      targets,
      {},
      // Once the first batch is accepted (4,000 left), another job spends 3,500: a batch of 1,000 no longer fits.
      (fresh) => fresh.spendAfter('PurgeUrlsCache', 'purgeUrls', 'mainland', 3500),
    );
    expect(run.exitCode).toBe(1);
    const sent = accepted(api, 'urls');
    expect(sent).toHaveLength(1000);
    const { failed } = run.report as { failed: { url: string; code: string; message: string }[] };
    expect(failed).toHaveLength(2000);
    // Nothing lost: every target accepted or in failed, none both.
    expect(new Set([...sent, ...failed.map((failure) => failure.url)])).toEqual(new Set(targets));
    expect(new Set(failed.map((failure) => failure.code))).toEqual(
      new Set(['LimitExceeded.CdnPurgeUrlExceedDayLimit']),
    );
    expect(failed[0]?.message).toMatch(
      /^PurgeUrlsCache: today's quota ran out during the run \(LimitExceeded\.CdnPurgeUrlExceedDayLimit: Daily limit exceeded: 1000 URLs to purge submitted, 500 in mainland left today; nothing was accepted\.\)\. 5,000 of 10,000 were left when the plan read it \(mainland: read from DescribeDomains: www\.example\.com is served in mainland\); this run had 1,000 accepted, so other purges or prefetches took the rest meanwhile\. Not accepted; the quota starts afresh at midnight Beijing time \(UTC\+8\), 16:00 UTC\. \(RequestId [0-9a-f-]+\)$/,
    );
    // No request that would be refused is sent once one was: at most the batches already under way.
    const refused = api.requests.filter(
      (request) => request.errorCode === 'LimitExceeded.CdnPurgeUrlExceedDayLimit',
    );
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(run.outputs['failed-count']).toBe('2000');
  }, 60_000);
});
