import { describe, expect, it } from 'vitest';
import { type DeployState, parseState, serializeState } from '../../src/state/format.js';

const BASE = 'https://www.example.com/';
const NOW = '2026-12-04T12:00:00.000Z';
const state: DeployState = {
  savedAt: NOW,
  manifest: new Map([['public/a b.html', { hash: 'f'.repeat(64), size: 12 }]]),
  pending: [{ target: `${BASE}x.js`, kind: 'url', since: NOW }],
};
const text = (value: Record<string, unknown>): string =>
  JSON.stringify({ format: 1, savedAt: NOW, manifest: null, pending: [], ...value });
const invalid = (value: Record<string, unknown>, baseUrls = [BASE]): string => {
  const parsed = parseState(text(value), baseUrls);
  return 'invalid' in parsed ? parsed.invalid : 'valid';
};

describe('the state file', () => {
  it('reads back what it wrote', () => {
    expect(parseState(serializeState(state), [BASE])).toEqual(state);
    expect(parseState(serializeState({ ...state, manifest: undefined }), [BASE])).toEqual({
      ...state,
      manifest: undefined,
    });
  });

  it('refuses what is not a state of this format', () => {
    expect(parseState('{', [BASE])).toEqual({ invalid: expect.stringMatching(/^not JSON/) });
    expect(invalid({ format: 2 })).toBe('format 2, this version reads format 1');
    expect(invalid({ savedAt: 'yesterday' })).toBe('savedAt is not a date');
  });

  it('checks every manifest entry: a relative path, 64 hex digits, a whole size', () => {
    const entry = { hash: 'a'.repeat(64), size: 0 };
    expect(invalid({ manifest: { 'public/a': entry } })).toBe('valid');
    for (const path of ['/etc/passwd', 'public/../x', 'a//b', './a', ''])
      expect(invalid({ manifest: { [path]: entry } })).toMatch(/not a relative path/);
    expect(invalid({ manifest: { a: { hash: 'A'.repeat(64), size: 0 } } })).toMatch(/is not \{hash/);
    expect(invalid({ manifest: { a: { hash: 'a'.repeat(63), size: 0 } } })).toMatch(/is not \{hash/);
    expect(invalid({ manifest: { a: { hash: 'a'.repeat(64), size: -1 } } })).toMatch(/is not \{hash/);
    expect(invalid({ manifest: { a: { hash: 'a'.repeat(64), size: 1.5 } } })).toMatch(/is not \{hash/);
    expect(invalid({ manifest: [] })).toBe('manifest is not an object');
  });

  it('checks every pending target like an input, under the sites base URLs', () => {
    const pending = (target: string, kind = 'url') => ({ pending: [{ target, kind, since: NOW }] });
    expect(invalid(pending(`${BASE}a.js`))).toBe('valid');
    expect(invalid(pending('https://www.example.com.evil.net/a.js'))).toMatch(
      /lies under none of the sites' base URLs/,
    );
    expect(invalid(pending('https://other.example.com/a.js'), [])).toBe('valid');
    expect(invalid(pending('javascript:alert(1)'), [])).toMatch(/^pending target /);
    expect(invalid(pending(`${BASE}a b.js`))).toMatch(/whitespace/);
    expect(invalid(pending(`${BASE}dir`, 'path'))).toMatch(/must end in "\/"/);
    expect(invalid(pending(`${BASE}a.js`, 'host'))).toMatch(/kind is not one of url, path, purge-only/);
    expect(invalid({ pending: [{ target: `${BASE}a.js`, kind: 'url' }] })).toBe(
      'a pending entry is not {target, kind, since}',
    );
  });
});
