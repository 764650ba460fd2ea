import { describe, expect, it } from 'vitest';
import { dryRun } from '../../src/delivery/dry-run.js';
import { coalescingOf } from '../../src/plan/coalesce.js';
import { planOperations, planTargets } from '../../src/plan/operations.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { settingsFrom } from '../support/settings.js';

const A = 'https://www.example.com/a.m3u8';
const quiet = { info: () => {}, warning: () => {} };

/** The notes of each operation of a dry run with these inputs. */
function notes(inputs: Record<string, string>): string[] {
  const settings = settingsFrom({ 'dry-run': 'true', urls: A, ...inputs });
  const provider = PROVIDERS.find((known) => known.id === settings.provider);
  if (!provider) throw new Error('no such provider');
  const planned = planOperations(planTargets(settings, undefined), provider.apis);
  const { operations } = dryRun(settings, provider, planned, coalescingOf(settings, undefined), quiet);
  return operations.flatMap((operation) => operation.notes ?? []);
}

describe("a dry run shows each request's options beside its targets", () => {
  it('Tencent CDN prefetch: Area, user agent, M3U8, headers (their values redacted)', () => {
    expect(
      notes({
        provider: 'tencent-cdn',
        mode: 'prefetch',
        area: 'overseas',
        'media-segments': 'true',
        'user-agent': 'deploy-bot/2.0',
        headers: 'Authorization: Bearer abcdefgh12345',
      }),
    ).toEqual([
      'Each PushUrlsCache request carries, besides its targets, UserAgent: "***", Area: "overseas", ParseM3U8: true, Headers: [{"Name":"Authorization","Value":"***"}]',
    ]);
  });

  it('Alibaba purge-prefetch: the refresh and the push, each with its own', () => {
    expect(
      notes({ provider: 'aliyun-cdn', mode: 'purge-prefetch', area: 'domestic', 'l2-preload': 'true' }),
    ).toEqual([
      'Each RefreshObjectCaches request carries, besides its targets, ObjectType: "File"',
      'Each PushObjectCache request carries, besides its targets, Area: "domestic", L2Preload: "true"',
    ]);
  });

  it('says when a request carries nothing but its targets', () => {
    expect(notes({ provider: 'tencent-cdn' })).toEqual([
      "Each PurgeUrlsCache request carries, besides its targets, no options: the provider's defaults apply",
    ]);
  });
});
