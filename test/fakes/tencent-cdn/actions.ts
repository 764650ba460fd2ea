/**
 * What each action does once a request is signed, admitted and free of faults: validate the body, apply the
 * batch limit, refuse wildcard hosts, take the daily quota, and record the task.
 */
import { randomInt } from 'node:crypto';
import { ApiFailure } from '../shared/api-failure.js';
import type { DailyQuotaBook } from '../shared/daily-quota.js';
import type { ActionCall as Call } from '../tencent/api-server.js';
import type { TaskBook } from './tasks.js';
import {
  type AcceptedTask,
  type BatchLimits,
  type CdnAction,
  type DomainArea,
  QUOTA_AREAS,
  type QuotaArea,
  type QuotaKind,
  type SubmitAction,
} from './types.js';
import {
  hasWildcardHost,
  paramError,
  parseDomainsQuery,
  parseEnableCaches,
  parsePurgePaths,
  parsePurgeTasksQuery,
  parsePurgeUrls,
  parsePushTasksQuery,
  parsePushUrls,
  parseQuotaQuery,
} from './validation.js';

export interface BackendConfig {
  batchLimits: Readonly<Required<BatchLimits>>;
  /** The account's domains and their areas; undefined: every domain asked about, served in mainland. */
  domainAreas: Readonly<Record<string, DomainArea>> | undefined;
  quota: DailyQuotaBook<QuotaKind>;
  tasks: TaskBook;
  unblockFailUrls: ReadonlySet<string>;
}

export interface ActionResult {
  /** The fields of `Response` apart from RequestId. */
  response: Record<string, unknown>;
  task?: AcceptedTask;
}

/** The error codes and wording of one submission's limits. */
interface SubmitLimits {
  kind: QuotaKind;
  what: string;
  verb: string;
  batchCode: string;
  wildcardCode: string;
  dayCode: string;
}

const PURGE_URLS: SubmitLimits = {
  kind: 'purgeUrls',
  what: 'URLs',
  verb: 'purge',
  batchCode: 'LimitExceeded.CdnPurgeUrlExceedBatchLimit',
  wildcardCode: 'InvalidParameter.CdnPurgeWildcardNotAllowed',
  dayCode: 'LimitExceeded.CdnPurgeUrlExceedDayLimit',
};

const PURGE_PATHS: SubmitLimits = {
  kind: 'purgePaths',
  what: 'directories',
  verb: 'purge',
  batchCode: 'LimitExceeded.CdnPurgeExceedBatchLimit',
  wildcardCode: 'InvalidParameter.CdnPurgeWildcardNotAllowed',
  dayCode: 'LimitExceeded.CdnPurgeExceedDayLimit',
};

const PUSH_URLS: SubmitLimits = {
  kind: 'pushUrls',
  what: 'URLs',
  verb: 'prefetch',
  batchCode: 'LimitExceeded.CdnPushExceedBatchLimit',
  wildcardCode: 'InvalidParameter.CdnPushWildcardNotAllowed',
  dayCode: 'LimitExceeded.CdnPushExceedDayLimit',
};

export class CdnBackend {
  readonly accepted: AcceptedTask[] = [];
  private readonly taskIds = new Set<string>();

  constructor(private readonly config: BackendConfig) {}

  /** Carries out one action; throws an `ApiFailure` for anything the API would refuse. */
  handle(action: CdnAction, call: Call): ActionResult {
    switch (action) {
      case 'PurgeUrlsCache':
        return this.purgeUrls(call);
      case 'PurgePathCache':
        return this.purgePaths(call);
      case 'PushUrlsCache':
        return this.pushUrls(call);
      case 'EnableCaches':
        return this.enableCaches(call);
      case 'DescribeDomains':
        return { response: this.domains(parseDomainsQuery(call.body)) };
      case 'DescribePurgeQuota':
        parseQuotaQuery(call.body);
        return {
          response: { UrlPurge: this.quotas('purgeUrls'), PathPurge: this.quotas('purgePaths') },
        };
      case 'DescribePushQuota':
        parseQuotaQuery(call.body);
        return { response: { UrlPush: this.quotas('pushUrls') } };
      case 'DescribePurgeTasks':
        return { response: { ...this.config.tasks.purgeLogs(parsePurgeTasksQuery(call.body), call.nowMs) } };
      case 'DescribePushTasks':
        return { response: { ...this.config.tasks.pushLogs(parsePushTasksQuery(call.body), call.nowMs) } };
    }
  }

