import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { chargedAreas, chargedQuota, hostsOf } from '../../../src/providers/tencent/cdn-quota.js';

const entries = [
  { Batch: 1000, Total: 10000, Available: 987, Area: 'mainland' },
  { Batch: 500, Total: 10000, Available: 10000, Area: 'overseas' },
];
const domains = new Map([
  ['www.example.com', 'mainland'],
  ['cdn.example.com', 'global'],
  ['intl.example.com', 'overseas'],
]);
const refused = new ApiError('UnauthorizedOperation', 'no permission for cdn:DescribeDomains', 'operation');

describe('the Tencent CDN quota that will be charged', () => {
  it('reads each host once, lower-cased', () => {
    expect(hostsOf(['https://WWW.example.com/a.js', 'https://www.example.com/b/', 'not a url'])).toEqual([
      'www.example.com',
    ]);
  });

  it('plans a mainland domain against the mainland quota, not the more generous overseas one', () => {
    const quota = chargedQuota(entries, chargedAreas(undefined, 'purge', ['www.example.com'], domains));
    expect(quota).toMatchObject({
      available: 987,
      total: 10000,
      batchSize: 1000,
      scope: 'mainland',
      basis: 'read from DescribeDomains: www.example.com is served in mainland',
    });
    expect(quota?.hint).toBeUndefined();
    expect(quota?.resets).toBe('at midnight Beijing time (UTC+8), 16:00 UTC');
  });

  it('plans an overseas domain against the overseas quota', () => {
    const quota = chargedQuota(entries, chargedAreas(undefined, 'purge', ['intl.example.com'], domains));
    expect(quota).toMatchObject({ available: 10000, scope: 'overseas', batchSize: 500 });
  });

  it('plans a global domain against the smaller of both areas, and suggests area', () => {
    const quota = chargedQuota(entries, chargedAreas('global', 'purge', ['cdn.example.com'], domains));
    expect(quota).toMatchObject({
      available: 987,
      scope: 'mainland',
      batchSize: 500,
      basis:
        'read from DescribeDomains: cdn.example.com is served globally, charged in both areas: the smaller quota',
    });
    expect(quota?.hint).toContain('`area: mainland` or `area: overseas`');
  });

  it('without the permission to read the domains, plans against the scarcer area and says so', () => {
    const quota = chargedQuota(entries, chargedAreas(undefined, 'purge', ['www.example.com'], refused));
    expect(quota).toMatchObject({ available: 987, scope: 'mainland' });
    expect(quota?.basis).toBe(
      'the scarcer area: DescribeDomains was refused (UnauthorizedOperation), so where the domains are served is not known',
    );
    expect(quota?.notice).toContain('Allow cdn:DescribeDomains (read only), or set `area`');
    expect(quota?.hint).toContain('Set `area`');
  });

  it('with a domain DescribeDomains does not list, plans against the scarcer area', () => {
    const quota = chargedQuota(entries, chargedAreas(undefined, 'purge', ['other.example.org'], domains));
    expect(quota?.basis).toBe(
      "the scarcer area: DescribeDomains lists none of the plan's domains (other.example.org)",
    );
    expect(quota?.available).toBe(987);
  });

  it('takes the area input as given, and a prefetch without one in mainland, Tencent’s default', () => {
    expect(chargedQuota(entries, chargedAreas('overseas', 'purge', [], undefined))).toMatchObject({
      scope: 'overseas',
      basis: 'given by the area input',
    });
    expect(chargedQuota(entries, chargedAreas(undefined, 'prefetch', [], undefined))?.scope).toBe('mainland');
    expect(chargedQuota(entries, chargedAreas('global', 'prefetch', [], undefined))?.available).toBe(987);
    expect(chargedQuota(undefined, chargedAreas(undefined, 'prefetch', [], undefined))).toBeUndefined();
  });
});
