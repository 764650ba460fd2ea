import { describe, expect, it } from 'vitest';
import { ApiError, type Disposition, TransportError } from '../../../src/errors.js';
import { signAcs3 } from '../../../src/providers/aliyun/acs3.js';
import {
  ALIYUN_CDN_SERVICE,
  type AliyunClient,
  callAliyunApi,
  classifyAliyunError,
  formEncode,
  parseAliyunResponse,
} from '../../../src/providers/aliyun/api.js';
import type { HttpRequest } from '../../../src/providers/transport.js';
import { rejectionOf, thrownBy } from '../../support/thrown.js';
import { A4 } from './vector-a4.js';

const caught = (run: () => unknown): ApiError => thrownBy(ApiError, run);
const rejected = (promise: Promise<unknown>): Promise<ApiError> => rejectionOf(ApiError, promise);

const errorBody = (code: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    RequestId: 'ABCD-1234',
    HostId: 'cdn.aliyuncs.com',
    Code: code,
    Message: `message of ${code}`,
    Recommend: `https://api.aliyun.com/troubleshoot?q=${code}`,
    ...extra,
  });

describe('parseAliyunResponse', () => {
  it('returns the answer object of a success', () => {
    const answer = parseAliyunResponse(200, '{"RequestId":"R1","RefreshTaskId":"1,2"}');
    expect(answer).toEqual({ RequestId: 'R1', RefreshTaskId: '1,2' });
  });

  it('turns an error answer into an ApiError with the code, message, Recommend and RequestId', () => {
    const error = caught(() => parseAliyunResponse(400, errorBody('InvalidObjectPath.Malformed')));
    expect(error.code).toBe('InvalidObjectPath.Malformed');
    expect(error.message).toBe(
      'message of InvalidObjectPath.Malformed (see https://api.aliyun.com/troubleshoot?q=InvalidObjectPath.Malformed)',
    );
    expect(error.disposition).toBe('batch');
    expect(error.details).toEqual({ requestId: 'ABCD-1234', mayHaveBeenAccepted: false });
    expect(error.describe()).toContain('(RequestId ABCD-1234)');
  });

  it('leaves out a missing Recommend', () => {
    const error = caught(() =>
      parseAliyunResponse(404, JSON.stringify({ Code: 'InvalidAccessKeyId.NotFound', Message: 'not found' })),
    );
    expect(error.message).toBe('not found');
    expect(error.disposition).toBe('run');
    expect(error.details.requestId).toBeUndefined();
  });

  it.each<[number, string, string, Disposition, boolean]>([
    [502, '<html>bad gateway</html>', 'HTTP502', 'retry', true],
    [503, '', 'HTTP503', 'retry', true],
    [429, 'slow down', 'HTTP429', 'retry', false],
    [403, '<html>forbidden</html>', 'HTTP403', 'batch', false],
    [400, '{"RequestId":"R"}', 'HTTP400', 'batch', false],
    [200, 'not json', 'HTTP200', 'retry', true],
    [200, '["an array"]', 'HTTP200', 'retry', true],
  ])('HTTP %i with %j → %s / %s', (status, text, code, disposition, mayHaveBeenAccepted) => {
    const error = caught(() => parseAliyunResponse(status, text));
    expect(error.code).toBe(code);
    expect(error.disposition).toBe(disposition);
    expect(error.details.mayHaveBeenAccepted).toBe(mayHaveBeenAccepted);
  });

  it('marks a 5xx error answer as possibly accepted', () => {
    const error = caught(() => parseAliyunResponse(503, errorBody('ServiceUnavailable')));
    expect(error.disposition).toBe('retry');
    expect(error.details.mayHaveBeenAccepted).toBe(true);
  });
});