  private purgeUrls(call: Call): ActionResult {
    const request = parsePurgeUrls(call.body);
    const urls = request.Urls;
    const area = request.Area ?? 'mainland';
    this.admit(urls, 'Urls', this.purgeCharges(urls, request.Area), PURGE_URLS);
    const task = this.accept(call, 'PurgeUrlsCache', { urls, area: request.Area });
    this.config.tasks.addPurge(task, 'url', urls, area);
    return { response: { TaskId: task.taskId }, task };
  }

  private purgePaths(call: Call): ActionResult {
    const request = parsePurgePaths(call.body);
    const paths = request.Paths;
    const area = request.Area ?? 'mainland';
    this.admit(paths, 'Paths', this.purgeCharges(paths, request.Area), PURGE_PATHS);
    const task = this.accept(call, 'PurgePathCache', {
      paths,
      area: request.Area,
      flushType: request.FlushType,
    });
    this.config.tasks.addPurge(task, 'path', paths, area);
    return { response: { TaskId: task.taskId }, task };
  }

  private pushUrls(call: Call): ActionResult {
    const request = parsePushUrls(call.body);
    const urls = request.Urls;
    // Push defaults to mainland; global prefetches to both regions and takes from both quotas.
    const area = request.Area ?? 'mainland';
    const areas: QuotaArea[] = area === 'global' ? ['mainland', 'overseas'] : [area];
    this.admit(urls, 'Urls', new Map(areas.map((charged) => [charged, urls.length])), PUSH_URLS);
    const task = this.accept(call, 'PushUrlsCache', { urls, area: request.Area });
    this.config.tasks.addPush(task, urls, area);
    return { response: { TaskId: task.taskId }, task };
  }

  /**
   * No per-request limit is documented for EnableCaches; over `batchLimits.enableCaches` the emulator answers
   * InvalidParameter.CdnParamError (a made-up but plausible answer: the real API's is not known).
   */
  private enableCaches(call: Call): ActionResult {
    const request = parseEnableCaches(call.body);
    const urls = request.Urls;
    if (urls.length > this.config.batchLimits.enableCaches) {
      throw paramError(
        'Urls',
        `at most ${this.config.batchLimits.enableCaches} URLs per request, got ${urls.length}`,
      );
    }
    const task = this.accept(call, 'EnableCaches', { urls });
    const failed = this.config.unblockFailUrls;
    return {
      response: {
        TaskId: task.taskId,
        CacheOptResult: {
          SuccessUrls: urls.filter((url) => !failed.has(url)),
          FailUrls: urls.filter((url) => failed.has(url)),
        },
      },
      task,
    };
  }

  /** Where a domain is served: as configured, else mainland. */
  private domainArea(host: string): DomainArea {
    return this.config.domainAreas?.[host] ?? 'mainland';
  }

  /**
   * What a purge takes from each area's quota: with `Area`, all of it there; without, each target in the areas its
   * domain is served in (both for a global domain), as PurgeUrlsCache documents.
   */
  private purgeCharges(targets: readonly string[], area: QuotaArea | undefined): Map<QuotaArea, number> {
    if (area) return new Map([[area, targets.length]]);
    const charges = new Map<QuotaArea, number>();
    for (const target of targets) {
      const served = this.domainArea(new URL(target).hostname);
      for (const charged of served === 'global' ? QUOTA_AREAS : [served])
        charges.set(charged, (charges.get(charged) ?? 0) + 1);
    }
    return charges;
  }

