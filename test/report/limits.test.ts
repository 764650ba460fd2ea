import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capTargetLines, firstOf, fitJsonArray } from '../../src/report/limits.js';

describe('fitJsonArray', () => {
  it('keeps every entry when the JSON exactly meets the budget, and one fewer a character short of it', () => {
    const items = ['ab', 'cd'];
    expect(JSON.stringify(items)).toHaveLength(11);
    expect(fitJsonArray(items, 11)).toEqual({ json: '["ab","cd"]', shown: 2 });
    expect(fitJsonArray(items, 10)).toEqual({ json: '["ab"]', shown: 1 });
    expect(fitJsonArray([], 2)).toEqual({ json: '[]', shown: 0 });
  });

  it('counts UTF-16 code units, as GitHub does: an emoji is two', () => {
    expect(fitJsonArray(['😀'], 6)).toEqual({ json: '["😀"]', shown: 1 });
    expect(fitJsonArray(['😀'], 5)).toEqual({ json: '[]', shown: 0 });
  });

  it('always gives a JSON array of the first entries, within the budget, as many as fit', () => {
    const failure = fc.record({
      url: fc.webUrl(),
      code: fc.string(),
      message: fc.string({ unit: 'grapheme' }),
    });
    fc.assert(
      fc.property(
        fc.array(failure, { maxLength: 60 }),
        fc.integer({ min: 2, max: 3000 }),
        (items, budget) => {
          const { json, shown } = fitJsonArray(items, budget);
          expect(json.length).toBeLessThanOrEqual(budget);
          expect(JSON.parse(json)).toEqual(items.slice(0, shown));
          if (shown < items.length)
            expect(JSON.stringify(items.slice(0, shown + 1)).length).toBeGreaterThan(budget);
        },
      ),
    );
  });
});

describe('capTargetLines', () => {
  const lines = ['request 1:', '  a', '  b', 'request 2:', '  c', '  d', '  e'];

  it('keeps every line at the limit, and says where it cut one past it', () => {
    expect(capTargetLines(lines, undefined, 5)).toEqual(lines);
    expect(capTargetLines(lines, undefined, 4)).toEqual([
      'request 1:',
      '  a',
      '  b',
      'request 2:',
      '  c',
      '  d',
      '  …and 1 more: see report-file',
    ]);
  });

  it('keeps the other lines after the cut', () => {
    expect(capTargetLines(lines, undefined, 1)).toEqual([
      'request 1:',
      '  a',
      '  …and 4 more: see report-file',
      'request 2:',
    ]);
  });

  it('caps every line when every line is a target', () => {
    expect(capTargetLines(['x', 'y', 'z'], () => true, 2)).toEqual([
      'x',
      'y',
      '  …and 1 more: see report-file',
    ]);
  });
});

describe('firstOf', () => {
  it('names every item up to the limit, and counts the rest past it', () => {
    expect(firstOf(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(firstOf(['a', 'b', 'c'], 2)).toBe('a, b, …and 1 more');
    expect(firstOf([], 2)).toBe('');
  });
});
