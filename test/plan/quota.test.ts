import { describe, expect, it } from 'vitest';
import { planOperations } from '../../src/plan/operations.js';
import { describeShortfall, fitToQuotas } from '../../src/plan/quota.js';
import { TENCENT_CDN_APIS } from '../../src/providers/tencent/cdn.js';

const urls = (n: number): string[] => Array.from({ length: n }, (_, i) => `https://www.example.com/${i}.js`);

describe('fitToQuotas', () => {
  const operations = planOperations(
    { mode: 'purge-prefetch', urls: urls(2500), paths: ['https://www.example.com/d/'] },
    TENCENT_CDN_APIS,
  );

  it('shrinks batch sizes to the quota API and never grows them past the documented limit', () => {
    const { operations: fitted, shortfalls } = fitToQuotas(operations, {
      'purge-urls': { batchSize: 500, available: 10_000, total: 10_000, scope: 'mainland' },
      prefetch: { batchSize: 2000, available: 5000, total: 5000, scope: 'mainland' },
    });
    expect(shortfalls).toEqual([]);
    expect(fitted.map((op) => [op.kind, op.api.batchSize])).toEqual([
      ['purge-urls', 500],
      ['purge-paths', 20],
      ['prefetch', 500],
    ]);
  });

  it('names every operation that needs more than is available today, with the numbers', () => {
    const { shortfalls } = fitToQuotas(operations, {
      'purge-urls': { batchSize: 1000, available: 1500, total: 10_000, scope: 'mainland' },
      prefetch: { batchSize: 500, available: 999, total: 1000, scope: 'overseas' },
    });
    expect(shortfalls.map(describeShortfall)).toEqual([
      'PurgeUrlsCache needs 2500 but 1500 of 10000 a day are available (mainland)',
      'PushUrlsCache needs 2500 but 999 of 1000 a day are available (overseas)',
    ]);
  });
});
