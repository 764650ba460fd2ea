import type { Settings } from '../inputs.js';
import type { ApiSpec, BatchAccepted, OperationKind, ProviderDefinition } from './provider.js';
import { callTencentApi, isRecord, type TencentClient, type TencentService } from './tencent-api.js';

export const CDN_SERVICE: TencentService = {
  name: 'cdn',
  version: '2018-06-06',
  chinaHost: 'cdn.tencentcloudapi.com',
  intlHost: 'cdn.intl.tencentcloudapi.com',
};

/** The documented per-request limits and rates of the Tencent CDN APIs (PROTOCOLS.md §1). */
export const TENCENT_CDN_APIS = {
  'purge-urls': { action: 'PurgeUrlsCache', batchSize: 1000, ratePerSecond: 20 },
  'purge-paths': { action: 'PurgePathCache', batchSize: 20, ratePerSecond: 20 },
  prefetch: { action: 'PushUrlsCache', batchSize: 500, ratePerSecond: 20 },
  // EnableCaches documents 40 requests/s and no per-request limit: 100 URLs a request is a cautious choice.
  unblock: { action: 'EnableCaches', batchSize: 100, ratePerSecond: 40 },
} satisfies Record<OperationKind, ApiSpec>;

export function tencentEndpoint(service: TencentService, settings: Settings): URL {
  return (
    settings.endpoint ??
    new URL(`https://${settings.site === 'intl' ? service.intlHost : service.chinaHost}/`)
  );
}

export const tencentCdn: ProviderDefinition = {
  id: 'tencent-cdn',
  label: 'Tencent Cloud CDN',
  apis: TENCENT_CDN_APIS,
  connect({ settings, send, now, timeoutMs }) {
    if (!settings.credentials) throw new Error('Tencent CDN needs credentials to send requests');
    const client: TencentClient = {
      service: CDN_SERVICE,
      endpoint: tencentEndpoint(CDN_SERVICE, settings),
      credentials: settings.credentials,
      send,
      now,
      timeoutMs,
    };
    return async (kind, targets) => {
      const payload = tencentCdnPayload(settings, kind, targets);
      return tencentCdnResult(kind, await callTencentApi(client, TENCENT_CDN_APIS[kind].action, payload));
    };
  },
};

/** The request body of each action; options left unset are left out so the API's defaults apply. */
export function tencentCdnPayload(
  settings: Settings,
  kind: OperationKind,
  targets: readonly string[],
): Record<string, unknown> {
  const urlEncode = settings.urlEncode === undefined ? {} : { UrlEncode: settings.urlEncode };
  // A purge without Area covers every region the domain serves, which is what `global` means for a purge.
  const purgeArea = settings.area === undefined || settings.area === 'global' ? {} : { Area: settings.area };
  switch (kind) {
    case 'purge-urls':
      return { Urls: [...targets], ...purgeArea, ...urlEncode };
    case 'purge-paths':
      return {
        Paths: [...targets],
        FlushType: settings.purgeMethod === 'delete' ? 'delete' : 'flush',
        ...purgeArea,
        ...urlEncode,
      };
    case 'prefetch': {
      const p = settings.prefetch;
      return {
        Urls: [...targets],
        ...(p.userAgent === undefined ? {} : { UserAgent: p.userAgent }),
        ...(settings.area === undefined ? {} : { Area: settings.area }),
        ...(p.layer === undefined ? {} : { Layer: p.layer }),
        ...(p.mediaSegments === undefined ? {} : { ParseM3U8: p.mediaSegments }),
        ...(p.disableRange === undefined ? {} : { DisableRange: p.disableRange }),
        ...(p.headers.length === 0
          ? {}
          : { Headers: p.headers.map((h) => ({ Name: h.name, Value: h.value })) }),
        ...urlEncode,
      };
    }
    case 'unblock':
      return { Urls: [...targets] };
  }
}

/** Task ID and, for EnableCaches, the URLs it could not unblock. */
export function tencentCdnResult(kind: OperationKind, response: Record<string, unknown>): BatchAccepted {
  const requestId = typeof response.RequestId === 'string' ? response.RequestId : undefined;
  const taskIds = typeof response.TaskId === 'string' && response.TaskId !== '' ? [response.TaskId] : [];
  const refused =
    kind === 'unblock' && isRecord(response.CacheOptResult) && Array.isArray(response.CacheOptResult.FailUrls)
      ? response.CacheOptResult.FailUrls.map((url) => ({
          url: String(url),
          code: 'EnableCaches.FailUrl',
          message: 'the provider could not unblock this URL',
        }))
      : [];
  return { taskIds, requestId, refused };
}
