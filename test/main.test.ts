import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { fakeProvider } from './support/fake-provider.js';
import { runInProcess } from './support/run-in-process.js';

const A = 'https://www.example.com/a.js';
const B = 'https://www.example.com/b.js';
const KEYS = { 'secret-id': 'fake-id', 'secret-key': 'fake-secret-key' };

describe('run() in process', () => {
  it('adds a provider by registering it: the fake one purges, reports its task and masks its keys', async () => {
    const fake = fakeProvider();
    const run = await runInProcess(
      { provider: 'fake-cdn', urls: `${A}\n${B}`, 'fake-region': 'eu' },
      [...PROVIDERS, fake.definition],
      { FAKE_CDN_ID: 'id-from-the-environment', FAKE_CDN_KEY: 'key-from-the-environment' },
    );
    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(fake.calls).toEqual([{ kind: 'purge-urls', targets: [A, B] }]);
    expect(run.outputs).toEqual({
      'task-ids': '["task-1"]',
      urls: JSON.stringify([A, B]),
      'url-count': '2',
      failed: '[]',
      'failed-count': '0',
      stale: '[]',
      status: 'submitted',
      'report-file': expect.stringMatching(/\/cdn-purge-prefetch-\w{6}\/report\.json$/),
      'state-file': '',
    });
    expect(run.report).toEqual({
      status: 'submitted',
      'url-count': 2,
      urls: [A, B],
      'task-ids': ['task-1'],
      'failed-count': 0,
      failed: [],
      stale: [],
    });
    expect(run.summary).toContain('CDN purge and prefetch: Fake CDN');
    expect(run.stdout).toContain('::add-mask::key-from-the-environment');
    expect(run.stdout).toContain('::group::Purge URLs (PurgeUrls): 2 targets in 1 request');
  });

  it("refuses another provider's own input with the providers that take it", async () => {
    const fake = fakeProvider();
    const run = await runInProcess({ provider: 'tencent-cdn', urls: A, 'fake-region': 'eu', ...KEYS }, [
      ...PROVIDERS,
      fake.definition,
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      `Input 'fake-region' has the value "eu": this input is for provider fake-cdn, not tencent-cdn; remove it`,
    ]);
  });

  it('lists the registered providers when the provider input is unknown', async () => {
    const run = await runInProcess({ provider: 'akamai', urls: A, ...KEYS }, [fakeProvider().definition]);
    expect(run.errors).toEqual([`Input 'provider' has the value "akamai": accepted: fake-cdn`]);
    // An input error still sets status, for an `if: failure()` step, and shows the message in the summary.
    expect(run.outputs).toMatchObject({ status: 'failed', 'url-count': '0', failed: '[]', urls: '[]' });
    expect(run.summary).toContain('Status: <b>failed</b>. Nothing was sent: an input is wrong.');
    expect(run.summary).toContain(
      'Input &#39;provider&#39; has the value &#34;akamai&#34;: accepted: fake-cdn',
    );
  });

  it('refuses an input that action.yml does not declare, before anything is sent', async () => {
    const fake = fakeProvider();
    const run = await runInProcess({ provider: 'fake-cdn', urls: A, dry_run: 'true', ...KEYS }, [
      ...PROVIDERS,
      fake.definition,
    ]);
    expect(fake.calls).toEqual([]);
    expect(run.exitCode).toBe(1);
    expect(run.errors).toEqual([
      "Input 'dry_run' (its value is not shown: it may hold a secret): this action has no input dry_run, so it would be ignored: did you mean dry-run? Inputs are spelled with hyphens. Nothing was sent.",
    ]);
    expect(run.outputs.status).toBe('failed');
  });

  it('plans without sending in a dry run, and needs no credentials', async () => {
    const fake = fakeProvider();
    const run = await runInProcess(
      { provider: 'fake-cdn', mode: 'purge-prefetch', urls: A, 'dry-run': 'true' },
      [fake.definition],
    );
    expect(run.exitCode).toBe(0);
    expect(fake.calls).toEqual([]);
    expect(run.outputs.status).toBe('dry-run');
    expect(run.outputs.urls).toBe(JSON.stringify([A]));
    expect(run.stdout).toContain('request 1 would carry 1 target:');
  });

  it("fails the step with the provider's code and message, and lists the targets in failed", async () => {
    const fake = fakeProvider({
      submit: () => new ApiError('InvalidParameter.Url', 'not a URL of yours', 'batch'),
    });
    const run = await runInProcess({ provider: 'fake-cdn', urls: A, ...KEYS }, [fake.definition]);
    expect(run.exitCode).toBe(1);
    expect(JSON.parse(run.outputs.failed ?? '[]')).toEqual([
      { url: A, code: 'InvalidParameter.Url', message: 'PurgeUrls: not a URL of yours' },
    ]);
    expect(run.errors).toEqual([
      `1 target not accepted (InvalidParameter.Url); first: ${A}: PurgeUrls: not a URL of yours`,
    ]);
  });

  it('runs the real providers by default', async () => {
    const run = await runInProcess({ provider: 'tencent-edgeone', urls: A, 'dry-run': 'true' });
    expect(run.errors).toEqual([
      `Input 'zone-id' has the value "": required for provider tencent-edgeone: the zone ID, such as zone-2o0i4example, or * for every zone of the account`,
    ]);
  });
});
