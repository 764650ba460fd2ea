/**
 * Request bodies of the EdgeOne actions. A missing required field, an unknown field, a value of the wrong type
 * or form, or a combination the API refuses (a Method for purge_url, Targets for purge_all, …) is an
 * `InvalidParameter.ParameterError` that names the field; a target that does not fit its Type is an
 * `InvalidParameter.Target` that names it. Zones, batch limits and quotas are checked by the actions.
 */
import { ApiFailure } from '../shared/api-failure.js';
import { isHttpUrl } from '../shared/http-url.js';
import {
  arrayOf,
  boolean,
  type Check,
  describe,
  FieldError,
  httpHeaders,
  integer,
  object,
  oneOf,
  optional,
  parseBody,
  required,
  type Shape,
  sized,
  string,
} from '../tencent/fields.js';
import { METHOD_PURGE_TYPES, PURGE_TYPES, type PurgeType } from './types.js';

/** ZoneId `*`: every zone of the account, for Create* calls (purge_all excepted). */
export const ALL_ZONES = '*';

/** EdgeOne's `InvalidParameter.ParameterError` naming the parameter at fault. */
export function teoParamError(parameter: string, problem: string): ApiFailure {
  return new ApiFailure('InvalidParameter.ParameterError', `${parameter}: ${problem}`);
}

const body = <S extends Shape>(shape: S) => parseBody(shape, teoParamError);

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/** A bare host name: labels of letters, digits and '-', no scheme, no path, no port. */
export function isHostName(text: string): boolean {
  return text.length <= 253 && text.split('.').every((label) => HOST_LABEL.test(label));
}

const hostName: Check<string> = (value, name) => {
  const text = string(value, name);
  if (!isHostName(text)) throw new FieldError(name, `expected a bare host name, got ${describe(text)}`);
  return text;
};

/** ISO-8601 with a time zone, e.g. "2020-09-22T00:00:00+08:00" or "2020-09-21T16:00:00Z"; Unix ms. */
const isoTime: Check<number> = (value, name) => {
  const text = string(value, name);
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/.test(text)
    ? Date.parse(text)
    : Number.NaN;
  if (Number.isNaN(at)) {
    throw new FieldError(
      name,
      `expected an ISO-8601 time like "2020-09-22T00:00:00+08:00", got ${describe(text)}`,
    );
  }
  return at;
};

const zoneId = sized(string, 1, 64);

/** Why a target does not fit its Type, or undefined when it does. */
function targetProblem(type: PurgeType | 'prefetch_url', target: string): string | undefined {
  switch (type) {
    case 'purge_url':
    case 'prefetch_url':
      return isHttpUrl(target) ? undefined : 'is not an absolute http:// or https:// URL';
    case 'purge_prefix':
      if (!isHttpUrl(target)) return 'is not an absolute http:// or https:// URL';
      return target.endsWith('/') ? undefined : 'is a prefix that does not end in "/"';
    case 'purge_host':
      return isHostName(target) ? undefined : 'is not a bare host name (no scheme, path or port)';
    case 'purge_cache_tag':
      return /^\S+$/.test(target) ? undefined : 'is not a cache tag (empty, or with white space)';
    case 'purge_all':
      return 'cannot be given for purge_all';
  }
}

function checkTargets(type: PurgeType | 'prefetch_url', targets: readonly string[]): void {
  targets.forEach((target, index) => {
    const problem = targetProblem(type, target);
    if (problem !== undefined) {
      throw new ApiFailure(
        'InvalidParameter.Target',
        `Targets[${index}]: ${describe(target)} ${problem} (${type}).`,
      );
    }
  });
}

const parsePurgeBody = body({
  ZoneId: required(zoneId),
  Type: required(oneOf(...PURGE_TYPES)),
  Method: optional(oneOf('invalidate', 'delete')),
  Targets: optional(arrayOf(string, { min: 0 })),
  CacheTag: optional(object({ Domains: required(arrayOf(hostName, { min: 1 })) })),
  // Deprecated in favour of a rule in the console, but still taken by the API.
  EncodeUrl: optional(boolean),
});

export function parseCreatePurgeTask(value: unknown) {
  const request = parsePurgeBody(value);
  const { Type: type } = request;
  const targets = request.Targets ?? [];
  if (request.Method !== undefined && !METHOD_PURGE_TYPES.includes(type)) {
    throw teoParamError('Method', `only ${METHOD_PURGE_TYPES.join(', ')} take a Method, not ${type}`);
  }
  if (request.CacheTag !== undefined && type !== 'purge_cache_tag') {
    throw teoParamError('CacheTag', `only purge_cache_tag takes a CacheTag, not ${type}`);
  }
  if (type === 'purge_all') {
    if (request.ZoneId === ALL_ZONES) {
      throw teoParamError('ZoneId', 'purge_all needs the ID of one zone: "*" would purge every zone');
    }
    if (targets.length > 0) throw teoParamError('Targets', 'purge_all takes no Targets');
  } else {
    if (targets.length === 0) throw teoParamError('Targets', `${type} needs at least one target`);
    checkTargets(type, targets);
  }
  return { ...request, Type: type, Targets: targets };
}
export type CreatePurgeTaskRequest = ReturnType<typeof parseCreatePurgeTask>;

const parsePrefetchBody = body({
  ZoneId: required(zoneId),
  Targets: required(arrayOf(string, { min: 1 })),
  Mode: optional(oneOf('default', 'edge')),
  Headers: optional(httpHeaders),
  PrefetchMediaSegments: optional(oneOf('on', 'off')),
  EncodeUrl: optional(boolean),
});

export function parseCreatePrefetchTask(value: unknown) {
  const request = parsePrefetchBody(value);
  checkTargets('prefetch_url', request.Targets);
  return request;
}
export type CreatePrefetchTaskRequest = ReturnType<typeof parseCreatePrefetchTask>;

export const FILTER_NAMES = ['job-id', 'target', 'domains', 'statuses', 'type'] as const;
export type FilterName = (typeof FILTER_NAMES)[number];

const parseTasksBody = body({
  ZoneId: optional(zoneId),
  StartTime: optional(isoTime),
  EndTime: optional(isoTime),
  Offset: optional(integer(0, Number.MAX_SAFE_INTEGER)),
  Limit: optional(integer(1, 1000)),
  Filters: optional(
    arrayOf(
      object({
        Name: required(oneOf(...FILTER_NAMES)),
        Values: required(arrayOf(string, { min: 1, max: 20 })),
        Fuzzy: optional(boolean),
      }),
      { min: 0 },
    ),
  ),
});

/** The query of DescribePurgeTasks and DescribePrefetchTasks. */
export function parseTasksQuery(value: unknown) {
  const query = parseTasksBody(value);
  if (query.StartTime !== undefined && query.EndTime !== undefined && query.EndTime < query.StartTime) {
    throw teoParamError('EndTime', 'the end time is before the start time');
  }
  // Documented: job-id does not take several values yet.
  if (query.Filters?.some((filter) => filter.Name === 'job-id' && filter.Values.length > 1)) {
    throw teoParamError('Filters.Values', 'job-id takes a single value');
  }
  return query;
}
export type TasksQuery = ReturnType<typeof parseTasksQuery>;

export const parseContentQuotaQuery = body({ ZoneId: required(zoneId) });
