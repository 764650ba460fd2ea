/** What a run shows of itself, within the runner's limits: outputs, log, summary, and the report file with all. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.js';
import type { TargetFailure } from '../../src/providers/provider.js';
import { OUTPUT_BUDGET } from '../../src/report/limits.js';
import type { CompleteResult } from '../../src/report/result.js';
import { fakeProvider } from '../support/fake-provider.js';
import { runInProcess } from '../support/run-in-process.js';

const KEYS = { 'secret-id': 'fake-id', 'secret-key': 'fake-secret-key' };
const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/assets/${i}/app.js`);
const warnings = (stdout: string): string[] =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('::warning::'))
    .map((line) => line.slice('::warning::'.length));

describe('outputs, log and summary within limits', () => {
  it('cuts urls and failed of a 100,000-URL quota failure to their budget; the counts and report-file have all', async () => {
    const targets = urls(100_000);
    const fake = fakeProvider({
      quotas: { 'purge-urls': { batchSize: 100, available: 10_000, total: 10_000, scope: 'today' } },
    });
    // coalesce: off: the job fails on today's quota instead of being fitted with directory purges.
    const run = await runInProcess(
      { provider: 'fake-cdn', urls: targets.join('\n'), coalesce: 'off', ...KEYS },
      [fake.definition],
    );
    expect(run.exitCode).toBe(1);
    expect(fake.calls).toEqual([]);
    const report = run.report as CompleteResult;
    const path = run.outputs['report-file'];
    expect(report.urls).toEqual(targets);
    expect(report.failed.map((failure) => failure.url)).toEqual(targets);
    expect(report['failed-count']).toBe(100_000);

    const shownUrls = JSON.parse(run.outputs.urls ?? '') as string[];
    const shownFailed = JSON.parse(run.outputs.failed ?? '') as TargetFailure[];
    expect(shownUrls).toEqual(targets.slice(0, shownUrls.length));
    expect(shownFailed).toEqual(report.failed.slice(0, shownFailed.length));
    expect(run.outputs.urls?.length).toBeLessThanOrEqual(OUTPUT_BUDGET.urls);
    expect(run.outputs.failed?.length).toBeLessThanOrEqual(OUTPUT_BUDGET.failed);
    expect(run.outputs['url-count']).toBe('100000');
    expect(run.outputs['failed-count']).toBe('100000');
    const total = Object.values(run.outputs).reduce((sum, value) => sum + value.length, 0);
    expect(total).toBeLessThan(250_000);
    expect(warnings(run.stdout)).toEqual([
      `The urls output lists ${shownUrls.length} of 100000 entries: it is cut to stay within GitHub's limit on a job's outputs; url-count has the full count; report-file has every one: ${path}`,
      `The failed output lists ${shownFailed.length} of 100000 entries: it is cut to stay within GitHub's limit on a job's outputs; failed-count has the full count; report-file has every one: ${path}`,
    ]);

    // One kind of failure: one row, with its count and three examples.
    expect(run.summary).toContain(
      `<td><code>QuotaExceeded</code></td><td>PurgeUrls: not sent: today&#39;s quota is too small for this job: PurgeUrls needs 100000 but 10000 of 10000 a day are available (today)</td><td>100000</td><td>${targets.slice(0, 3).join('<br>')}<br>…and 99997 more</td>`,
    );
    expect(run.summary.length).toBeLessThan(4000);
  });

  it('keeps a list that exactly fits its budget whole, without a warning', async () => {
    // A URL of 38 characters is 41 in the array, with its quotes and comma: 2,439 of them are 100,000 exactly.
    const url = (i: number) => `https://www.example.com/${String(i).padStart(14, '0')}`;
    const fits = Array.from({ length: 2439 }, (_, i) => url(i));
    expect(JSON.stringify(fits).length).toBe(OUTPUT_BUDGET.urls);
    const dry = { provider: 'fake-cdn', 'dry-run': 'true' };
    const whole = await runInProcess({ ...dry, urls: fits.join('\n') }, [fakeProvider().definition]);
    expect(JSON.parse(whole.outputs.urls ?? '')).toEqual(fits);
    expect(warnings(whole.stdout)).toEqual([]);
    const over = await runInProcess({ ...dry, urls: [...fits, url(2439)].join('\n') }, [
      fakeProvider().definition,
    ]);
    expect(JSON.parse(over.outputs.urls ?? '')).toEqual(fits);
    expect(over.outputs['url-count']).toBe('2440');
    expect(warnings(over.stdout)[0]).toMatch(/^The urls output lists 2439 of 2440 entries/);
  });

  it('logs at most 1,000 target lines in a group of a 100,000-URL dry run, and every request', async () => {
    const targets = urls(100_000);
    const run = await runInProcess({ provider: 'fake-cdn', 'dry-run': 'true', urls: targets.join('\n') }, [
      fakeProvider().definition,
    ]);
    const lines = run.stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('  https://'))).toEqual(
      targets.slice(0, 1000).map((url) => `  ${url}`),
    );
    expect(lines).toContain('  …and 99000 more: see report-file');
    expect(lines.filter((line) => / would carry 100 targets:$/.test(line))).toHaveLength(1000);
    expect(lines).toContain(`report-file: ${run.outputs['report-file']} (the whole result as JSON)`);
    expect((run.report as CompleteResult).urls).toHaveLength(100_000);
    expect(run.stdout.length).toBeLessThan(200_000);
  });

  it('groups failures by code and message, the RequestId aside, the largest first', async () => {
    const fake = fakeProvider({
      submit: (call, index) =>
        call.targets[0]?.endsWith('/0/app.js')
          ? new ApiError('InvalidParameter', 'not yours', 'batch', { requestId: 'r-odd' })
          : {
              taskIds: [`t${index}`],
              requestId: `r${index}`,
              refused: call.targets
                .slice(0, 2)
                .map((url) => ({ url, code: 'FailedList', message: `refused (RequestId r${index})` })),
            },
    });
    const run = await runInProcess({ provider: 'fake-cdn', urls: urls(300).join('\n'), ...KEYS }, [
      fake.definition,
    ]);
    expect(run.outputs['failed-count']).toBe('104');
    const rows = [
      ...run.summary.matchAll(/<tr><td><code>(\w+)<\/code><\/td><td>([^<]*)<\/td><td>(\d+)<\/td>/g),
    ];
    expect(rows.map((row) => row.slice(1))).toEqual([
      ['InvalidParameter', 'PurgeUrls: not yours', '100'],
      ['FailedList', 'refused', '4'],
    ]);
  });

  it('shows at most 50 tasks in the summary, those not done first, and 3 failed targets of each', async () => {
    const fake = fakeProvider({
      submit: () => ({
        taskIds: Array.from({ length: 60 }, (_, i) => `t${i}`),
        requestId: undefined,
        refused: [],
      }),
      describe: (_kind, taskId) =>
        taskId === 't59' ? { state: 'failed', failedTargets: urls(5) } : { state: 'done', failedTargets: [] },
    });
    const definition = {
      ...fake.definition,
      statusApis: { 'purge-urls': { action: 'DescribeTask', batchSize: 1, ratePerSecond: 1000 } },
    };
    const run = await runInProcess(
      {
        provider: 'fake-cdn',
        urls: urls(5).join('\n'),
        wait: 'true',
        'fail-on-task-failure': 'false',
        ...KEYS,
      },
      [definition],
    );
    const taskRows = [...run.summary.matchAll(/<tr><td><code>(t\d+)<\/code><\/td>/g)].map((row) => row[1]);
    expect(taskRows).toHaveLength(50);
    expect(taskRows[0]).toBe('t59');
    expect(run.summary).toContain(`<td>failed</td><td>${urls(3).join('<br>')}<br>…and 2 more</td>`);
    expect(run.summary).toContain('<p>…and 10 more tasks: see <code>report-file</code>.</p>');
    expect(run.summary).toContain(
      `${Array.from({ length: 20 }, (_, i) => `<code>t${i}</code>`).join(' ')} …and 40 more`,
    );
    const report = run.report as CompleteResult;
    expect(report.tasks).toHaveLength(60);
    expect(report.tasks?.[59]).toEqual({
      id: 't59',
      action: 'PurgeUrls',
      state: 'failed',
      targets: urls(5),
      failed: urls(5),
    });
  });
});
