import type { ProviderId } from '../inputs/read-settings.js';
import { aliyunCdn } from './aliyun/cdn.js';
import type { ProviderDefinition } from './provider.js';
import { tencentCdn } from './tencent/cdn.js';
import { tencentEdgeOne } from './tencent/edgeone.js';

export const PROVIDER_DEFINITIONS: Record<ProviderId, ProviderDefinition> = {
  'tencent-cdn': tencentCdn,
  'tencent-edgeone': tencentEdgeOne,
  'aliyun-cdn': aliyunCdn,
};
