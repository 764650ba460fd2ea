/**
 * Random input sets for the fuzz tests: a valid run with a few of the inputs action.yml declares set to an empty,
 * a plausible or any string at all (control characters, unicode, workflow-command look-alikes). Every secret-bearing value starts with
 * SECRET_MARKER, so that any echo of one, even escaped or cut, is found.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { readInputDefaults } from './run-action.js';

export const DECLARED_INPUTS = [
  'provider',
  ...Object.keys(readInputDefaults(readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8'))),
].filter((name, index, all) => all.indexOf(name) === index);

export const SECRET_MARKER = 'zqSeCrEtqz';

const LOOK_ALIKES = [
  '::error::injected',
  '::add-mask::x',
  '%0A::error::injected',
  'a\n::error::injected',
  'a\r\n::warning::injected',
  '::set-output name=status::done',
  '\u2028::error::injected',
  '\u001b[31mred',
  '\u009b31m',
  ['$', '{{ secrets.X }}'].join(''),
];

/** Any string: full unicode with control characters, or a workflow command look-alike spliced in. */
export const anyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('\n', '\r', '\t', '\u0000', '\u007f', '\u0085', ':', ',', '/', 'a', ' '),
    maxLength: 20,
  }),
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...LOOK_ALIKES), fc.string({ maxLength: 8 }))
    .map((parts) => parts.join('')),
);

const PLAUSIBLE: Record<string, readonly string[]> = {
  provider: ['tencent-cdn', 'tencent-edgeone', 'aliyun-cdn'],
  mode: ['purge', 'prefetch', 'purge-prefetch', 'unblock'],
  urls: ['https://www.example.com/a.js', 'https://www.example.com/a.js, https://www.example.com/b.js'],
  paths: ['https://www.example.com/static/'],
  area: ['mainland', 'overseas', 'global'],
  'purge-method': ['invalidate', 'delete'],
  site: ['china', 'intl'],
  endpoint: ['http://127.0.0.1:9', 'https://cdn.tencentcloudapi.com', 'https://cdn.aliyuncs.com'],
  'sts-endpoint': ['http://127.0.0.1:9', 'https://sts.tencentcloudapi.com'],
  'zone-id': ['zone-2o0i4example', '*'],
  'role-arn': ['qcs::cam::uin/100000000001:roleName/deploy', 'acs:ram::1234567890123456:role/deploy'],
  'oidc-provider': ['github-actions', 'acs:ram::1234567890123456:oidc-provider/github'],
  'base-url': ['https://www.example.com/'],
  since: ['main', 'v1.0.0'],
  layer: ['middle', 'edge'],
  'max-attempts': ['1', '10', '11'],
  timeout: ['10', '21600'],
  'wait-timeout': ['1', '600'],
};
const BOOLEANS = ['true', 'false', 'TRUE', 'yes'];

function arbitraryFor(input: string): fc.Arbitrary<string> {
  const secret = fc.oneof(
    anyString.map((rest) => `${SECRET_MARKER}${rest}`),
    fc.constant(`${SECRET_MARKER}-plain-key`),
  );
  if (
    input === 'secret-id' ||
    input === 'secret-key' ||
    input === 'session-token' ||
    input === 'user-agent'
  ) {
    return fc.oneof(fc.constant(''), secret);
  }
  if (input === 'headers') {
    return fc.oneof(
      fc.constant(''),
      secret.map((value) => `Authorization: Bearer ${value}`),
      secret.map((value) => `X-Token: ${value}`),
      secret,
    );
  }
  const plausible = PLAUSIBLE[input] ?? BOOLEANS;
  return fc.oneof(fc.constant(''), fc.constantFrom(...plausible), anyString);
}

const URL_A = 'https://www.example.com/a.js';
const KEYS = { 'secret-id': `${SECRET_MARKER}-id`, 'secret-key': `${SECRET_MARKER}-key` };
/** Valid runs that the random values are laid over. */
const BASES: ReadonlyArray<Record<string, string>> = [
  { provider: 'tencent-cdn', urls: URL_A, ...KEYS },
  {
    provider: 'tencent-cdn',
    mode: 'prefetch',
    urls: URL_A,
    headers: `Authorization: Bearer ${SECRET_MARKER}-bearer`,
    ...KEYS,
  },
  { provider: 'tencent-edgeone', 'zone-id': 'zone-2o0i4example', urls: URL_A, ...KEYS },
  { provider: 'aliyun-cdn', paths: 'https://www.example.com/static/', ...KEYS },
  { provider: 'aliyun-cdn', urls: URL_A, 'dry-run': 'true' },
];

/** A valid run with up to 4 of its inputs replaced by random values; unset inputs read as ''. */
export const inputSets: fc.Arbitrary<Record<string, string>> = fc
  .tuple(
    fc.constantFrom(...BASES),
    fc
      .uniqueArray(fc.constantFrom(...DECLARED_INPUTS), { maxLength: 4 })
      .chain((names) => fc.record(Object.fromEntries(names.map((name) => [name, arbitraryFor(name)])))),
  )
  .map(([base, overrides]) => ({ ...base, ...overrides }));

/** The environment: an event, and sometimes credentials in the providers' variables. */
export const environments: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    GITHUB_EVENT_NAME: fc.constantFrom('push', 'pull_request_target', 'workflow_dispatch', ''),
    TENCENTCLOUD_SECRET_KEY: anyString.map((rest) => `${SECRET_MARKER}${rest}`),
    ALIBABA_CLOUD_ACCESS_KEY_SECRET: anyString.map((rest) => `${SECRET_MARKER}${rest}`),
  },
  { requiredKeys: ['GITHUB_EVENT_NAME'] },
);