describe('classifyAliyunError', () => {
  it.each<[string, number, Disposition]>([
    ['Throttling', 400, 'retry'],
    ['Throttling.User', 429, 'retry'],
    ['Throttling.Api', 400, 'retry'],
    ['ServiceUnavailable', 503, 'retry'],
    ['InternalError', 500, 'retry'],
    ['ServiceBusy', 503, 'retry'],
    ['QuotaPerMinuteExceeded.Refresh', 400, 'retry'],
    ['PreloadQueueFull', 400, 'retry'],
    ['TooManyRequests', 429, 'retry'],
    ['SomethingNew', 500, 'retry'],
    ['SomethingNew', 502, 'retry'],
    ['SomethingNew', 429, 'retry'],
    ['SignatureNonceUsed', 400, 'retry-once'],
    ['InvalidTimeStamp.Expired', 400, 'retry-once'],
    ['SingleRequest.OverLimit', 400, 'split'],
    ['InvalidObjectPath.ExceedsMaximum', 400, 'split'],
    ['QuotaExceeded.Refresh', 400, 'operation'],
    ['QuotaExceeded.Preload', 400, 'operation'],
    ['Forbidden.RAM', 403, 'operation'],
    ['Forbidden', 403, 'operation'],
    ['NoPermission', 403, 'operation'],
    ['Forbidden.NoPermission', 403, 'operation'],
    ['SignatureDoesNotMatch', 400, 'run'],
    ['IncompleteSignature', 400, 'run'],
    ['InvalidAccessKeyId.NotFound', 404, 'run'],
    ['InvalidAccessKeyId.Inactive', 400, 'run'],
    ['InvalidSecurityToken.Expired', 400, 'run'],
    ['InvalidSecurityToken.MismatchWithAccessKey', 400, 'run'],
    ['InvalidSecurityToken.Malformed', 400, 'run'],
    ['InvalidObjectPath.Malformed', 400, 'batch'],
    ['InvalidDomain.NotFound', 404, 'batch'],
    ['InvalidDomain.Offline', 400, 'batch'],
    ['InvalidDomain.NotFound', 500, 'batch'],
    ['InvalidParameter', 400, 'batch'],
    ['InvalidObjectType.Malformed', 400, 'batch'],
    ['InvalidCustomHeader', 400, 'batch'],
    ['MissingParameter', 400, 'batch'],
    ['SomethingNew', 400, 'batch'],
  ])('%s (HTTP %i) → %s', (code, status, disposition) => {
    expect(classifyAliyunError(code, status)).toBe(disposition);
  });
});

describe('formEncode', () => {
  it('sorts keys and RFC 3986 encodes values', () => {
    expect(
      formEncode({
        ObjectType: 'Directory',
        ObjectPath: 'https://www.example.com/static/\nhttps://www.example.com/img/',
        Force: 'true',
      }),
    ).toBe(
      'Force=true&ObjectPath=https%3A%2F%2Fwww.example.com%2Fstatic%2F%0Ahttps%3A%2F%2Fwww.example.com%2Fimg%2F&ObjectType=Directory',
    );
    expect(formEncode({ WithHeader: '{"a":"b c*"}' })).toBe('WithHeader=%7B%22a%22%3A%22b%20c%2A%22%7D');
    expect(formEncode({})).toBe('');
  });
});

