/**
 * Each provider's describeTasks against its emulator, with waitForTasks on a virtual clock: tasks of one kind are
 * read together (a list over their time range, or several IDs a call), so a round costs a call per page, not per
 * task; tasks that finish at a set time are seen on time; the status APIs' rates hold.
 */
import { describe, expect, it } from 'vitest';
import { createHttpClient } from '../../src/delivery/http.js';
import type { Clock } from '../../src/delivery/pacing.js';
import { type WatchedTask, waitForTasks } from '../../src/delivery/wait.js';
import type { ProviderConnection, ProviderDefinition } from '../../src/providers/provider.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { OperationKind } from '../../src/settings.js';
import { ALIYUN_CREDENTIALS, startAliyunCdnEmulator } from '../fakes/aliyun-cdn/emulator.js';
import type { RecordedRequestBase } from '../fakes/shared/api-server.js';
import type { TaskProgressOptions } from '../fakes/shared/task-progress.js';
import { cleanupAfterEach, urls } from '../fakes/shared/test-harness.js';
import { startTencentCdnEmulator, stepInputs } from '../fakes/tencent-cdn/emulator.js';
import {
  DEFAULT_ZONE_ID,
  EDGEONE_CREDENTIALS,
  startEdgeOneEmulator,
} from '../fakes/tencent-edgeone/emulator.js';
import { settingsFrom } from '../support/settings.js';
import { virtualClock } from '../support/virtual-clock.js';

const defer = cleanupAfterEach();

interface EmulatorSetup {
  now: () => number;
  taskProgress: TaskProgressOptions;
  ratePerSecond?: number;
  dailyQuota?: Record<string, number>;
}

interface Emulated {
  url: string;
  requests: RecordedRequestBase[];
  close(): Promise<void>;
}

/** One provider and how to start its emulator and point the provider at it. */
interface Case {
  id: string;
  statusAction: string;
  start: (setup: EmulatorSetup) => Promise<Emulated>;
  inputs: (url: string) => Record<string, string>;
}

const CASES: Case[] = [
  {
    id: 'tencent-cdn',
    statusAction: 'DescribePurgeTasks',
    start: (setup) => startTencentCdnEmulator(setup),
    inputs: (url) => stepInputs({ url }),
  },
  {
    id: 'tencent-edgeone',
    statusAction: 'DescribePurgeTasks',
    start: (setup) => startEdgeOneEmulator(setup),
    inputs: (url) => ({
      provider: 'tencent-edgeone',
      endpoint: url,
      'zone-id': DEFAULT_ZONE_ID,
      'secret-id': EDGEONE_CREDENTIALS.secretId,
      'secret-key': EDGEONE_CREDENTIALS.secretKey,
    }),
  },
  {
    id: 'aliyun-cdn',
    statusAction: 'DescribeRefreshTaskById',
    start: (setup) => startAliyunCdnEmulator(setup),
    inputs: (url) => ({
      provider: 'aliyun-cdn',
      endpoint: url,
      'secret-id': ALIYUN_CREDENTIALS.accessKeyId,
      'secret-key': ALIYUN_CREDENTIALS.accessKeySecret,
    }),
  },
];

/** The provider connected to a fresh emulator that shares `clock`. */
async function connected(
  testCase: Case,
  clock: Clock,
  setup: Omit<EmulatorSetup, 'now'>,
): Promise<{ provider: ProviderDefinition; emulator: Emulated; connect: () => ProviderConnection }> {
  const emulator = await testCase.start({ now: clock.now, ...setup });
  defer(() => emulator.close());
  const http = createHttpClient();
  defer(() => http.close());
  const settings = settingsFrom({ ...testCase.inputs(emulator.url), urls: 'https://www.example.com/' });
  const provider = PROVIDERS.find((candidate) => candidate.id === testCase.id);
  if (!provider || !settings.credentials) throw new Error(`no ${testCase.id}`);
  const { credentials } = settings;
  const connect = () =>
    provider.connect(
      { settings, credentials: async () => credentials, send: http.send, now: clock.now, timeoutMs: 5000 },
      settings.providerSettings.options,
    );
  return { provider, emulator, connect };
}

