/**
 * Request bodies of each action, checked field by field: a missing required field, an unknown field or a value
 * of the wrong type or form is an `InvalidParameter.CdnParamError` that names the field.
 */
import { paramError } from './api-failure.js';

type Check<T> = (value: unknown, name: string) => T;

interface Field<T, Required extends boolean> {
  check: Check<T>;
  required: Required;
}

type Shape = Record<string, Field<unknown, boolean>>;

type Parsed<S extends Shape> = {
  [K in keyof S as S[K] extends Field<unknown, true> ? K : never]: S[K] extends Field<infer T, boolean>
    ? T
    : never;
} & {
  [K in keyof S as S[K] extends Field<unknown, true> ? never : K]?: S[K] extends Field<infer T, boolean>
    ? T
    : never;
};

const required = <T>(check: Check<T>): Field<T, true> => ({ check, required: true });
const optional = <T>(check: Check<T>): Field<T, false> => ({ check, required: false });

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

const string: Check<string> = (value, name) => {
  if (typeof value !== 'string') throw paramError(name, `expected a string, got ${describe(value)}`);
  return value;
};

const boolean: Check<boolean> = (value, name) => {
  if (typeof value !== 'boolean') throw paramError(name, `expected a boolean, got ${describe(value)}`);
  return value;
};

function integer(min: number, max: number): Check<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw paramError(name, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  };
}

function oneOf<T extends string>(...values: T[]): Check<T> {
  return (value, name) => {
    if (typeof value !== 'string' || !(values as string[]).includes(value)) {
      throw paramError(name, `expected one of ${values.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  };
}

function arrayOf<T>(item: Check<T>, limits: { min: number; max?: number }): Check<T[]> {
  return (value, name) => {
    if (!Array.isArray(value)) throw paramError(name, `expected an array, got ${describe(value)}`);
    if (value.length < limits.min)
      throw paramError(name, `expected at least ${limits.min} item(s), got none`);
    if (limits.max !== undefined && value.length > limits.max) {
      throw paramError(name, `expected at most ${limits.max} items, got ${value.length}`);
    }
    return value.map((entry, index) => item(entry, `${name}[${index}]`));
  };
}

function sized(check: Check<string>, min: number, max: number): Check<string> {
  return (value, name) => {
    const text = check(value, name);
    if (text.length < min || text.length > max) {
      throw paramError(name, `expected ${min} to ${max} characters, got ${text.length}`);
    }
    return text;
  };
}

/** An absolute http:// or https:// URL, as the purge and push actions need. */
const httpUrl: Check<string> = (value, name) => {
  const text = string(value, name);
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw paramError(name, `expected an absolute http:// or https:// URL, got ${describe(text)}`);
  }
  return text;
};

/** A directory URL for PurgePathCache: http(s) and ending in '/'. */
const directoryUrl: Check<string> = (value, name) => {
  const text = httpUrl(value, name);
  if (!text.endsWith('/')) throw paramError(name, `a directory URL must end in "/", got ${describe(text)}`);
  return text;
};

/** "YYYY-MM-DD hh:mm:ss", Beijing time (UTC+8), as the Describe*Tasks actions take and answer. */
const beijingTime: Check<number> = (value, name) => {
  const text = string(value, name);
  const at = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text)
    ? Date.parse(`${text.replace(' ', 'T')}+08:00`)
    : Number.NaN;
  if (Number.isNaN(at))
    throw paramError(name, `expected a time like "2018-08-08 00:00:00", got ${describe(text)}`);
  return at;
};

/** "YYYY-MM-DD". */
const date: Check<string> = (value, name) => {
  const text = string(value, name);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) {
    throw paramError(name, `expected a date like "2018-08-08", got ${describe(text)}`);
  }
  return text;
};

function object<S extends Shape>(shape: S): Check<Parsed<S>> {
  return (value, name) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw paramError(name || 'the request body', `expected a JSON object, got ${describe(value)}`);
    }
    const input = value as Record<string, unknown>;
    const prefix = name === '' ? '' : `${name}.`;
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key))
        throw paramError(`${prefix}${key}`, 'unknown parameter for this action');
    }
    const output: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const entry = input[key];
      if (entry === undefined) {
        if (field.required) throw paramError(`${prefix}${key}`, 'required parameter is missing');
        continue;
      }
      output[key] = field.check(entry, `${prefix}${key}`);
    }
    return output as Parsed<S>;
  };
}

/** Parses a request body (already JSON) with a shape; fields are named without a prefix. */
function body<S extends Shape>(shape: S): (value: unknown) => Parsed<S> {
  const check = object(shape);
  return (value) => check(value, '');
}

const urls = arrayOf(httpUrl, { min: 1 });
const header = object({ Name: required(sized(string, 1, 128)), Value: required(sized(string, 0, 1024)) });

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
  Headers: optional(arrayOf(header, { min: 0, max: 20 })),
  UrlEncode: optional(boolean),
});
export type PushUrlsRequest = ReturnType<typeof parsePushUrls>;

export const parseEnableCaches = body({
  Urls: required(urls),
  Date: optional(date),
});
export type EnableCachesRequest = ReturnType<typeof parseEnableCaches>;

export const parseQuotaQuery = body({});

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
