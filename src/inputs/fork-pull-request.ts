import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { quote } from '../text.js';
import { payloadField } from './event-payload.js';
import { type InputContext, readBoolean, refuseIfSet } from './values.js';

export const ALLOW_FORKS_INPUT = 'allow-fork-pull-requests';

/** Where an event's payload names the repository its commits come from, and the repository the run belongs to. */
interface HeadAndBase {
  head: readonly string[];
  base: readonly string[];
}

/** pull_request, pull_request_target, pull_request_review(_comment); workflow_run started by one of them. */
function repositoryFields(eventName: string): HeadAndBase | undefined {
  if (eventName.startsWith('pull_request')) {
    return {
      head: ['pull_request', 'head', 'repo', 'full_name'],
      base: ['pull_request', 'base', 'repo', 'full_name'],
    };
  }
  if (eventName === 'workflow_run') {
    return { head: ['workflow_run', 'head_repository', 'full_name'], base: ['repository', 'full_name'] };
  }
  return undefined;
}

/**
 * With changed-files, refuses an event whose commits come from another repository (a fork's pull request): its
 * author would choose which of the base repository's URLs are purged and prefetched, with its credentials.
 * `allow-fork-pull-requests: true` accepts it. The payload (GITHUB_EVENT_PATH) is read for these events only; when
 * it does not say where the head comes from, the run is refused too.
 */
export function refuseForkPullRequest(ctx: InputContext, changedFiles: boolean): void {
  if (!changedFiles) {
    refuseIfSet(ctx.read, [ALLOW_FORKS_INPUT], 'this input applies only with changed-files: true; remove it');
    return;
  }
  if (readBoolean(ctx.read, ALLOW_FORKS_INPUT)) return;
  const eventName = ctx.env.GITHUB_EVENT_NAME ?? '';
  const fields = repositoryFields(eventName);
  if (!fields) return;
  const why = foreignHead(eventName, fields, readPayload(ctx.env.GITHUB_EVENT_PATH));
  if (why === undefined) return;
  throw new InputError(
    'changed-files',
    ctx.read('changed-files'),
    `${why}: its author would choose which of your URLs are purged and prefetched with this workflow's credentials. Set ${ALLOW_FORKS_INPUT}: true to accept that (see Security in the README), or run changed-files on push once the pull request is merged`,
  );
}

/** Why the event counts as coming from another repository; undefined when head and base are one repository. */
function foreignHead(eventName: string, fields: HeadAndBase, payload: unknown): string | undefined {
  if (payload instanceof Error) {
    return `cannot tell whether the ${eventName} event comes from a fork (${payload.message}), so it is treated as one`;
  }
  const head = payloadField(payload, fields.head);
  const base = payloadField(payload, fields.base);
  if (typeof base !== 'string' || base === '') {
    return `the ${eventName} event payload has no ${fields.base.join('.')}, so the event is treated as coming from a fork`;
  }
  if (head === base) return undefined;
  const from = typeof head === 'string' && head !== '' ? quote(head) : 'a repository that no longer exists';
  return `the ${eventName} event comes from ${from}, not from ${quote(base)}`;
}

function readPayload(path: string | undefined): unknown {
  if (!path) return new Error('GITHUB_EVENT_PATH is not set');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    return new Error(
      `the payload at ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
