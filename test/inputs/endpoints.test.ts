/** endpoint and sts-endpoint: only the provider's API domains, or loopback; anything else names the input. */
import { describe, expect, it } from 'vitest';
import { refusalOf, settingsFrom } from '../support/settings.js';

const TENCENT = {
  provider: 'tencent-cdn',
  urls: 'https://www.example.com/a.js',
  'secret-id': 'i',
  'secret-key': 'k',
};
const ALIYUN = { ...TENCENT, provider: 'aliyun-cdn' };
const ALIYUN_CDN_HOSTS = 'cdn.aliyuncs.com, cdn.<region>.aliyuncs.com';
const ALIYUN_STS_HOSTS = 'sts.aliyuncs.com, sts.<region>.aliyuncs.com, sts-vpc.<region>.aliyuncs.com';
const KEYLESS = {
  provider: 'tencent-cdn',
  urls: 'https://www.example.com/a.js',
  'role-arn': 'qcs::cam::uin/100000000001:roleName/deploy',
  'oidc-provider': 'github-actions',
};
const ALIYUN_KEYLESS = {
  provider: 'aliyun-cdn',
  urls: 'https://www.example.com/a.js',
  'role-arn': 'acs:ram::1234567890123456:role/deploy',
  'oidc-provider': 'acs:ram::1234567890123456:oidc-provider/github',
};

describe('endpoint', () => {
  it.each([
    ['tencent-cdn', 'https://cdn.tencentcloudapi.com'],
    ['tencent-cdn', 'https://cdn.intl.tencentcloudapi.com:443/'],
    ['tencent-edgeone', 'https://teo.tencentcloudapi.com'],
    ['aliyun-cdn', 'https://cdn.aliyuncs.com'],
    ['aliyun-cdn', 'https://cdn.ap-southeast-1.aliyuncs.com'],
    ['aliyun-cdn', 'http://127.0.0.1:8080'],
    ['tencent-cdn', 'https://localhost:8443'],
    ['tencent-cdn', 'http://[::1]:9000'],
  ])('%s accepts %s', (provider, endpoint) => {
    const inputs = provider === 'tencent-edgeone' ? { ...TENCENT, 'zone-id': 'zone-1' } : TENCENT;
    expect(settingsFrom({ ...inputs, provider, endpoint }).endpoint?.href).toBe(new URL(endpoint).href);
  });

  it.each([
    ['tencent-cdn', 'https://cdn.aliyuncs.com', '*.tencentcloudapi.com'],
    ['aliyun-cdn', 'https://cdn.tencentcloudapi.com', ALIYUN_CDN_HOSTS],
    ['tencent-cdn', 'https://tencentcloudapi.com', '*.tencentcloudapi.com'],
    ['tencent-cdn', 'https://eviltencentcloudapi.com', '*.tencentcloudapi.com'],
    ['tencent-cdn', 'https://cdn.tencentcloudapi.com.evil.example', '*.tencentcloudapi.com'],
    ['tencent-cdn', 'https://cdn.tencentcloudapi.com.', '*.tencentcloudapi.com'],
    ['tencent-cdn', 'https://10.0.0.1', '*.tencentcloudapi.com'],
    ['tencent-cdn', 'https://127.0.0.1.nip.io', '*.tencentcloudapi.com'],
    ['aliyun-cdn', 'https://collector.example.com', ALIYUN_CDN_HOSTS],
    // Hosts under aliyuncs.com that customers create: an OSS bucket, a log project, a function.
    ['aliyun-cdn', 'https://cdn.oss-cn-hangzhou.aliyuncs.com', ALIYUN_CDN_HOSTS],
    ['aliyun-cdn', 'https://mybucket.oss-cn-hangzhou.aliyuncs.com', ALIYUN_CDN_HOSTS],
    ['aliyun-cdn', 'https://project.cn-hangzhou.log.aliyuncs.com', ALIYUN_CDN_HOSTS],
    ['aliyun-cdn', 'https://cdn.cn-hangzhou.fc.aliyuncs.com', ALIYUN_CDN_HOSTS],
    ['aliyun-cdn', 'https://sts.aliyuncs.com', ALIYUN_CDN_HOSTS],
  ])('%s refuses %s, naming the input and the domains it takes', (provider, endpoint, domain) => {
    const error = refusalOf({ ...(provider === 'aliyun-cdn' ? ALIYUN : TENCENT), endpoint });
    expect(error.input).toBe('endpoint');
    expect(error.message).toContain(`Input 'endpoint' has the value ${JSON.stringify(endpoint)}`);
    expect(error.message).toContain(`accepted: ${domain}, the provider's API hosts, or a loopback host`);
  });
});

describe('sts-endpoint', () => {
  it.each([
    [KEYLESS, 'https://sts.tencentcloudapi.com'],
    [KEYLESS, 'https://sts.intl.tencentcloudapi.com'],
    [KEYLESS, 'http://127.0.0.1:9999'],
    [ALIYUN_KEYLESS, 'https://sts.aliyuncs.com'],
    [ALIYUN_KEYLESS, 'https://sts.cn-hangzhou.aliyuncs.com'],
    [ALIYUN_KEYLESS, 'https://sts-vpc.ap-southeast-1.aliyuncs.com'],
  ])('accepts %o %s', (inputs, endpoint) => {
    expect(settingsFrom({ ...inputs, 'sts-endpoint': endpoint }).oidc?.stsEndpoint?.href).toBe(
      new URL(endpoint).href,
    );
  });

  it.each([
    [KEYLESS, 'https://sts.aliyuncs.com', '*.tencentcloudapi.com'],
    [KEYLESS, 'https://token-collector.example.com', '*.tencentcloudapi.com'],
    [ALIYUN_KEYLESS, 'https://sts.tencentcloudapi.com', ALIYUN_STS_HOSTS],
    [ALIYUN_KEYLESS, 'https://aliyuncs.com', ALIYUN_STS_HOSTS],
    [ALIYUN_KEYLESS, 'https://sts.oss-cn-hangzhou.aliyuncs.com', ALIYUN_STS_HOSTS],
    [ALIYUN_KEYLESS, 'https://tokens.oss-cn-hangzhou.aliyuncs.com', ALIYUN_STS_HOSTS],
    [ALIYUN_KEYLESS, 'https://cdn.aliyuncs.com', ALIYUN_STS_HOSTS],
  ])('refuses %o %s: the OIDC token would go there', (inputs, endpoint, domain) => {
    const error = refusalOf({ ...inputs, 'sts-endpoint': endpoint });
    expect(error.input).toBe('sts-endpoint');
    expect(error.message).toContain(`accepted: ${domain}, the provider's API hosts`);
  });
});