/** Submits one purge of each list of URLs (`spaced.ms` apart on its clock, if given); the tasks to wait for. */
async function purge(
  connection: ProviderConnection,
  batches: string[][],
  spaced?: { clock: Clock; ms: number },
): Promise<WatchedTask[]> {
  const tasks: WatchedTask[] = [];
  for (const targets of batches) {
    await spaced?.clock.sleep(spaced.ms);
    const accepted = await connection.submit('purge-urls', targets);
    for (const taskId of accepted.taskIds) {
      tasks.push({ kind: 'purge-urls', action: 'purge', taskId, targets });
    }
  }
  return tasks;
}

async function wait(
  tasks: WatchedTask[],
  provider: ProviderDefinition,
  connection: ProviderConnection,
  clock: Clock,
  timeoutMs = 600_000,
) {
  const rounds: string[] = [];
  const outcomes = await waitForTasks(tasks, {
    clock,
    timeoutMs,
    statusApis: provider.statusApis,
    describeTasks: (kind: OperationKind, taskIds, paced) => connection.describeTasks(kind, taskIds, paced),
    log: { info: (line) => rounds.push(line), warning: () => {} },
  });
  return { outcomes, rounds };
}

const statusCalls = (emulator: Emulated, action: string) =>
  emulator.requests.filter((request) => request.action === action);

describe.each(CASES)('$id: describeTasks', (testCase) => {
  it('reads 10 tasks in one call a round, and sees tasks that finish at 31 s by 38 s', async () => {
    const clock = virtualClock();
    const { provider, emulator, connect } = await connected(testCase, clock, {
      taskProgress: { doneAfterMs: 31_000 },
    });
    const connection = connect();
    const tasks = await purge(
      connection,
      urls(10).map((url) => [url]),
    );
    expect(tasks).toHaveLength(10);
    const start = clock.now();
    const { outcomes, rounds } = await wait(tasks, provider, connection, clock);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(Array(10).fill('done'));
    expect(clock.now() - start).toBeGreaterThanOrEqual(31_000);
    expect(clock.now() - start).toBeLessThanOrEqual(38_000);
    // Rounds at 0, 2, 4, 6, 8, 10, 12, 14.4, 17.3, 20.7, 24.9, 29.9 and 35.8 s: one status call each.
    expect(rounds).toHaveLength(13);
    expect(statusCalls(emulator, testCase.statusAction)).toHaveLength(13);
  });

  it('reports a task done at 95 s of a 100 s wait, by a last read at the timeout', async () => {
    const clock = virtualClock();
    const { provider, connect } = await connected(testCase, clock, { taskProgress: { doneAfterMs: 95_000 } });
    const connection = connect();
    const tasks = await purge(connection, [urls(1)]);
    const start = clock.now();
    const { outcomes } = await wait(tasks, provider, connection, clock, 100_000);
    expect(outcomes[0]?.state).toBe('done');
    expect(clock.now() - start).toBe(100_000);
  });
});

