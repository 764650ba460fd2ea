import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { readQuotaReserve } from '../../src/inputs/quota-reserve.js';
import { thrownBy } from '../support/thrown.js';

const read = (value: string) => (name: string) => (name === 'quota-reserve' ? value : '');

describe('quota-reserve', () => {
  it('reads a number of targets or a percentage of the daily total; none by default', () => {
    expect(readQuotaReserve(read(''), 'purge')).toEqual({ targets: 0 });
    expect(readQuotaReserve(read('0'), 'purge')).toEqual({ targets: 0 });
    expect(readQuotaReserve(read('500'), 'purge')).toEqual({ targets: 500 });
    expect(readQuotaReserve(read('20%'), 'purge-prefetch')).toEqual({ percent: 20 });
    expect(readQuotaReserve(read('12.5%'), 'prefetch')).toEqual({ percent: 12.5 });
    expect(readQuotaReserve(read('100%'), 'purge')).toEqual({ percent: 100 });
    expect(readQuotaReserve(read('0%'), 'unblock')).toEqual({ percent: 0 });
  });

  it('refuses anything else, naming the input, the value and the accepted forms', () => {
    for (const value of ['100.5%', '101%', '-1', '1.5', '20 percent', 'lots', '%']) {
      const error = thrownBy(InputError, () => readQuotaReserve(read(value), 'purge'));
      expect(error.input).toBe('quota-reserve');
      expect(error.message).toContain(`Input 'quota-reserve' has the value ${JSON.stringify(value)}`);
      expect(error.message).toContain('a whole number of targets (e.g. 500) or a percentage');
    }
  });

  it('refuses a reserve in mode unblock, which has no daily quota', () => {
    const error = thrownBy(InputError, () => readQuotaReserve(read('10%'), 'unblock'));
    expect(error.message).toContain('mode unblock has no daily quota');
  });
});
