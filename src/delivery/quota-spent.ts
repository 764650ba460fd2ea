/**
 * The message of the targets an operation could not send because its daily quota ran out during the run: another
 * job purged meanwhile, after the plan had read the quota.
 */
import type { ApiError } from '../errors.js';
import type { PlannedOperation } from '../plan/operations.js';
import { describeQuotaScope } from '../plan/quota.js';
import { thousands } from '../text.js';

/**
 * "PurgeUrlsCache: today's quota ran out during the run (LimitExceeded.…: …): 987 of 10,000 were left when the plan
 * read it (mainland: …); this run had 500 accepted, so other purges took the rest meanwhile. Not sent; the quota
 * starts afresh at midnight Beijing time (UTC+8), 16:00 UTC."
 */
export function quotaSpentMessage(operation: PlannedOperation, accepted: number, error: ApiError): string {
  const { action } = operation.api;
  const { quota } = operation;
  const original = error.message
    .replace(/^not sent: stopped after [^:]+: /, '')
    .replace(/ \(RequestId [^)]*\)$/, '');
  const cause = `${error.code}: ${original}`;
  const left = quota
    ? ` ${thousands(quota.available)} of ${thousands(quota.total)} were left when the plan read it ${describeQuotaScope(quota)}; this run had ${thousands(accepted)} accepted, so other purges or prefetches took the rest meanwhile.`
    : ` This run had ${thousands(accepted)} accepted.`;
  const resets = quota?.resets
    ? `the quota starts afresh ${quota.resets}`
    : 'the quota starts afresh the next day';
  return `${action}: today's quota ran out during the run (${cause}).${left} Not accepted; ${resets}.`;
}
