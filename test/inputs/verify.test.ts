import { describe, expect, it } from 'vitest';
import { refusalOf, settingsFrom } from '../support/settings.js';

const BASE = {
  provider: 'tencent-cdn',
  'secret-id': 'id',
  'secret-key': 'key',
  urls: 'https://e.com/a.html',
};

describe('verify and verify-limit', () => {
  it('are off by default; warn and fail turn verifying on, and imply wait', () => {
    expect(settingsFrom(BASE).verify).toBeUndefined();
    expect(settingsFrom(BASE).delivery.wait).toBe(false);
    expect(settingsFrom({ ...BASE, verify: 'off' }).verify).toBeUndefined();
    const fail = settingsFrom({ ...BASE, verify: 'fail' });
    expect(fail.verify).toEqual({ mode: 'fail', limit: 100 });
    expect(fail.delivery.wait).toBe(true);
    expect(settingsFrom({ ...BASE, verify: 'warn', wait: 'false' }).delivery.wait).toBe(true);
  });

  it('refuses any other value of verify', () => {
    expect(refusalOf({ ...BASE, verify: 'true' }).message).toBe(
      'Input \'verify\' has the value "true": accepted: off, warn, fail',
    );
  });

  it('takes a verify-limit from 1 to 10,000', () => {
    expect(settingsFrom({ ...BASE, verify: 'warn', 'verify-limit': '1' }).verify?.limit).toBe(1);
    expect(settingsFrom({ ...BASE, verify: 'warn', 'verify-limit': '10000' }).verify?.limit).toBe(10_000);
    for (const value of ['0', '10001', '1.5', '-1', 'all']) {
      expect(refusalOf({ ...BASE, verify: 'warn', 'verify-limit': value }).message).toBe(
        `Input 'verify-limit' has the value ${JSON.stringify(value)}: accepted: a whole number from 1 to 10000`,
      );
    }
  });

  it('takes mode purge and purge-prefetch, and refuses prefetch and unblock', () => {
    expect(settingsFrom({ ...BASE, verify: 'fail', mode: 'purge-prefetch' }).verify?.mode).toBe('fail');
    for (const mode of ['prefetch', 'unblock']) {
      expect(refusalOf({ ...BASE, verify: 'fail', mode }).message).toBe(
        `Input 'verify' has the value "fail": verify checks at the edge what a purge changed: it takes mode purge or purge-prefetch, not ${mode}`,
      );
    }
  });

  it('needs file URLs: urls, or changed-files', () => {
    const paths = { ...BASE, urls: '', paths: 'https://e.com/static/', verify: 'fail' };
    expect(refusalOf(paths).message).toBe(
      `Input 'verify' has the value "fail": verify fetches file URLs through the CDN: give urls, urls-file or changed-files: true (directories, hosts and cache tags are not fetched)`,
    );
    const changed = { ...paths, 'changed-files': 'true', 'base-url': 'https://e.com/' };
    expect(settingsFrom(changed, { GITHUB_EVENT_NAME: 'push' }).verify?.mode).toBe('fail');
  });
});
