import { describe, expect, it } from 'vitest';
import { inputsFromArguments } from '../../scripts/start.js';

describe('npm start arguments', () => {
  it('takes every --<input> <value> as an input, and a flag alone as true', () => {
    expect(
      inputsFromArguments([
        '--provider',
        'aliyun-cdn',
        '--mode',
        'purge-prefetch',
        '--dry-run',
        '--urls',
        'https://a/',
      ]),
    ).toEqual({ provider: 'aliyun-cdn', mode: 'purge-prefetch', 'dry-run': 'true', urls: 'https://a/' });
  });

  it('refuses a value without its input name', () => {
    expect(() => inputsFromArguments(['aliyun-cdn'])).toThrow('expected --<input> <value>, got aliyun-cdn');
  });
});
