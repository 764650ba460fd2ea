import { InputError } from '../errors.js';

/** Reads one input, trimmed; '' when it is not set (as `core.getInput` does). */
export type ReadInput = (name: string) => string;

/** What the inputs are read from. */
export interface InputContext {
  read: ReadInput;
  env: Record<string, string | undefined>;
  /** Folder that relative file inputs are resolved against (GITHUB_WORKSPACE). */
  workspace: string;
}

/** The inputs as a runner passes them (`read` is `core.getInput`); relative files are found in GITHUB_WORKSPACE. */
export function runnerInputs(read: ReadInput, env: InputContext['env']): InputContext {
  return { read, env, workspace: env.GITHUB_WORKSPACE ?? process.cwd() };
}

export function oneOf<T extends string>(input: string, value: string, accepted: readonly T[]): T {
  if ((accepted as readonly string[]).includes(value)) return value as T;
  throw new InputError(input, value, `accepted: ${accepted.join(', ')}`);
}

/** Refuses the first of `names` that is set, where it would have no effect; `reason` says why. */
export function refuseIfSet(
  read: ReadInput,
  names: readonly string[],
  reason: string | ((name: string) => string),
): void {
  for (const name of names) {
    const value = read(name);
    if (value !== '') throw new InputError(name, value, typeof reason === 'string' ? reason : reason(name));
  }
}

/** A boolean input: true/false in the YAML 1.2 core schema spellings; undefined when not set. */
export function readBoolean(read: ReadInput, input: string): boolean | undefined {
  const value = read(input);
  if (value === '') return undefined;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new InputError(input, value, 'accepted: true, false');
}

/** A whole number within bounds; `fallback` when the input is not set. */
export function readInteger(
  read: ReadInput,
  input: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = read(input);
  if (value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new InputError(input, value, `accepted: a whole number from ${min} to ${max}`);
  }
  return Number(value);
}

/**
 * True when `host` is one `pattern` names: `*.` stands for one or more labels (any host under the domain),
 * `<region>` for a region ID (`cn-hangzhou`, `ap-southeast-1`: two letters, then `-` and more), anything else for
 * itself. A region ID never starts with a service's prefix, so `<name>.oss-cn-hangzhou.aliyuncs.com` is no match.
 */
export function hostMatches(pattern: string, host: string): boolean {
  const source = pattern
    .split('.')
    .map((label) =>
      label === '*'
        ? '[a-z0-9-]+(?:\\.[a-z0-9-]+)*'
        : label.replaceAll('-', '\\-').replace('<region>', '[a-z]{2}(?:-[a-z0-9]+)+'),
    )
    .join('\\.');
  return new RegExp(`^${source}$`).test(host.toLowerCase());
}

/**
 * An endpoint override: a host one of `hosts` names (`hostMatches`: the provider's API hosts), or a loopback host
 * (tests, emulators); https, or http on loopback only; a scheme, a host and a port, nothing more. Signed requests,
 * a session token or the job's OIDC token go there, so no other host is accepted.
 */
export function readEndpoint(input: string, value: string, hosts: readonly string[]): URL | undefined {
  if (value === '') return undefined;
  const example = `https://${(hosts[0] ?? '*.example.com').replace('*', '<service>')}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(input, value, `expected an absolute URL such as ${example}`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InputError(
      input,
      value,
      'http:// is accepted only for a loopback host (127.0.0.1, ::1, localhost); use https://',
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(input, value, 'expected an https:// URL');
  }
  if (
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search ||
    url.hash ||
    url.username ||
    url.password
  ) {
    throw new InputError(
      input,
      value,
      `expected only a scheme, a host and an optional port, such as ${example}`,
    );
  }
  if (!isLoopback(url.hostname) && !hosts.some((pattern) => hostMatches(pattern, url.hostname))) {
    throw new InputError(
      input,
      value,
      `accepted: ${hosts.join(', ') || '(none)'}, the provider's API hosts, or a loopback host (127.0.0.1, ::1, localhost) for tests and emulators`,
    );
  }
  return url;
}

export function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/** The lines of a list, trimmed; blank lines and lines starting with # are skipped. */
export function listLines(value: string): string[] {
  return value
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Entries separated by new lines, commas, spaces or tabs (see `listEntries`); an empty entry (`a,,b`) is kept. */
export function splitPlainList(input: string, value: string): string[] {
  return listEntries(input, value, /[ \t]*,[ \t]*|[ \t]+/);
}

/**
 * The entries of a list input, as people write lists: a JSON array of strings (`["a", "b"]`), or lines split at
 * `separator`, a YAML-list `- ` prefix dropped; blank lines and lines starting with # are skipped.
 */
export function listEntries(input: string, value: string, separator: RegExp): string[] {
  const text = value.trim();
  if (text.startsWith('[')) return jsonList(input, text);
  return listLines(text).flatMap((line) =>
    line
      .replace(/^-\s+/, '')
      .split(separator)
      .map((entry) => entry.trim()),
  );
}

function jsonList(input: string, text: string): string[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    throw new InputError(
      input,
      text,
      'starts with "[" but is not a JSON array: write ["a", "b"], or one entry per line',
    );
  }
  if (!Array.isArray(list) || !list.every((entry) => typeof entry === 'string')) {
    throw new InputError(input, text, 'a JSON array here holds strings only, such as ["a", "b"]');
  }
  return list.map((entry: string) => entry.trim()).filter((entry) => entry !== '');
}
