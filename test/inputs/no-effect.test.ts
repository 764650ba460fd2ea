import { describe, expect, it } from 'vitest';
import { refusalOf, settingsFrom } from '../support/settings.js';

const A = 'https://www.example.com/a.js';
const ALIBABA = { provider: 'aliyun-cdn', 'secret-id': 'id', 'secret-key': 'key', urls: A };

describe("each input's values match its description on every provider", () => {
  it("takes Alibaba's own word domestic for mainland, on Alibaba only", () => {
    expect(settingsFrom({ ...ALIBABA, mode: 'prefetch', area: 'domestic' }).area).toBe('mainland');
    expect(settingsFrom({ ...ALIBABA, mode: 'prefetch', area: 'mainland' }).area).toBe('mainland');
    const tencent = refusalOf({ ...ALIBABA, provider: 'tencent-cdn', area: 'domestic' });
    expect(tencent.message).toBe(
      `Input 'area' has the value "domestic": accepted: mainland, overseas, global`,
    );
  });
});

describe('an input without effect with the provider and mode is refused', () => {
  it.each(['area', 'l2-preload', 'query-hashkey'])(
    'refuses %s on an Alibaba purge, its push option',
    (input) => {
      const value = input === 'area' ? 'mainland' : 'true';
      const error = refusalOf({ ...ALIBABA, [input]: value });
      expect(error.input).toBe(input);
      expect(error.message).toContain('Alibaba takes this option on a prefetch (PushObjectCache) only');
    },
  );

  it('takes them with purge-prefetch, where the prefetch uses them', () => {
    expect(settingsFrom({ ...ALIBABA, mode: 'purge-prefetch', area: 'overseas' }).area).toBe('overseas');
  });

  it('refuses ignore-params on an Alibaba prefetch, and takes it on a purge', () => {
    const error = refusalOf({ ...ALIBABA, mode: 'prefetch', 'ignore-params': 'true' });
    expect(error.input).toBe('ignore-params');
    expect(error.message).toContain('not on a prefetch');
    expect(() => settingsFrom({ ...ALIBABA, 'ignore-params': 'true' })).not.toThrow();
  });
});
