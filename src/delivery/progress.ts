import type { BatchAccepted, TargetFailure } from '../providers/provider.js';
import type { Log } from '../settings.js';
import { count } from '../text.js';
import type { Clock } from './pacing.js';

/** A long submission reports its progress at most this often (in the clock's time), when a batch is answered. */
export const PROGRESS_INTERVAL_MS = 5000;

/**
 * What one operation's submission says while it runs: each accepted batch's task IDs at once (so that they are in
 * the log before any wait), and every `PROGRESS_INTERVAL_MS` the targets sent, accepted and failed, and the rate.
 */
export class SubmissionProgress {
  private readonly started: number;
  private lastReport: number;
  private sent = 0;
  private accepted = 0;
  private failed = 0;
  private reported = false;

  constructor(
    private readonly action: string,
    private readonly total: number,
    private readonly clock: Clock,
    private readonly log: Log,
  ) {
    this.started = clock.now();
    this.lastReport = this.started;
  }

  /** A batch the provider accepted, some of its targets perhaps refused. */
  accept(targets: readonly string[], accepted: BatchAccepted, refused: readonly TargetFailure[]): void {
    const ids = accepted.taskIds.join(', ') || '(no ID returned)';
    const tasks = accepted.taskIds.length > 1 ? 'tasks' : 'task';
    this.log.info(
      `${this.action}: ${tasks} ${ids} accepted ${count(targets.length - refused.length, 'target')}`,
    );
    this.record(targets.length, targets.length - refused.length);
  }

  /** A batch that failed, or was never sent. */
  fail(targets: readonly string[]): void {
    this.record(targets.length, 0);
  }

  /** After the last batch: the final figures, when the submission was long enough to report progress. */
  finish(): void {
    if (this.reported) this.report('done: ');
  }

  private record(sent: number, accepted: number): void {
    this.sent += sent;
    this.accepted += accepted;
    this.failed += sent - accepted;
    if (this.clock.now() - this.lastReport >= PROGRESS_INTERVAL_MS && this.sent < this.total) this.report('');
  }

  private report(prefix: string): void {
    const now = this.clock.now();
    const seconds = (now - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(this.sent / seconds) : this.sent;
    this.log.info(
      `${this.action}: ${prefix}${this.sent} of ${count(this.total, 'target')} sent (${this.accepted} accepted, ${this.failed} failed), ${rate} targets/s, ${Math.round(seconds)} s`,
    );
    this.lastReport = now;
    this.reported = true;
  }
}
