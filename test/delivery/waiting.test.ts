/**
 * The waits for tasks, through run() in process against the emulators, on a fake clock: the real poll schedule
 * (2 s, 4 s, … up to wait-timeout) is followed to the millisecond and takes no real time. The emulators answer
 * by poll count, so what the step reports is the same as through the bundle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AliyunCdnEmulator,
  type AliyunEmulatorOptions,
  aliyunStepInputs,
  startAliyunCdnEmulator,
} from '../fakes/aliyun-cdn/emulator.js';
import {
  type EmulatorOptions,
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import {
  DEFAULT_ZONE_ID,
  type EdgeOneEmulator,
  type EdgeOneEmulatorOptions,
  edgeOneStepInputs,
  startEdgeOneEmulator,
} from '../fakes/tencent-edgeone/emulator.js';
import { emulatorAndRepoPerTest } from '../support/emulator-and-repo.js';
import { FakeClock } from '../support/fake-clock.js';
import type { ActionRun } from '../support/run-action.js';
import { runInProcess } from '../support/run-in-process.js';

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const urls = (n: number, prefix = 'https://www.example.com/assets/'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}.js`);

describe('waiting on the Tencent CDN emulator', () => {
  let emulator: TencentCdnEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  /** Starts an emulator with `options` and runs the step against it; the targets go through urls-file. */
  async function act(
    options: EmulatorOptions,
    inputs: Record<string, string>,
    targets: string[],
    clock = new FakeClock(),
  ): Promise<ActionRun> {
    await emulator?.close();
    emulator = await startTencentCdnEmulator(options);
    return runInProcess(
      { ...stepInputs(emulator), 'urls-file': 'urls.txt', ...inputs },
      undefined,
      {},
      { files: { 'urls.txt': targets.join('\n') }, clock },
    );
  }
  const requestsOf = (action: string) => (emulator?.requests ?? []).filter((r) => r.action === action);

  it('waits for the tasks: status done', async () => {
    const run = await act(
      { taskProgress: { doneAfterPolls: 1 }, dailyQuota: { pushUrls: 5000 } },
      { wait: 'true', mode: 'purge-prefetch' },
      urls(1500),
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    expect(requestsOf('DescribePurgeTasks').length).toBeGreaterThan(0);
    expect(requestsOf('DescribePushTasks').length).toBeGreaterThan(0);
    expect(run.summary).toContain('<h3>Tasks</h3>');
    for (const id of json(run.outputs['task-ids']) as string[])
      expect(run.summary).toContain(`<code>${id}</code>`);
  });

  it('waits for the tasks: a failed URL fails the step, unless fail-on-task-failure is false', async () => {
    const broken = 'https://www.example.com/assets/7.js';
    const run = await act({ taskProgress: { failUrls: [broken] } }, { wait: 'true' }, urls(10));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(json(run.outputs.failed)).toEqual([
      {
        url: broken,
        code: 'TaskFailed',
        message: `PurgeUrlsCache task ${emulator?.accepted[0]?.taskId}: the provider reports that this target failed`,
      },
    ]);

    const tolerant = await act(
      { taskProgress: { failUrls: [broken] } },
      { wait: 'true', 'fail-on-task-failure': 'false' },
      urls(10),
    );
    expect(tolerant.exitCode).toBe(0);
    expect(tolerant.outputs.status).toBe('failed');
    expect(json(tolerant.outputs.failed)).toEqual([]);
    expect(tolerant.stdout).toContain('::warning::1 target failed in their tasks');
  });

  it('gives up waiting at wait-timeout: status timeout, after the polls that fit in it', async () => {
    const clock = new FakeClock();
    const started = clock.now();
    const run = await act(
      { taskProgress: { doneAfterPolls: 1000 } },
      { wait: 'true', 'wait-timeout': '7' },
      urls(2),
      clock,
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('timeout');
    expect(run.stdout).toContain('::warning::1 task not known to be finished when waiting ended');
    expect(requestsOf('DescribePurgeTasks').length).toBeGreaterThan(0);
    expect(clock.now() - started).toBeLessThanOrEqual(7000);
  });

  it('purge-prefetch without wait: a URL whose purge task failed is not prefetched, and is in failed once', async () => {
    const targets = urls(5);
    const broken = targets[3] ?? '';
    const run = await act(
      { taskProgress: { doneAfterPolls: 0, failUrls: [broken] } },
      { mode: 'purge-prefetch' },
      targets,
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    const purgeTask = emulator?.accepted.find((task) => task.action === 'PurgeUrlsCache')?.taskId;
    expect(json(run.outputs.failed)).toEqual([
      {
        url: broken,
        code: 'TaskFailed',
        message: `PurgeUrlsCache task ${purgeTask}: the provider reports that this target failed`,
      },
    ]);
    expect(requestsOf('PushUrlsCache').map((request) => request.body)).toEqual([
      { Urls: targets.filter((url) => url !== broken) },
    ]);
    expect(requestsOf('DescribePushTasks')).toEqual([]);
    expect(run.summary).toContain('<h3>Purge tasks waited for before the prefetch</h3>');
    expect(run.summary).toContain(
      `<code>${purgeTask}</code></td><td><code>PurgeUrlsCache</code></td><td>5</td><td>failed</td>`,
    );
  });

  it('purge-prefetch: prefetches anyway when the purge tasks are not finished at wait-timeout', async () => {
    const targets = urls(2);
    const run = await act(
      { taskProgress: { doneAfterPolls: 1000 } },
      { mode: 'purge-prefetch', 'wait-timeout': '3' },
      targets,
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('submitted');
    expect(run.stdout).toContain('1 purge task not known to be finished after 3 s; prefetching anyway.');
    expect(run.stdout).toContain('::warning::1 task not known to be finished when waiting ended');
    expect(requestsOf('PushUrlsCache').map((request) => request.body)).toEqual([{ Urls: targets }]);
  });

  it('logs the purge task IDs of a purge-prefetch before the wait, then each round of polling', async () => {
    const run = await act(
      { taskProgress: { doneAfterPolls: 1 }, dailyQuota: { pushUrls: 5000 } },
      { mode: 'purge-prefetch' },
      urls(1500),
    );
    expect(run.exitCode).toBe(0);
    const purgeTasks = (emulator?.accepted ?? []).filter((task) => task.action === 'PurgeUrlsCache');
    expect(purgeTasks).toHaveLength(2);
    const waiting = run.stdout.indexOf('Waiting for 2 purge tasks to finish before the prefetch');
    expect(waiting).toBeGreaterThan(0);
    for (const task of purgeTasks) {
      const accepted = run.stdout.indexOf(
        `PurgeUrlsCache: task ${task.taskId} accepted ${task.urls?.length} targets\n`,
      );
      expect(accepted).toBeGreaterThan(-1);
      expect(accepted).toBeLessThan(waiting);
    }
    const polled = run.stdout.indexOf('Polled 2 tasks after 0 s: 0 done, 2 running, 0 failed');
    expect(polled).toBeGreaterThan(waiting);
    expect(run.stdout.indexOf('Polled 2 tasks after 2 s: 2 done, 0 running, 0 failed')).toBeGreaterThan(
      polled,
    );
  });

  it('purges first, waits for the purge tasks to finish, then prefetches the same file URLs', async () => {
    const targets = urls(3);
    const run = await act({}, { mode: 'purge-prefetch', paths: 'https://www.example.com/static/' }, targets);
    expect(run.exitCode).toBe(0);
    const actions = (emulator?.requests ?? []).map((request) => request.action);
    expect(actions.slice(0, 3).sort()).toEqual([
      'DescribeDomains',
      'DescribePurgeQuota',
      'DescribePushQuota',
    ]);
    expect(actions.slice(3, 5).sort()).toEqual(['PurgePathCache', 'PurgeUrlsCache']);
    // The emulator answers "process" at the first read of a task and "done" at the next: two rounds of two.
    expect(actions.slice(5)).toEqual([...Array(4).fill('DescribePurgeTasks'), 'PushUrlsCache']);
    expect(run.stdout).toContain(
      'Waiting for 2 purge tasks to finish before the prefetch (at most wait-timeout, 600 s)',
    );
    expect(run.stdout).toContain('Every purge task is final; prefetching what was purged.');
    // Without wait the prefetch task is not waited for: the status stays submitted.
    expect(actions).not.toContain('DescribePushTasks');
    expect(run.outputs.status).toBe('submitted');
    expect(requestsOf('PushUrlsCache').map((request) => request.body)).toEqual([{ Urls: targets }]);
    expect(json(run.outputs['task-ids'])).toHaveLength(3);
    expect(json(run.outputs.urls)).toEqual([...targets, 'https://www.example.com/static/']);
  });
});

describe('waiting with changed-files', () => {
  const fixture = emulatorAndRepoPerTest();

  it('purges deleted files but never prefetches them, with mode purge-prefetch', async () => {
    await fixture.emulator.close();
    fixture.emulator = await startTencentCdnEmulator({ taskProgress: { doneAfterPolls: 0 } });
    const before = fixture.repo.commit({
      'site/keep.html': 'kept',
      'site/old.css': 'old',
      'site/blog/index.html': 'blog',
    });
    fixture.repo.push();
    const after = fixture.repo.commit({
      'site/old.css': null,
      'site/keep.html': 'kept 2',
      'site/blog/index.html': null,
    });
    fixture.repo.push();
    const payload = { ref: 'refs/heads/main', before, after, created: false, deleted: false };
    const run = await runInProcess(
      {
        ...stepInputs(fixture.emulator),
        'changed-files': 'true',
        'base-url': 'https://www.example.com/',
        'root-dir': 'site/',
        mode: 'purge-prefetch',
      },
      undefined,
      { ...fixture.repo.env, GITHUB_EVENT_NAME: 'push', GITHUB_EVENT_PATH: fixture.repo.event(payload) },
      { workspace: fixture.repo.checkout() },
    );
    expect(run.exitCode).toBe(0);
    const sent = (action: string) =>
      fixture.emulator.requests
        .filter((request) => request.action === action)
        .flatMap((request) => (request.body as { Urls: string[] }).Urls)
        .sort();
    const U = (path: string) => `https://www.example.com/${path}`;
    expect(sent('PurgeUrlsCache')).toEqual([U('blog/'), U('blog/index.html'), U('keep.html'), U('old.css')]);
    expect(sent('PushUrlsCache')).toEqual([U('keep.html')]);
  });
});

describe('waiting on the Alibaba Cloud CDN emulator', () => {
  let emulator: AliyunCdnEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function act(inputs: Record<string, string>, options: AliyunEmulatorOptions): Promise<ActionRun> {
    emulator = await startAliyunCdnEmulator(options);
    return runInProcess({
      ...aliyunStepInputs(emulator),
      ...inputs,
    });
  }
  const paramsOf = (action: string): Record<string, string>[] =>
    (emulator?.requests ?? [])
      .filter((request) => request.action === action)
      .map((request) => request.params);
  const images = (n: number) =>
    urls(n, 'https://www.example.com/img/').map((url) => url.replace(/js$/, 'png'));

  it('waits for the tasks through DescribeRefreshTaskById: status done', async () => {
    const run = await act(
      { urls: images(60).join('\n'), wait: 'true' },
      { taskProgress: { doneAfterPolls: 1 } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    const ids = emulator?.accepted.flatMap((task) => task.taskIds) ?? [];
    expect(ids).toHaveLength(2);
    // Both tasks in one call a round: running at once, done 2 s later.
    expect(paramsOf('DescribeRefreshTaskById').map((p) => p.TaskId)).toEqual([ids.join(','), ids.join(',')]);
    // One call of 60 URLs made two tasks of 50 and 10 objects: each task counts its own.
    expect(run.stdout).toContain(`RefreshObjectCaches task ${ids[0]} (50 targets): done`);
    expect(run.stdout).toContain(`RefreshObjectCaches task ${ids[1]} (10 targets): done`);
    expect(run.summary).toContain(
      `<code>${ids[1]}</code></td><td><code>RefreshObjectCaches</code></td><td>10</td>`,
    );
  });

  it('purge-prefetch: refreshes, waits for the refresh tasks, then prefetches what was refreshed', async () => {
    const targets = images(3);
    const broken = targets[1] ?? '';
    const run = await act(
      { mode: 'purge-prefetch', urls: targets.join('\n') },
      { taskProgress: { doneAfterPolls: 0, failPaths: [broken] } },
    );
    expect((emulator?.requests ?? []).map((request) => request.action)).toEqual([
      'DescribeRefreshQuota',
      'RefreshObjectCaches',
      'DescribeRefreshTaskById',
      'PushObjectCache',
    ]);
    expect(paramsOf('PushObjectCache')[0]?.ObjectPath).toBe([targets[0], targets[2]].join('\n'));
    expect(run.exitCode).toBe(1);
    expect(json(run.outputs.failed)).toEqual([expect.objectContaining({ url: broken, code: 'TaskFailed' })]);
  });
});

describe('waiting on the EdgeOne emulator', () => {
  let emulator: EdgeOneEmulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  async function act(inputs: Record<string, string>, options: EdgeOneEmulatorOptions): Promise<ActionRun> {
    emulator = await startEdgeOneEmulator(options);
    return runInProcess({
      ...edgeOneStepInputs(emulator),
      ...inputs,
    });
  }
  const bodiesOf = (action: string): unknown[] =>
    (emulator?.requests ?? []).filter((request) => request.action === action).map((request) => request.body);

  it('waits for the jobs through DescribePurgeTasks, listing the jobs of the zone by time range', async () => {
    const run = await act(
      { urls: urls(2, 'https://www.example.com/e/').join('\n'), wait: 'true' },
      { taskProgress: { doneAfterPolls: 1 } },
    );
    expect(run.exitCode).toBe(0);
    expect(run.outputs.status).toBe('done');
    const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(bodiesOf('DescribePurgeTasks')).toEqual([
      { ZoneId: DEFAULT_ZONE_ID, StartTime: isoTime, EndTime: isoTime, Offset: 0, Limit: 1000 },
      { ZoneId: DEFAULT_ZONE_ID, StartTime: isoTime, EndTime: isoTime, Offset: 0, Limit: 1000 },
    ]);
  });

  it('reports a failed target of a job, and does not prefetch a URL whose purge job failed', async () => {
    const broken = 'https://www.example.com/e/0.css';
    const fine = 'https://www.example.com/e/1.css';
    const run = await act(
      { mode: 'purge-prefetch', urls: `${broken}\n${fine}`, wait: 'true' },
      { taskProgress: { doneAfterPolls: 0, failTargets: [broken] } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(json(run.outputs.failed)).toEqual([
      {
        url: broken,
        code: 'TaskFailed',
        message: expect.stringMatching(
          /^CreatePurgeTask task .+: the provider reports that this target failed$/,
        ),
      },
    ]);
    expect(bodiesOf('CreatePrefetchTask')).toEqual([expect.objectContaining({ Targets: [fine] })]);
    expect(run.stdout).toContain('1 target left out because they failed in the operation before:');
  });
});
