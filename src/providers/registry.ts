/** Every provider the action knows, in the order error messages list them. Adding one is one line here. */
import { aliyunCdn } from './aliyun/cdn.js';
import type { ProviderDefinition } from './provider.js';
import { tencentCdn } from './tencent/cdn.js';
import { tencentEdgeOne } from './tencent/edgeone.js';

export const PROVIDERS: readonly ProviderDefinition[] = [tencentCdn, tencentEdgeOne, aliyunCdn];
