import type { ProviderId } from '../inputs.js';
import type { ProviderDefinition } from './provider.js';
import { tencentCdn } from './tencent-cdn.js';

export const PROVIDER_DEFINITIONS: Record<ProviderId, ProviderDefinition> = {
  'tencent-cdn': tencentCdn,
};
