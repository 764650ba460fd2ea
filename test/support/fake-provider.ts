/**
 * A provider that lives only in tests: registered with run() or readSettings in place of the real ones, it shows
 * that a provider is one definition and nothing else. It records every call and answers through the scripts given.
 */
import { ApiError } from '../../src/errors.js';
import type { BatchAccepted, ProviderDefinition, Quota, TaskReport } from '../../src/providers/provider.js';
import { TENCENT_KEYLESS } from '../../src/providers/tencent/sts.js';
import type { OperationKind } from '../../src/settings.js';

export interface FakeCall {
  kind: OperationKind;
  targets: string[];
}

export interface FakeScripts {
  /** The answer to a batch: accepted, or an ApiError to throw. Every batch is accepted by default. */
  submit?: (call: FakeCall, index: number) => BatchAccepted | ApiError;
  /** A task's state; done at once by default. */
  describe?: (kind: OperationKind, taskId: string) => TaskReport;
  quotas?: Partial<Record<OperationKind, Quota>>;
}

export interface FakeProvider {
  definition: ProviderDefinition<{ region: string }>;
  calls: FakeCall[];
  /** Every status read, as "kind taskId". */
  statusReads: string[];
  /** The time the provider's clock (`ProviderContext.now`) read at each submit: when that attempt was signed. */
  signedAt: number[];
}

/** `fake-cdn`: purges URLs and directories, prefetches, and takes one input of its own, `fake-region`. */
export function fakeProvider(scripts: FakeScripts = {}): FakeProvider {
  const calls: FakeCall[] = [];
  const statusReads: string[] = [];
  const signedAt: number[] = [];
  const definition: ProviderDefinition<{ region: string }> = {
    id: 'fake-cdn',
    label: 'Fake CDN',
    apis: {
      'purge-urls': { action: 'PurgeUrls', batchSize: 100, ratePerSecond: 20 },
      'purge-paths': { action: 'PurgePaths', batchSize: 10, ratePerSecond: 20 },
      prefetch: { action: 'Prefetch', batchSize: 50, ratePerSecond: 20 },
    },
    statusApis: {
      'purge-urls': { action: 'DescribeTask', batchSize: 1, ratePerSecond: 20 },
      'purge-paths': { action: 'DescribeTask', batchSize: 1, ratePerSecond: 20 },
      prefetch: { action: 'DescribeTask', batchSize: 1, ratePerSecond: 20 },
    },
    defaultQuotas: {},
    ownInputs: ['fake-region'],
    layers: [],
    apiHosts: ['*.fake-cdn.example'],
    credentialVariables: { id: 'FAKE_CDN_ID', key: 'FAKE_CDN_KEY', token: 'FAKE_CDN_TOKEN' },
    keyless: TENCENT_KEYLESS,
    readInputs: (read) => ({ targets: [], options: { region: read('fake-region') || 'everywhere' } }),
    connect: ({ now }) => ({
      async submit(kind, targets) {
        signedAt.push(now());
        const call = { kind, targets: [...targets] };
        calls.push(call);
        const answer = scripts.submit?.(call, calls.length - 1) ?? {
          taskIds: [`task-${calls.length}`],
          requestId: `req-${calls.length}`,
          refused: [],
        };
        if (answer instanceof ApiError) throw answer;
        return answer;
      },
      readQuotas: async () => scripts.quotas ?? {},
      async describeTasks(kind, taskIds, paced) {
        const reports = new Map<string, TaskReport>();
        for (const taskId of taskIds) {
          await paced();
          statusReads.push(`${kind} ${taskId}`);
          reports.set(taskId, scripts.describe?.(kind, taskId) ?? { state: 'done', failedTargets: [] });
        }
        return reports;
      },
    }),
  };
  return { definition, calls, statusReads, signedAt };
}
