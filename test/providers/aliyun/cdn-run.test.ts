import { afterEach, describe, expect, it } from 'vitest';
import {
  type AliyunCdnEmulator,
  type AliyunEmulatorOptions,
  aliyunStepInputs,
  startAliyunCdnEmulator,
} from '../../fakes/aliyun-cdn/emulator.js';
import { inPlanOrder } from '../../support/order.js';
import type { ActionRun, RunOptions } from '../../support/run-action.js';
import { runInProcess } from '../../support/run-in-process.js';

let emulator: AliyunCdnEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/img/${i}.png`);

async function act(
  inputs: Record<string, string>,
  options: AliyunEmulatorOptions = {},
  run: RunOptions = {},
): Promise<ActionRun> {
  emulator ??= await startAliyunCdnEmulator(options);
  return runInProcess({ ...aliyunStepInputs(emulator), ...inputs }, undefined, run.env, run);
}

const paramsOf = (action: string): Record<string, string>[] =>
  (emulator?.requests ?? []).filter((request) => request.action === action).map((request) => request.params);

describe('aliyun-cdn run in process', () => {
  it('prefetches 250 URLs in calls of at most 100 and reports every task ID of the comma lists', async () => {
    const targets = urls(250);
    const run = await act({
      mode: 'prefetch',
      urls: targets.join('\n'),
      area: 'mainland',
      'l2-preload': 'true',
      'query-hashkey': 'true',
      headers: 'X-Warm: 1\nAccept-Encoding: gzip',
    });
    expect(run.exitCode).toBe(0);
    const pushes = inPlanOrder(paramsOf('PushObjectCache'), (p) => p.ObjectPath?.split('\n')[0], targets);
    expect(pushes.map((p) => p.ObjectPath?.split('\n').length)).toEqual([100, 100, 50]);
    expect(pushes.flatMap((p) => p.ObjectPath?.split('\n'))).toEqual(targets);
    expect(pushes[0]).toEqual(
      expect.objectContaining({
        Area: 'domestic',
        L2Preload: 'true',
        QueryHashkey: 'true',
        WithHeader: '{"X-Warm":"1","Accept-Encoding":"gzip"}',
      }),
    );
    const ids = inPlanOrder(emulator?.accepted ?? [], (task) => task.paths[0], targets).flatMap(
      (task) => task.taskIds,
    );
    // One ID per 50 paths: 2 + 2 + 1.
    expect(ids).toHaveLength(5);
    expect(json(run.outputs['task-ids'])).toEqual(ids);
  });

  it('leaves Area out for a global prefetch and sends overseas as overseas', async () => {
    await act({ mode: 'prefetch', urls: urls(1).join('\n'), area: 'global' });
    expect(paramsOf('PushObjectCache')[0]?.Area).toBeUndefined();
    await emulator?.close();
    emulator = undefined;
    await act({ mode: 'prefetch', urls: urls(1).join('\n'), area: 'overseas' });
    expect(paramsOf('PushObjectCache')[0]?.Area).toBe('overseas');
  });

  it('refreshes each regular expression in a call of its own, and URLs ignoring parameters', async () => {
    const run = await act({
      regex: 'https://www.example.com/img/.*\\.png\nhttps://www.example.com/css/.*',
      urls: 'https://www.example.com/search?q=1',
      'ignore-params': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(paramsOf('RefreshObjectCaches')).toEqual(
      expect.arrayContaining([
        { ObjectPath: 'https://www.example.com/img/.*\\.png', ObjectType: 'Regex' },
        { ObjectPath: 'https://www.example.com/css/.*', ObjectType: 'Regex' },
        { ObjectPath: 'https://www.example.com/search?q=1', ObjectType: 'IgnoreParams' },
      ]),
    );
    expect(paramsOf('RefreshObjectCaches')).toHaveLength(3);
  });

  it('stops at a wrong secret after one request, with the provider code', async () => {
    const run = await act({ urls: urls(3).join('\n'), 'secret-key': 'wrong' });
    expect(run.exitCode).toBe(1);
    expect(emulator?.requests).toHaveLength(1);
    expect(run.errors[0]).toContain('3 targets not accepted (SignatureDoesNotMatch)');
  });

  it('retries Throttling and a dropped connection, each attempt with a fresh nonce', async () => {
    emulator = await startAliyunCdnEmulator();
    emulator.failNext({ action: 'RefreshObjectCaches', kind: 'error', code: 'Throttling.User', status: 429 });
    emulator.failNext({ action: 'RefreshObjectCaches', kind: 'drop' });
    const run = await act({ urls: urls(2).join('\n') });
    expect(run.exitCode).toBe(0);
    const attempts = (emulator.requests ?? []).filter((r) => r.action === 'RefreshObjectCaches');
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((r) => r.headers['x-acs-signature-nonce'])).size).toBe(3);
    expect(emulator.accepted).toHaveLength(1);
  });

  it('fails before sending when the daily URL quota is too small, with the numbers, with coalesce off', async () => {
    const run = await act({ urls: urls(30).join('\n'), coalesce: 'off' }, { dailyQuota: { url: 20 } });
    expect(run.exitCode).toBe(1);
    expect(paramsOf('RefreshObjectCaches')).toEqual([]);
    expect(run.errors[0]).toContain('RefreshObjectCaches needs 30 but 20 of 20 a day are available (URLs)');
  });

  it('refreshes the directory of URLs over the URL quota instead (coalesce: auto)', async () => {
    const run = await act({ urls: urls(30).join('\n') }, { dailyQuota: { url: 20 } });
    expect(run.exitCode).toBe(0);
    expect(paramsOf('RefreshObjectCaches')).toEqual([
      { ObjectPath: 'https://www.example.com/img/', ObjectType: 'Directory' },
    ]);
  });
});

describe('Alibaba bad input run in process: a clear error and nothing sent', () => {
  it.each<[string, Record<string, string>, string]>([
    [
      'a URL with a carriage return (two targets in one ObjectPath)',
      { urls: 'https://www.example.com/a.png\rhttps://evil.example/b' },
      'must not contain whitespace or control characters',
    ],
    [
      'a URL with a line separator',
      { urls: 'https://www.example.com/a\u2028b.png' },
      'must not contain whitespace or control characters',
    ],
    [
      'a regex with a control character',
      { regex: 'https://www.example.com/a.*\u0085https://evil.example/.*' },
      `Input 'regex'`,
    ],
    [
      'an unknown area',
      { mode: 'prefetch', area: 'asia' },
      `Input 'area' has the value "asia": accepted: mainland, overseas, global, domestic (= mainland)`,
    ],
    ['unblock', { mode: 'unblock' }, 'only provider tencent-cdn has unblock'],
    ['site intl', { site: 'intl' }, 'Alibaba Cloud CDN has one endpoint'],
    ['a relative URL', { urls: 'img/a.png' }, 'expected an absolute http:// or https:// URL'],
    ['zone-id', { 'zone-id': 'zone-abc' }, 'this input is for provider tencent-edgeone, not aliyun-cdn'],
    [
      'regex with mode prefetch',
      { mode: 'prefetch', regex: 'https://www.example.com/.*' },
      'regex is purged, never prefetched',
    ],
  ])('%s', async (_name, inputs, message) => {
    const run = await act({ urls: urls(1).join('\n'), ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(emulator?.requests).toEqual([]);
  });
});