describe('Tencent task lists', () => {
  const [cdn, edgeone] = CASES;

  it('CDN: lists the tasks by their time range in Beijing time, a call per page of 1,000 rows', async () => {
    if (!cdn) throw new Error('no case');
    const clock = virtualClock(Date.parse('2024-01-02T03:04:05.250Z'));
    const { provider, emulator, connect } = await connected(cdn, clock, {
      taskProgress: { doneAfterPolls: 0 },
      dailyQuota: { purgeUrls: 100_000 },
    });
    // Another deploy's task in the same minutes is listed too, and read past.
    const other = await connect().submit('purge-urls', urls(10, 'https://other.example.com'));
    const connection = connect();
    const batches = [urls(1000, 'https://a.example.com'), urls(1000, 'https://b.example.com'), urls(490)];
    const tasks = await purge(connection, batches);
    const { outcomes } = await wait(tasks, provider, connection, clock);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['done', 'done', 'done']);
    const ids = tasks.map((task) => task.taskId);
    const reports = await connection.describeTasks('purge-urls', ids, async () => {});
    expect([...reports.keys()]).toEqual(ids);
    expect(ids).not.toContain(other.taskIds[0]);
    // A connection that did not create the task reads it by its TaskId.
    const elsewhere = await connect().describeTasks('purge-urls', other.taskIds, async () => {});
    expect(elsewhere.get(other.taskIds[0] ?? '')?.state).toBe('done');
    expect(JSON.parse(statusCalls(emulator, 'DescribePurgeTasks').at(-1)?.rawBody ?? '')).toEqual({
      TaskId: other.taskIds[0],
      PurgeType: 'url',
      Offset: 0,
      Limit: 1000,
    });
    const bodies = statusCalls(emulator, 'DescribePurgeTasks')
      .slice(0, 3)
      .map((request) => JSON.parse(request.rawBody));
    // 2,500 rows: three pages. Submitted at 03:04:05.250 UTC (11:04:05 in Beijing), widened by 5 minutes.
    expect(bodies).toEqual(
      [0, 1000, 2000].map((Offset) => ({
        StartTime: '2024-01-02 10:59:05',
        EndTime: '2024-01-02 11:09:06',
        PurgeType: 'url',
        Offset,
        Limit: 1000,
      })),
    );
  });

  it("CDN: holds the status API's rate over many pages, which unpaced would be refused", async () => {
    if (!cdn) throw new Error('no case');
    const clock = virtualClock();
    const { provider, emulator, connect } = await connected(cdn, clock, {
      taskProgress: { doneAfterPolls: 1 },
      dailyQuota: { purgeUrls: 100_000 },
      ratePerSecond: 20,
    });
    const connection = connect();
    const batches = Array.from({ length: 25 }, (_, i) => urls(1000, `https://h${i}.example.com`));
    const tasks = await purge(connection, batches, { clock, ms: 60 });
    const { outcomes } = await wait(tasks, provider, connection, clock);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(Array(25).fill('done'));
    const reads = statusCalls(emulator, 'DescribePurgeTasks');
    expect(reads).toHaveLength(50);
    expect(reads.filter((request) => request.outcome !== 'accepted')).toEqual([]);

    const unpaced = connection.describeTasks(
      'purge-urls',
      tasks.map((task) => task.taskId),
      async () => {},
    );
    await expect(unpaced).rejects.toMatchObject({ code: 'RequestLimitExceeded' });
  });

  it('EdgeOne: lists the jobs of the zone by their time range in UTC; a job another connection made, by its ID', async () => {
    if (!edgeone) throw new Error('no case');
    const clock = virtualClock(Date.parse('2024-01-02T03:04:05.250Z'));
    const { provider, emulator, connect } = await connected(edgeone, clock, {
      taskProgress: { doneAfterPolls: 0 },
    });
    const connection = connect();
    const tasks = await purge(connection, [urls(2), urls(3, 'https://b.example.com')]);
    const { outcomes } = await wait(tasks, provider, connection, clock);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(['done', 'done']);
    const jobId = tasks[0]?.taskId ?? '';
    const elsewhere = await connect().describeTasks('purge-urls', [jobId], async () => {});
    expect(elsewhere.get(jobId)?.state).toBe('done');
    const bodies = statusCalls(emulator, 'DescribePurgeTasks').map((request) => JSON.parse(request.rawBody));
    expect(bodies).toEqual([
      {
        ZoneId: DEFAULT_ZONE_ID,
        StartTime: '2024-01-02T02:59:05Z',
        EndTime: '2024-01-02T03:09:06Z',
        Offset: 0,
        Limit: 1000,
      },
      { ZoneId: DEFAULT_ZONE_ID, Filters: [{ Name: 'job-id', Values: [jobId] }], Offset: 0, Limit: 1000 },
    ]);
  });
});

describe('Alibaba DescribeRefreshTaskById', () => {
  it('asks for the running tasks 10 IDs a call', async () => {
    const aliyun = CASES[2];
    if (!aliyun) throw new Error('no case');
    const clock = virtualClock();
    const { provider, emulator, connect } = await connected(aliyun, clock, {
      taskProgress: { doneAfterPolls: 0 },
    });
    const connection = connect();
    const tasks = await purge(
      connection,
      urls(25).map((url) => [url]),
    );
    const { outcomes } = await wait(tasks, provider, connection, clock);
    expect(outcomes.map((outcome) => outcome.state)).toEqual(Array(25).fill('done'));
    const asked = statusCalls(emulator, 'DescribeRefreshTaskById').map(
      (request) => new URLSearchParams(request.rawBody).get('TaskId')?.split(',').length,
    );
    expect(asked).toEqual([10, 10, 5]);
  });
});