describe('callAliyunApi', () => {
  const NOW = Date.UTC(2024, 0, 2, 3, 4, 5, 600);

  function client(send: AliyunClient['send'], extra: Partial<AliyunClient> = {}): AliyunClient {
    return {
      endpoint: new URL('http://127.0.0.1:8080'),
      credentials: { accessKeyId: 'testid', accessKeySecret: 'testsecret' },
      send,
      now: () => NOW,
      timeoutMs: 1000,
      ...extra,
    };
  }

  function recording(status = 200, body = '{"RequestId":"R1","RefreshTaskId":"7"}') {
    const sent: HttpRequest[] = [];
    const send: AliyunClient['send'] = async (request) => {
      sent.push(request);
      return { status, body };
    };
    return { sent, send };
  }

  it('sends a signed form POST / with every header, and returns the answer', async () => {
    const { sent, send } = recording();
    const answer = await callAliyunApi(
      client(send, { nonce: () => '0123456789abcdef0123456789abcdef' }),
      'RefreshObjectCaches',
      {
        ObjectType: 'Directory',
        ObjectPath: 'https://www.example.com/static/\nhttps://www.example.com/img/',
        Force: 'true',
      },
    );
    expect(answer).toEqual({ RequestId: 'R1', RefreshTaskId: '7' });
    expect(sent).toHaveLength(1);
    const request = sent[0] as HttpRequest;
    expect(request.url.href).toBe('http://127.0.0.1:8080/');
    expect(request.timeoutMs).toBe(1000);
    expect(request.body).toBe(
      'Force=true&ObjectPath=https%3A%2F%2Fwww.example.com%2Fstatic%2F%0Ahttps%3A%2F%2Fwww.example.com%2Fimg%2F&ObjectType=Directory',
    );
    // The A4 request of docs/test-vectors.md, but for the host 127.0.0.1 (without the port: what is sent).
    const expected = signAcs3({ ...A4, host: '127.0.0.1', body: request.body });
    expect(request.headers).toEqual({
      host: '127.0.0.1',
      'content-type': 'application/x-www-form-urlencoded',
      'x-acs-action': 'RefreshObjectCaches',
      'x-acs-version': ALIYUN_CDN_SERVICE.version,
      'x-acs-date': '2024-01-02T03:04:05Z',
      'x-acs-signature-nonce': '0123456789abcdef0123456789abcdef',
      'x-acs-content-sha256': 'b66bc3a23c919b987233f7e5340cbc6e4176bcda856d632a1b0913cfaf09f253',
      authorization: expected.authorization,
    });
  });

  it('uses a fresh nonce for every call by default', async () => {
    const { sent, send } = recording();
    const api = client(send);
    await callAliyunApi(api, 'DescribeRefreshQuota', {});
    await callAliyunApi(api, 'DescribeRefreshQuota', {});
    const nonces = sent.map((request) => request.headers['x-acs-signature-nonce']);
    expect(nonces[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(nonces[1]).toMatch(/^[0-9a-f]{32}$/);
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it('sends no content-type with an empty body', async () => {
    const { sent, send } = recording();
    await callAliyunApi(client(send), 'DescribeRefreshQuota', {});
    expect(sent[0]?.body).toBe('');
    expect(sent[0]?.headers['content-type']).toBeUndefined();
    expect(sent[0]?.headers.authorization).toContain(
      'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,',
    );
  });

  it('signs and sends x-acs-security-token for STS credentials', async () => {
    const { sent, send } = recording();
    await callAliyunApi(
      client(send, { credentials: { accessKeyId: 'STS.id', accessKeySecret: 's', securityToken: 'tok' } }),
      'DescribeRefreshQuota',
      {},
    );
    expect(sent[0]?.headers['x-acs-security-token']).toBe('tok');
    expect(sent[0]?.headers.authorization).toContain(';x-acs-security-token;');
  });

  it('sends to / of the endpoint with the host name of the endpoint', async () => {
    const { sent, send } = recording();
    await callAliyunApi(
      client(send, { endpoint: new URL('https://cdn.aliyuncs.com') }),
      'DescribeRefreshQuota',
      {},
    );
    expect(sent[0]?.url.href).toBe('https://cdn.aliyuncs.com/');
    expect(sent[0]?.headers.host).toBe('cdn.aliyuncs.com');
  });

  it('throws the classified ApiError of an error answer', async () => {
    const { send } = recording(400, errorBody('QuotaExceeded.Refresh'));
    const error = await rejected(callAliyunApi(client(send), 'RefreshObjectCaches', { ObjectPath: 'x' }));
    expect(error.code).toBe('QuotaExceeded.Refresh');
    expect(error.disposition).toBe('operation');
  });

  it.each([
    [new TransportError('ConnectionError', 'could not connect (ECONNREFUSED)', false), false],
    [new TransportError('Timeout', 'no response within 1000 ms', true), true],
    [new TransportError('ConnectionError', 'connection dropped', true), true],
  ])('turns %s into a retry', async (transport, mayHaveBeenAccepted) => {
    const error = await rejected(
      callAliyunApi(
        client(async () => {
          throw transport;
        }),
        'DescribeRefreshQuota',
        {},
      ),
    );
    expect(error.code).toBe(transport.code);
    expect(error.disposition).toBe('retry');
    expect(error.details.mayHaveBeenAccepted).toBe(mayHaveBeenAccepted);
  });

  it('lets other errors through', async () => {
    await expect(
      callAliyunApi(
        client(async () => {
          throw new TypeError('bug');
        }),
        'DescribeRefreshQuota',
        {},
      ),
    ).rejects.toThrow(TypeError);
  });
});
