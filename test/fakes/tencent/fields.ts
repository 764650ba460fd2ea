/**
 * Field-by-field checks of JSON request bodies, shared by the emulated services. A check throws a `FieldError`
 * that names the field; `parseBody` turns it into the service's own `ApiFailure` (cdn
 * `InvalidParameter.CdnParamError`, teo `InvalidParameter.ParameterError`). A check may also throw an
 * `ApiFailure` of its own, which goes through unchanged.
 */
import type { ApiFailure } from '../shared/api-failure.js';
import { isHttpUrl } from '../shared/http-url.js';

/** A field that is missing, unknown, or of the wrong type or form. */
export class FieldError extends Error {
  override readonly name = 'FieldError';
  constructor(
    readonly parameter: string,
    readonly problem: string,
  ) {
    super(`${parameter}: ${problem}`);
  }
}

export type Check<T> = (value: unknown, name: string) => T;

export interface Field<T, Required extends boolean> {
  check: Check<T>;
  required: Required;
}

export type Shape = Record<string, Field<unknown, boolean>>;

export type Parsed<S extends Shape> = {
  [K in keyof S as S[K] extends Field<unknown, true> ? K : never]: S[K] extends Field<infer T, boolean>
    ? T
    : never;
} & {
  [K in keyof S as S[K] extends Field<unknown, true> ? never : K]?: S[K] extends Field<infer T, boolean>
    ? T
    : never;
};

export const required = <T>(check: Check<T>): Field<T, true> => ({ check, required: true });
export const optional = <T>(check: Check<T>): Field<T, false> => ({ check, required: false });

/** A short description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

export const string: Check<string> = (value, name) => {
  if (typeof value !== 'string') throw new FieldError(name, `expected a string, got ${describe(value)}`);
  return value;
};

export const boolean: Check<boolean> = (value, name) => {
  if (typeof value !== 'boolean') throw new FieldError(name, `expected a boolean, got ${describe(value)}`);
  return value;
};

export function integer(min: number, max: number): Check<number> {
  return (value, name) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      throw new FieldError(name, `expected an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  };
}

export function oneOf<T extends string>(...values: T[]): Check<T> {
  return (value, name) => {
    if (typeof value !== 'string' || !(values as string[]).includes(value)) {
      throw new FieldError(name, `expected one of ${values.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  };
}

export function arrayOf<T>(item: Check<T>, limits: { min: number; max?: number }): Check<T[]> {
  return (value, name) => {
    if (!Array.isArray(value)) throw new FieldError(name, `expected an array, got ${describe(value)}`);
    if (value.length < limits.min)
      throw new FieldError(name, `expected at least ${limits.min} item(s), got none`);
    if (limits.max !== undefined && value.length > limits.max) {
      throw new FieldError(name, `expected at most ${limits.max} items, got ${value.length}`);
    }
    return value.map((entry, index) => item(entry, `${name}[${index}]`));
  };
}

export function sized(check: Check<string>, min: number, max: number): Check<string> {
  return (value, name) => {
    const text = check(value, name);
    if (text.length < min || text.length > max) {
      throw new FieldError(name, `expected ${min} to ${max} characters, got ${text.length}`);
    }
    return text;
  };
}

/** An absolute http:// or https:// URL, as the purge and prefetch actions need. */
export const httpUrl: Check<string> = (value, name) => {
  const text = string(value, name);
  if (!isHttpUrl(text)) {
    throw new FieldError(name, `expected an absolute http:// or https:// URL, got ${describe(text)}`);
  }
  return text;
};

/** A directory URL: http(s) and ending in '/'. */
export const directoryUrl: Check<string> = (value, name) => {
  const text = httpUrl(value, name);
  if (!text.endsWith('/'))
    throw new FieldError(name, `a directory URL must end in "/", got ${describe(text)}`);
  return text;
};

export function object<S extends Shape>(shape: S): Check<Parsed<S>> {
  return (value, name) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new FieldError(name || 'the request body', `expected a JSON object, got ${describe(value)}`);
    }
    const input = value as Record<string, unknown>;
    const prefix = name === '' ? '' : `${name}.`;
    for (const key of Object.keys(input)) {
      if (!Object.hasOwn(shape, key))
        throw new FieldError(`${prefix}${key}`, 'unknown parameter for this action');
    }
    const output: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const entry = input[key];
      if (entry === undefined) {
        if (field.required) throw new FieldError(`${prefix}${key}`, 'required parameter is missing');
        continue;
      }
      output[key] = field.check(entry, `${prefix}${key}`);
    }
    return output as Parsed<S>;
  };
}

/**
 * Parses a request body (already JSON) with a shape; fields are named without a prefix, and a `FieldError` is
 * answered as `fail(parameter, problem)`.
 */
export function parseBody<S extends Shape>(
  shape: S,
  fail: (parameter: string, problem: string) => ApiFailure,
): (value: unknown) => Parsed<S> {
  const check = object(shape);
  return (value) => {
    try {
      return check(value, '');
    } catch (error) {
      if (error instanceof FieldError) throw fail(error.parameter, error.problem);
      throw error;
    }
  };
}

/** An HTTP header to send with a prefetch: `{Name, Value}`, as both services take them (at most 20). */
export const httpHeaders = arrayOf(
  object({ Name: required(sized(string, 1, 128)), Value: required(sized(string, 0, 1024)) }),
  { min: 0, max: 20 },
);
