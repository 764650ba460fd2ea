import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/errors.js';
import { classifyTencentError, parseTencentResponse } from '../../../src/providers/tencent/api.js';
import {
  CDN_SERVICE,
  taskReport,
  tencentCdnPayload,
  tencentEndpoint,
} from '../../../src/providers/tencent/cdn.js';
import { settingsFrom } from '../../support/settings.js';
import { thrownBy } from '../../support/thrown.js';

const settings = (inputs: Record<string, string>) =>
  settingsFrom({
    provider: 'tencent-cdn',
    urls: 'https://www.example.com/a.js',
    'dry-run': 'true',
    ...inputs,
  });

describe('tencent-cdn adapter', () => {
  it('uses the international endpoint for site intl, and an endpoint override as given', () => {
    expect(tencentEndpoint(CDN_SERVICE, settings({})).href).toBe('https://cdn.tencentcloudapi.com/');
    expect(tencentEndpoint(CDN_SERVICE, settings({ site: 'intl' })).href).toBe(
      'https://cdn.intl.tencentcloudapi.com/',
    );
    expect(
      tencentEndpoint(CDN_SERVICE, settings({ site: 'intl', endpoint: 'http://127.0.0.1:9000' })).href,
    ).toBe('http://127.0.0.1:9000/');
  });

  it('sends area mainland/overseas on a purge and leaves it out for global', () => {
    expect(tencentCdnPayload(settings({ area: 'mainland' }), 'purge-urls', ['u'])).toEqual({
      Urls: ['u'],
      Area: 'mainland',
    });
    expect(tencentCdnPayload(settings({ area: 'global' }), 'purge-urls', ['u'])).toEqual({ Urls: ['u'] });
    expect(tencentCdnPayload(settings({ mode: 'prefetch', area: 'global' }), 'prefetch', ['u'])).toEqual({
      Urls: ['u'],
      Area: 'global',
    });
  });

  it('reads a task as running, done or failed from its URL logs', () => {
    expect(taskReport([])).toEqual({ state: 'running', failedTargets: [] });
    expect(
      taskReport([
        { Url: 'a', Status: 'done' },
        { Url: 'b', Status: 'process' },
      ]).state,
    ).toBe('running');
    expect(taskReport([{ Url: 'a', Status: 'Done' }])).toEqual({ state: 'done', failedTargets: [] });
    expect(
      taskReport([
        { Url: 'a', Status: 'done' },
        { Url: 'b', Status: 'FAIL' },
        { Url: 'c', Status: 'invalid' },
      ]),
    ).toEqual({
      state: 'failed',
      failedTargets: ['b', 'c'],
    });
  });
});

const thrown = (call: () => unknown): ApiError => thrownBy(ApiError, call);

describe('Tencent API 3.0 envelope and error classes', () => {
  it('returns the Response object, or throws the error with its code, message and RequestId', () => {
    expect(parseTencentResponse(200, '{"Response":{"TaskId":"t","RequestId":"r"}}')).toEqual({
      TaskId: 't',
      RequestId: 'r',
    });
    const error = thrown(() =>
      parseTencentResponse(
        200,
        '{"Response":{"Error":{"Code":"InvalidParameter.CdnParamError","Message":"bad"},"RequestId":"r1"}}',
      ),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.describe()).toBe('InvalidParameter.CdnParamError: bad (RequestId r1)');
    expect(error.disposition).toBe('batch');
  });

  it('treats 5xx and bodies that are not the envelope as retryable', () => {
    for (const [status, body] of [
      [502, 'Bad Gateway'],
      [200, 'not json'],
      [200, '{"x":1}'],
    ] as const) {
      const error = thrown(() => parseTencentResponse(status, body));
      expect(error).toBeInstanceOf(ApiError);
      expect(error.disposition).toBe('retry');
    }
  });

  it.each([
    ['RequestLimitExceeded', 'retry'],
    ['RequestLimitExceeded.UinLimitExceeded', 'retry'],
    ['InternalError.CdnSystemError', 'retry'],
    ['ServiceUnavailable', 'retry'],
    ['AuthFailure.SignatureExpire', 'retry-once'],
    ['LimitExceeded.CdnPurgeUrlExceedDayLimit', 'operation'],
    ['LimitExceeded.CdnPushExceedDayLimit', 'operation'],
    ['LimitExceeded.CdnPurgeUrlExceedBatchLimit', 'split'],
    ['AuthFailure.SignatureFailure', 'run'],
    ['AuthFailure.SecretIdNotFound', 'run'],
    ['UnauthorizedOperation.CdnCamUnauthorized', 'operation'],
    ['UnauthorizedOperation.CdnHostUnauthorized', 'batch'],
    ['InvalidParameter.CdnUrlExceedLength', 'batch'],
    ['ResourceNotFound.CdnHostNotExists', 'batch'],
  ])('%s → %s', (code, disposition) => {
    expect(classifyTencentError(code)).toBe(disposition);
  });
});
