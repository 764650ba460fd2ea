/** Task IDs from an answer: a plain shape, else the error of the request that returned them. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import { aliyunResult } from '../../src/providers/aliyun/cdn.js';
import { parseJson } from '../../src/providers/json.js';
import { TASK_ID } from '../../src/providers/task-id.js';
import { tencentCdnResult } from '../../src/providers/tencent/cdn.js';
import { edgeOneResult } from '../../src/providers/tencent/edgeone.js';
import { thrownBy } from '../support/thrown.js';

describe('a task ID', () => {
  it.each(['1234567890', '15ee6b3d-8d1e-4d0c-95b1-42f2e7a8c39d', 'job_2024.01:a', 'a'.repeat(128)])(
    'of a plain shape is taken: %s',
    (id) => {
      expect(TASK_ID.test(id)).toBe(true);
      expect(tencentCdnResult('purge-urls', { TaskId: id, RequestId: 'r' }).taskIds).toEqual([id]);
    },
  );

  it.each(['a\n::error::x', '::add-mask::x', 'a b', '-a', 'a'.repeat(129), 'a%0A', ''])(
    'of another shape is the error of its request: %j',
    (id) => {
      if (id === '') return expect(tencentCdnResult('purge-urls', { TaskId: id }).taskIds).toEqual([]);
      const error = thrownBy(ApiError, () => tencentCdnResult('purge-urls', { TaskId: id, RequestId: 'r' }));
      expect(error.code).toBe('InvalidTaskId');
      expect(error.disposition).toBe('batch');
      expect(error.details).toEqual({ requestId: 'r', mayHaveBeenAccepted: true });
      expect(error.message).not.toContain('\n');
    },
  );

  it('is checked in each provider', () => {
    expect(
      thrownBy(ApiError, () => aliyunResult('purge-urls', { RefreshTaskId: '1,2\n::error::x' })).message,
    ).toBe(
      `the answer's RefreshTaskId "2\\n::error::x" is not a task ID (letters, digits and - _ . : only, at most 128 characters)`,
    );
    expect(aliyunResult('prefetch', { PushTaskId: '1, 2' }).taskIds).toEqual(['1', '2']);
    expect(thrownBy(ApiError, () => edgeOneResult({ JobId: 'j\r\n::x' }, [])).message).toContain(
      'JobId "j\\r\\n::x"',
    );
  });
});

describe('an answer', () => {
  it('has every string flattened when it is parsed', () => {
    expect(parseJson('{"Response":{"Error":{"Message":"a\\n::error::b\\u2028c"},"L":["x\\ry"]}}')).toEqual({
      Response: { Error: { Message: 'a ::error::b c' }, L: ['x y'] },
    });
  });
});
