/**
 * What each EdgeOne action does once a request is signed, admitted and free of faults. A Create* call: validate
 * the body, check the zone, apply the batch limit to every target submitted, set aside the targets of
 * `failTargets` (answered in FailedList), take the daily quota of the zone for the others, and record the job.
 */
import { randomInt } from 'node:crypto';
import { ApiFailure } from '../shared/api-failure.js';
import type { DailyQuotaBook } from '../shared/daily-quota.js';
import type { ActionCall, ActionOutcome } from '../tencent/api-server.js';
import type { JobBook } from './tasks.js';
import {
  type EdgeOneAction,
  type EdgeOneJob,
  type EdgeOneQuotaType,
  type EdgeOneSubmitAction,
  PURGE_TYPES,
} from './types.js';
import {
  ALL_ZONES,
  parseContentQuotaQuery,
  parseCreatePrefetchTask,
  parseCreatePurgeTask,
  parseTasksQuery,
} from './validation.js';

export interface EdgeOneBackendConfig {
  /** The known zone IDs. */
  zones: readonly string[];
  batchLimits: Readonly<Record<EdgeOneQuotaType, number>>;
  /** Counted per zone. */
  quota: DailyQuotaBook<EdgeOneQuotaType>;
  jobs: JobBook;
  /** Target → Reason, for FailedList. */
  failTargets: ReadonlyMap<string, string>;
}

interface FailReason {
  Reason: string;
  Targets: string[];
}

export class EdgeOneBackend {
  readonly accepted: EdgeOneJob[] = [];
  private readonly jobIds = new Set<string>();

  constructor(private readonly config: EdgeOneBackendConfig) {}

  /** Carries out one action; throws an `ApiFailure` for anything the API would refuse. */
  handle(action: EdgeOneAction, call: ActionCall): ActionOutcome {
    switch (action) {
      case 'CreatePurgeTask':
        return this.createPurge(call);
      case 'CreatePrefetchTask':
        return this.createPrefetch(call);
      case 'DescribePurgeTasks':
      case 'DescribePrefetchTasks': {
        const query = parseTasksQuery(call.body);
        if (query.ZoneId !== undefined) this.checkZone(query.ZoneId, true);
        const kind = action === 'DescribePurgeTasks' ? 'purge' : 'prefetch';
        return { response: { ...this.config.jobs.list(kind, query, call.nowMs) } };
      }
      case 'DescribeContentQuota': {
        const { ZoneId: zoneId } = parseContentQuotaQuery(call.body);
        this.checkZone(zoneId, false);
        return {
          response: {
            PurgeQuota: PURGE_TYPES.map((type) => this.quotaOf(type, zoneId)),
            PrefetchQuota: [this.quotaOf('prefetch_url', zoneId)],
          },
        };
      }
    }
  }

  private createPurge(call: ActionCall): ActionOutcome {
    const request = parseCreatePurgeTask(call.body);
    const type = request.Type;
    this.checkZone(request.ZoneId, true);
    // purge_all purges a whole zone: it counts as one, and has no targets that could fail.
    if (type === 'purge_all') {
      this.take(type, request.ZoneId, 1);
      const job = this.accept(call, 'CreatePurgeTask', request.ZoneId, type, request.Method, []);
      return { response: { JobId: job.jobId, FailedList: [] }, taskId: job.jobId };
    }
    return this.submit(call, 'CreatePurgeTask', request.ZoneId, type, request.Method, request.Targets);
  }

  private createPrefetch(call: ActionCall): ActionOutcome {
    const request = parseCreatePrefetchTask(call.body);
    this.checkZone(request.ZoneId, true);
    return this.submit(
      call,
      'CreatePrefetchTask',
      request.ZoneId,
      'prefetch_url',
      undefined,
      request.Targets,
    );
  }

  private submit(
    call: ActionCall,
    action: EdgeOneSubmitAction,
    zoneId: string,
    type: EdgeOneQuotaType,
    method: string | undefined,
    targets: readonly string[],
  ): ActionOutcome {
    const batch = this.config.batchLimits[type];
    if (targets.length > batch) {
      throw new ApiFailure(
        'LimitExceeded.BatchQuota',
        `Batch quota exceeded: ${targets.length} ${type} targets in one request, at most ${batch}.`,
      );
    }
    const failedList: FailReason[] = [];
    const accepted: string[] = [];
    for (const target of targets) {
      const reason = this.config.failTargets.get(target);
      if (reason === undefined) {
        accepted.push(target);
        continue;
      }
      const group = failedList.find((entry) => entry.Reason === reason);
      if (group) group.Targets.push(target);
      else failedList.push({ Reason: reason, Targets: [target] });
    }
    this.take(type, zoneId, accepted.length);
    const job = this.accept(call, action, zoneId, type, method, accepted);
    return { response: { JobId: job.jobId, FailedList: failedList }, taskId: job.jobId };
  }

  /** A known zone; `*` too where `allowAll`. */
  private checkZone(zoneId: string, allowAll: boolean): void {
    if (allowAll && zoneId === ALL_ZONES) return;
    if (!this.config.zones.includes(zoneId)) {
      throw new ApiFailure(
        'ResourceNotFound.ZoneNotFound',
        `The zone ${zoneId} does not exist in this account.`,
      );
    }
  }

  /**
   * Takes `count` from the daily quota of the zone, all or nothing. ZoneId `*` may reach any zone (the emulator
   * does not know which zone serves which host), so it takes from every known zone, as a conservative account.
   */
  private take(type: EdgeOneQuotaType, zoneId: string, count: number): void {
    const { quota, zones } = this.config;
    const scopes = zoneId === ALL_ZONES ? zones : [zoneId];
    if (quota.tryConsume(type, scopes, count)) return;
    const left = scopes.map((zone) => `${quota.available(type, zone)} in ${zone}`).join(', ');
    throw new ApiFailure(
      'LimitExceeded.DailyQuota',
      `Daily quota exceeded: ${count} ${type} targets submitted, ${left} left today; nothing was accepted.`,
    );
  }

  private quotaOf(
    type: EdgeOneQuotaType,
    zoneId: string,
  ): { Type: EdgeOneQuotaType; Batch: number; Daily: number; DailyAvailable: number } {
    const { quota, batchLimits } = this.config;
    return {
      Type: type,
      Batch: batchLimits[type],
      Daily: quota.total(type),
      DailyAvailable: quota.available(type, zoneId),
    };
  }

  private accept(
    call: ActionCall,
    action: EdgeOneSubmitAction,
    zoneId: string,
    type: EdgeOneQuotaType,
    method: string | undefined,
    targets: string[],
  ): EdgeOneJob {
    const job: EdgeOneJob = {
      jobId: this.newJobId(),
      requestId: call.requestId,
      action,
      zoneId,
      type,
      ...(method === undefined ? {} : { method }),
      targets,
      body: call.body as Record<string, unknown>,
      acceptedAt: call.nowMs,
    };
    this.accepted.push(job);
    this.config.jobs.add(job, action === 'CreatePurgeTask' ? 'purge' : 'prefetch');
    return job;
  }

  /** 12 random [a-z0-9], like the documented `20ga521cpwch`; never repeated. */
  private newJobId(): string {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      let id = '';
      for (let i = 0; i < 12; i++) id += alphabet[randomInt(alphabet.length)];
      if (!this.jobIds.has(id)) {
        this.jobIds.add(id);
        return id;
      }
    }
  }
}
