/**
 * Request bodies of each action, checked field by field: a missing required field, an unknown field or a value
 * of the wrong type or form is an `InvalidParameter.CdnParamError` that names the field.
 */
import { ApiFailure } from '../shared/api-failure.js';
import {
  arrayOf,
  boolean,
  type Check,
  describe,
  directoryUrl,
  FieldError,
  httpHeaders,
  httpUrl,
  integer,
  object,
  oneOf,
  optional,
  parseBody,
  required,
  type Shape,
  string,
} from '../tencent/fields.js';

/** `InvalidParameter.CdnParamError` naming the parameter at fault. */
export function paramError(parameter: string, problem: string): ApiFailure {
  return new ApiFailure('InvalidParameter.CdnParamError', `${parameter}: ${problem}`);
}

/** Parses a request body (already JSON) with a shape; a field at fault is an `InvalidParameter.CdnParamError`. */
const body = <S extends Shape>(shape: S) => parseBody(shape, paramError);

/** "YYYY-MM-DD hh:mm:ss", Beijing time (UTC+8), as the Describe*Tasks actions take and answer. */
const beijingTime: Check<number> = (value, name) => {
  const text = string(value, name);
  const at = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(' ', 'T')}+08:00`)
    : Number.NaN;
  if (Number.isNaN(at))
    throw new FieldError(name, `expected a time like "2018-08-08 00:00:00", got ${describe(text)}`);
  return at;
};

/** "YYYY-MM-DD". */
const date: Check<string> = (value, name) => {
  const text = string(value, name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw new FieldError(name, `expected a date like "2018-08-08", got ${describe(text)}`);
  }
  return text;
};

const urls = arrayOf(httpUrl, { min: 1 });

export const parsePurgeUrls = body({
  Urls: required(urls),
  Area: optional(oneOf('mainland', 'overseas')),
  UrlEncode: optional(boolean),
});
export type PurgeUrlsRequest = ReturnType<typeof parsePurgeUrls>;

export const parsePurgePaths = body({
  Paths: required(arrayOf(directoryUrl, { min: 1 })),
  FlushType: required(oneOf('flush', 'delete')),
  Area: optional(oneOf('mainland', 'overseas')),
  UrlEncode: optional(boolean),
});
export type PurgePathsRequest = ReturnType<typeof parsePurgePaths>;

export const parsePushUrls = body({
  Urls: required(urls),
  UserAgent: optional(string),
  Area: optional(oneOf('mainland', 'overseas', 'global')),
  Layer: optional(oneOf('middle')),
  ParseM3U8: optional(boolean),
  DisableRange: optional(boolean),
  Headers: optional(httpHeaders),
  UrlEncode: optional(boolean),
});
export type PushUrlsRequest = ReturnType<typeof parsePushUrls>;

export const parseEnableCaches = body({
  Urls: required(urls),
  Date: optional(date),
});
export type EnableCachesRequest = ReturnType<typeof parseEnableCaches>;

export const parseQuotaQuery = body({});

/** The filter names DescribeDomains documents. */
const DOMAIN_FILTERS = [
  'origin',
  'domain',
  'resourceId',
  'status',
  'serviceType',
  'projectId',
  'domainType',
  'fullUrlCache',
  'https',
  'originPullProtocol',
  'tagKey',
] as const;

/** DescribeDomains: `Value` holds at most 5 values, or 1 with `Fuzzy`, as documented. */
export const parseDomainsQuery = (value: unknown) => {
  const query = body({
    Offset: optional(integer(0, Number.MAX_SAFE_INTEGER)),
    Limit: optional(integer(1, 1000)),
    Filters: optional(
      arrayOf(
        object({
          Name: required(oneOf(...DOMAIN_FILTERS)),
          Value: required(arrayOf(string, { min: 1, max: 5 })),
          Fuzzy: optional(boolean),
        }),
        { min: 1 },
      ),
    ),
  })(value);
  for (const [index, filter] of (query.Filters ?? []).entries()) {
    if (filter.Fuzzy && filter.Value.length > 1)
      throw paramError(`Filters.${index}.Value`, 'at most 1 value with Fuzzy');
  }
  return query;
};

/** Both task queries need a TaskId or a StartTime, as documented. */
function withTaskOrTime<T extends { TaskId?: string; StartTime?: number }>(parse: (value: unknown) => T) {
  return (value: unknown): T => {
    const query = parse(value);
    if (query.TaskId === undefined && query.StartTime === undefined) {
      throw paramError('TaskId', 'give a TaskId or a StartTime');
    }
    return query;
  };
}

const taskQuery = {
  StartTime: optional(beijingTime),
  EndTime: optional(beijingTime),
  TaskId: optional(string),
  Offset: optional(integer(0, Number.MAX_SAFE_INTEGER)),
  Limit: optional(integer(1, 1000)),
  Keyword: optional(string),
};

export const parsePurgeTasksQuery = withTaskOrTime(
  body({
    ...taskQuery,
    PurgeType: optional(oneOf('url', 'path')),
    Status: optional(oneOf('fail', 'done', 'process')),
    Area: optional(oneOf('mainland', 'overseas', 'global')),
  }),
);
export type PurgeTasksQuery = ReturnType<typeof parsePurgeTasksQuery>;

export const parsePushTasksQuery = withTaskOrTime(
  body({
    ...taskQuery,
    Status: optional(oneOf('fail', 'done', 'process', 'invalid')),
    Area: optional(oneOf('mainland', 'overseas', 'global')),
  }),
);
export type PushTasksQuery = ReturnType<typeof parsePushTasksQuery>;

/** A host name with a wildcard label (`*.example.com`), which neither purge nor push accepts. */
export function hasWildcardHost(url: string): boolean {
  return new URL(url).hostname.includes('*');
}
