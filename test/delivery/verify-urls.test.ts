import { describe, expect, it } from 'vitest';
import type { EdgeAnswer } from '../../src/delivery/edge-fetch.js';
import { chooseUrls, evenly, judge } from '../../src/delivery/verify-urls.js';
import type { Expectation } from '../../src/targets/expected-content.js';

const B = 'https://www.example.com/';

describe('chooseUrls', () => {
  it('takes index pages first, then other HTML, then the rest', () => {
    const urls = [`${B}app.js`, `${B}a.html`, `${B}blog/`, `${B}b.HTM`, `${B}docs/index.html`, `${B}c.css`];
    expect(chooseUrls(urls, 10)).toEqual([
      `${B}blog/`,
      `${B}docs/index.html`,
      `${B}a.html`,
      `${B}b.HTM`,
      `${B}app.js`,
      `${B}c.css`,
    ]);
    expect(chooseUrls(urls, 3)).toEqual([`${B}blog/`, `${B}docs/index.html`, `${B}a.html`]);
  });

  it('samples the group that does not fit evenly, and takes a URL once', () => {
    const assets = Array.from({ length: 10 }, (_, i) => `${B}f${i}.js`);
    expect(chooseUrls([`${B}`, `${B}`, ...assets], 6)).toEqual([
      B,
      `${B}f0.js`,
      `${B}f2.js`,
      `${B}f4.js`,
      `${B}f6.js`,
      `${B}f8.js`,
    ]);
  });

  it('takes every URL when the limit is their number, and one fewer samples', () => {
    expect(evenly([1, 2, 3, 4], 4)).toEqual([1, 2, 3, 4]);
    expect(evenly([1, 2, 3, 4], 3)).toEqual([1, 2, 3]);
    expect(evenly([1, 2, 3, 4], 0)).toEqual([]);
  });
});

const answer = (fields: Partial<EdgeAnswer>): EdgeAnswer => ({
  url: `${B}a.html`,
  status: 200,
  sha256: 'new',
  bytes: 3,
  cut: false,
  ageSeconds: undefined,
  location: undefined,
  ...fields,
});
const file: Expectation = {
  expected: { kind: 'file', sha256: 'new', size: 3 },
  previousSha256: 'old',
  path: 'a',
};
const deleted: Expectation = { expected: { kind: 'deleted' }, previousSha256: 'old', path: 'a' };
const status: Expectation = { expected: { kind: 'status' }, previousSha256: undefined, path: undefined };
const PURGED = 1_000_000;

describe('judge', () => {
  it('a deployed file: fresh, stale (the previous version), differs (another body or status)', () => {
    expect(judge(file, answer({}), PURGED, PURGED)).toEqual({ verdict: 'fresh', reason: '' });
    expect(judge(file, answer({ sha256: 'old' }), PURGED, PURGED)).toEqual({
      verdict: 'stale',
      reason: 'serves the version before the deploy',
    });
    expect(judge(file, answer({ sha256: 'minified', bytes: 2 }), PURGED, PURGED)).toEqual({
      verdict: 'differs',
      reason: 'the body is not the deployed file (2 bytes, the deployed file has 3)',
    });
    expect(judge(file, answer({ status: 404 }), PURGED, PURGED)).toEqual({
      verdict: 'differs',
      reason: 'HTTP 404; expected the deployed file',
    });
    expect(
      judge(file, answer({ status: 301, location: 'https://elsewhere.example/' }), PURGED, PURGED),
    ).toEqual({
      verdict: 'differs',
      reason:
        'HTTP 301 to https://elsewhere.example/ (not followed: another host, or a sixth redirect); expected the deployed file',
    });
  });

  it('an error: 5xx, 429, a body longer than the limit', () => {
    expect(judge(file, answer({ status: 503 }), PURGED, PURGED).verdict).toBe('error');
    expect(judge(file, answer({ status: 429 }), PURGED, PURGED).verdict).toBe('error');
    expect(judge(file, answer({ status: 499 }), PURGED, PURGED).verdict).toBe('differs');
    expect(judge(file, answer({ cut: true, bytes: 16 }), PURGED, PURGED)).toEqual({
      verdict: 'error',
      reason: 'the body is longer than 16 bytes, the most a check reads',
    });
  });

  it('a deleted file: 404 and 410 are fresh, its old body stale, anything else differs', () => {
    expect(judge(deleted, answer({ status: 404 }), PURGED, PURGED).verdict).toBe('fresh');
    expect(judge(deleted, answer({ status: 410 }), PURGED, PURGED).verdict).toBe('fresh');
    expect(judge(deleted, answer({ sha256: 'old' }), PURGED, PURGED)).toEqual({
      verdict: 'stale',
      reason: 'serves the deleted file',
    });
    expect(judge(deleted, answer({ sha256: 'soft 404 page' }), PURGED, PURGED)).toEqual({
      verdict: 'differs',
      reason: 'HTTP 200; a deleted file should answer 404 or 410',
    });
  });

  it('a URL without a file: stale when its Age is older than the purge, 2 s of slack allowed', () => {
    const now = PURGED + 10_000;
    expect(judge(status, answer({ ageSeconds: 12 }), PURGED, now).verdict).toBe('fresh');
    expect(judge(status, answer({ ageSeconds: 13 }), PURGED, now)).toEqual({
      verdict: 'stale',
      reason: 'Age 13 s: cached before the purge',
    });
    expect(judge(status, answer({ ageSeconds: undefined }), PURGED, now).verdict).toBe('fresh');
    expect(judge(status, answer({ status: 404 }), PURGED, now)).toEqual({
      verdict: 'differs',
      reason: 'HTTP 404; expected a 2xx answer',
    });
  });
});
