import { readFileSync } from 'node:fs';
import { FULL_SHA } from '../inputs/changed-files.js';
import { payloadField } from '../inputs/event-payload.js';
import { quote } from '../text.js';

/** Which commits to compare, as the event (or the `since` input) names them; resolved against git later. */
export type CompareRequest =
  /** push: `before..after`; `before` may be unreachable after a force push. */
  | { kind: 'range'; event: string; before: string; after: string }
  /** push of a new branch or tag: no `before`, so the parent of `after`; `warning` says so. */
  | { kind: 'parent'; event: string; after: string; warning: string }
  /** pull_request / pull_request_target: the merge base of base and head, to head; `number` for the GitHub API. */
  | { kind: 'merge-base'; event: string; base: string; head: string; number: number | undefined }
  /** `since` (any event): since..HEAD. */
  | { kind: 'since'; event: string; since: string }
  /** Nothing to compare (the push deleted its branch); `reason` says why. */
  | { kind: 'nothing'; event: string; reason: string };

export interface GitHubEvent {
  name: string;
  payload: unknown;
}

const ZERO_SHA = /^0+$/;

/**
 * Reads GITHUB_EVENT_NAME and the JSON payload at GITHUB_EVENT_PATH. The payload is read only when needed:
 * with `since`, the event's commits do not matter.
 */
export function readEvent(env: Record<string, string | undefined>, needPayload: boolean): GitHubEvent {
  const name = env.GITHUB_EVENT_NAME ?? '';
  if (!needPayload) return { name, payload: undefined };
  const path = env.GITHUB_EVENT_PATH ?? '';
  if (path === '') {
    throw new Error(
      `changed-files: GITHUB_EVENT_PATH is not set, so the ${name || 'unknown'} event's commits are unknown; give the since input to name the commit to compare with`,
    );
  }
  try {
    return { name, payload: JSON.parse(readFileSync(path, 'utf8')) };
  } catch (error) {
    throw new Error(
      `changed-files: cannot read the event payload at ${path} (${error instanceof Error ? error.message : String(error)}); give the since input to name the commit to compare with`,
    );
  }
}

/** The commits the event names, or `since` when given (it overrides every event). */
export function compareRequest(event: GitHubEvent, since: string | undefined): CompareRequest {
  const { name } = event;
  if (since !== undefined) return { kind: 'since', event: name, since };
  if (name === 'push') return pushRequest(event.payload);
  if (name === 'pull_request' || name === 'pull_request_target') {
    return {
      kind: 'merge-base',
      event: name,
      base: payloadSha(event.payload, name, ['pull_request', 'base', 'sha']),
      head: payloadSha(event.payload, name, ['pull_request', 'head', 'sha']),
      number: pullRequestNumber(event.payload),
    };
  }
  // readSettings already requires since for these events; this guards direct callers.
  throw new Error(`changed-files: the ${name || 'unknown'} event names no commits; give the since input`);
}

function pushRequest(payload: unknown): CompareRequest {
  const after = payloadSha(payload, 'push', ['after'], true);
  if (ZERO_SHA.test(after)) {
    const ref = payloadField(payload, ['ref']);
    return {
      kind: 'nothing',
      event: 'push',
      reason: `the push deleted ${typeof ref === 'string' ? ref : 'its ref'}: there is no deploy commit`,
    };
  }
  const before = payloadSha(payload, 'push', ['before'], true);
  if (ZERO_SHA.test(before)) {
    return {
      kind: 'parent',
      event: 'push',
      after,
      warning: `The push created ${describeRef(payload)}, so the event has no previous commit: comparing ${after.slice(0, 12)} with its parent only. Give the since input to compare with another commit.`,
    };
  }
  return { kind: 'range', event: 'push', before, after };
}

/** A full SHA from the payload; anything else is refused before it can reach git. */
function payloadSha(payload: unknown, event: string, path: string[], zeroAllowed = false): string {
  const value = payloadField(payload, path);
  if (typeof value === 'string' && FULL_SHA.test(value) && (zeroAllowed || !ZERO_SHA.test(value))) {
    return value;
  }
  throw new Error(
    `changed-files: the ${event} event payload has no commit SHA at ${path.join('.')} (found ${typeof value === 'string' ? quote(value) : String(value)}); give the since input to name the commit to compare with`,
  );
}

function pullRequestNumber(payload: unknown): number | undefined {
  const value = payloadField(payload, ['pull_request', 'number']) ?? payloadField(payload, ['number']);
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

function describeRef(payload: unknown): string {
  const ref = payloadField(payload, ['ref']);
  return typeof ref === 'string' ? quote(ref) : 'a new ref';
}