  /** DescribeDomains: the account's domains that match the `domain` filters (others are not emulated). */
  private domains(query: ReturnType<typeof parseDomainsQuery>): Record<string, unknown> {
    const filters = (query.Filters ?? []).filter((filter) => filter.Name === 'domain');
    const asked = filters.flatMap((filter) => (filter.Fuzzy ? [] : filter.Value));
    const known = this.config.domainAreas ? Object.keys(this.config.domainAreas) : asked;
    const matching = known.filter((domain) =>
      filters.every((filter) =>
        filter.Fuzzy ? filter.Value.some((value) => domain.includes(value)) : filter.Value.includes(domain),
      ),
    );
    const offset = query.Offset ?? 0;
    const page = matching.slice(offset, offset + (query.Limit ?? 100));
    return {
      Domains: page.map((domain) => ({
        Domain: domain,
        Area: this.domainArea(domain),
        Status: 'online',
        ServiceType: 'web',
        Disable: 'normal',
        Readonly: 'normal',
        Product: 'cdn',
      })),
      TotalNumber: matching.length,
    };
  }

  private quotas(
    kind: QuotaKind,
  ): Array<{ Batch: number; Total: number; Available: number; Area: QuotaArea }> {
    const { quota, batchLimits } = this.config;
    return QUOTA_AREAS.map((area) => ({
      Batch: batchLimits[kind],
      Total: quota.total(kind),
      Available: quota.available(kind, area),
      Area: area,
    }));
  }

  /** Applies the batch limit, refuses wildcard hosts and takes the daily quota of every area, in this order. */
  private admit(
    targets: readonly string[],
    field: string,
    charges: ReadonlyMap<QuotaArea, number>,
    limits: SubmitLimits,
  ): void {
    const { kind, what } = limits;
    const count = targets.length;
    const batch = this.config.batchLimits[kind];
    if (count > batch) {
      throw new ApiFailure(
        limits.batchCode,
        `Batch limit exceeded: ${count} ${what} in one request, at most ${batch}.`,
      );
    }
    const wildcard = targets.findIndex(hasWildcardHost);
    if (wildcard >= 0) {
      throw new ApiFailure(
        limits.wildcardCode,
        `${field}[${wildcard}]: a wildcard domain name cannot be purged or prefetched.`,
      );
    }
    const { quota } = this.config;
    if (quota.tryConsumeEach(kind, charges)) return;
    const left = [...charges.keys()].map((area) => `${quota.available(kind, area)} in ${area}`).join(', ');
    throw new ApiFailure(
      limits.dayCode,
      `Daily limit exceeded: ${count} ${what} to ${limits.verb} submitted, ${left} left today; nothing was accepted.`,
    );
  }

  private accept(
    call: Call,
    action: SubmitAction,
    targets: { urls?: string[]; paths?: string[]; area?: string | undefined; flushType?: 'flush' | 'delete' },
  ): AcceptedTask {
    const { area, ...rest } = targets;
    const task: AcceptedTask = {
      taskId: this.newTaskId(call.nowMs),
      requestId: call.requestId,
      action,
      ...rest,
      ...(area === undefined ? {} : { area }),
      body: call.body as Record<string, unknown>,
      acceptedAt: call.nowMs,
    };
    this.accepted.push(task);
    return task;
  }

  /** `<unix seconds>-<8 random [a-z0-9]>`, like the documented `1533045796-i60rfmzm`; never repeated. */
  private newTaskId(nowMs: number): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      let suffix = '';
      for (let i = 0; i < 8; i++) suffix += alphabet[randomInt(alphabet.length)];
      const id = `${Math.floor(nowMs / 1000)}-${suffix}`;
      if (!this.taskIds.has(id)) {
        this.taskIds.add(id);
        return id;
      }
    }
  }
}
