import { InputError } from '../errors.js';
import type { Mode, QuotaReserve } from '../settings.js';
import type { ReadInput } from './values.js';

const ACCEPTED =
  'accepted: a whole number of targets (e.g. 500) or a percentage of the daily total from 0% to 100% (e.g. 20%), kept unused of each daily quota; default 0';

/** `quota-reserve`: what the plan leaves of each daily quota for later purges that day. */
export function readQuotaReserve(read: ReadInput, mode: Mode): QuotaReserve {
  const value = read('quota-reserve');
  if (value === '') return { targets: 0 };
  const percent = /^(\d{1,3}(?:\.\d+)?)\s*%$/.exec(value);
  const reserve =
    percent && Number(percent[1]) <= 100
      ? { percent: Number(percent[1]) }
      : /^\d{1,9}$/.test(value)
        ? { targets: Number(value) }
        : undefined;
  if (!reserve) throw new InputError('quota-reserve', value, ACCEPTED);
  const none = 'percent' in reserve ? reserve.percent === 0 : reserve.targets === 0;
  if (mode === 'unblock' && !none) {
    throw new InputError(
      'quota-reserve',
      value,
      'mode unblock has no daily quota to keep a reserve of: leave quota-reserve empty or 0',
    );
  }
  return reserve;
}
