/** What a verified run shows: status, the stale output within its budget, the failure or warning, the summary. */
import { describe, expect, it } from 'vitest';
import { NOTHING_SENT } from '../../src/delivery/engine.js';
import type { CheckedUrl, Verification } from '../../src/delivery/verify.js';
import { OUTPUT_BUDGET } from '../../src/report/limits.js';
import { publish } from '../../src/report/publish.js';
import type { CompleteResult } from '../../src/report/result.js';
import { type RunReport, statusOf } from '../../src/report/run-report.js';
import { inProcessStep } from '../support/run-in-process.js';

const url = (i: number): string => `https://www.example.com/assets/${i}/app.js`;
const check = (i: number, verdict: CheckedUrl['verdict'], first?: CheckedUrl['verdict']): CheckedUrl => ({
  url: url(i),
  path: `site/assets/${i}/app.js`,
  verdict,
  reason:
    verdict === 'fresh' ? '' : verdict === 'error' ? 'HTTP 503' : 'serves the version before the deploy',
  first,
});

function verified(mode: Verification['mode'], checked: CheckedUrl[]): RunReport {
  const stale = checked
    .filter((one) => one.verdict === 'stale' || one.verdict === 'differs')
    .map(({ url, reason }) => ({ url, reason }));
  return {
    providerLabel: 'Fake CDN',
    operations: [],
    delivery: NOTHING_SENT,
    tasks: [],
    waitedForEveryTask: true,
    failOnTaskFailure: true,
    verification: { mode, candidates: checked.length + 10, checked, stale, taskIds: ['t-2'], failed: [] },
  };
}

/** publish() as a step runs it: its outputs, summary, log, exit code and report file. */
async function published(report: RunReport) {
  const run = await inProcessStep({}, {}, () => publish(report, process.env));
  return { ...run, report: run.report as CompleteResult };
}

describe('a verified run', () => {
  it('fail: status stale and a failed step when a URL is still stale; done when none is, or with warn', () => {
    expect(statusOf(verified('fail', [check(0, 'fresh'), check(1, 'stale')]))).toBe('stale');
    expect(statusOf(verified('fail', [check(0, 'fresh'), check(1, 'differs')]))).toBe('stale');
    expect(statusOf(verified('fail', [check(0, 'fresh', 'stale'), check(1, 'error')]))).toBe('done');
    expect(statusOf(verified('warn', [check(0, 'fresh'), check(1, 'stale')]))).toBe('done');
  });

  it('fails the step with the first stale URL, and shows the counts and the URLs not fresh at once', async () => {
    const run = await published(
      verified('fail', [
        check(0, 'fresh'),
        check(1, 'fresh', 'stale'),
        check(2, 'stale', 'stale'),
        check(3, 'error'),
      ]),
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('stale');
    expect(run.stdout).toContain(
      `::error::1 URL still stale at the edge after a second purge (see the stale output); first: ${url(2)}: serves the version before the deploy`,
    );
    expect(JSON.parse(run.outputs['task-ids'] ?? '')).toEqual(['t-2']);
    expect(run.summary).toContain('<h3>Verification at the edge</h3>');
    expect(run.summary).toContain('<tr><td>4</td><td>2</td><td>1</td><td>0</td><td>1</td></tr>');
    expect(run.summary).toContain('4 of 14 purged URLs checked (verify-limit).');
    expect(run.summary).toContain(`<tr><td>${url(1)}</td><td>fresh (first stale)</td><td>—</td></tr>`);
    expect(run.summary).toContain(`<tr><td>${url(3)}</td><td>error</td><td>HTTP 503</td></tr>`);
    expect(run.summary).not.toContain(`<td>${url(0)}</td>`);
    expect(run.report.verification?.checked).toHaveLength(4);
  });

  it('cuts the stale output to its budget with a warning; report-file has every one', async () => {
    const checked = Array.from({ length: 1000 }, (_, i) => check(i, 'stale', 'stale'));
    const run = await published(verified('warn', checked));
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    const shown = JSON.parse(run.outputs.stale ?? '') as unknown[];
    expect(run.outputs.stale?.length).toBeLessThanOrEqual(OUTPUT_BUDGET.stale);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual(run.report.stale.slice(0, shown.length));
    expect(run.report.stale).toHaveLength(1000);
    expect(run.stdout).toContain(
      `::warning::The stale output lists ${shown.length} of 1000 entries: it is cut to stay within GitHub's limit on a job's outputs; report-file has every one: ${run.outputs['report-file']}`,
    );
    expect(run.stdout).toContain(
      `::warning::1000 URLs still stale at the edge after a second purge (see the stale output); first: ${url(0)}: serves the version before the deploy (verify: warn)`,
    );
    // At most 50 rows of URLs in the summary.
    expect(run.summary).toContain('…and 950 more URLs: see <code>report-file</code>.');
  });
});
