/** When an emulated task stops running: after it has been read a number of times, or at a set time. */
import { nonNegative } from './options.js';

export interface TaskProgressOptions {
  /**
   * How many reads of a task show it running before it is done (default 1: the first read says running, the next
   * ones done). 0: done at once.
   */
  doneAfterPolls?: number;
  /**
   * Done this many milliseconds after it was accepted, by the emulator's clock (`now`), however often it is read;
   * `doneAfterPolls` then does not apply.
   */
  doneAfterMs?: number;
}

export class TaskProgress {
  private readonly doneAfterPolls: number;
  private readonly doneAfterMs: number | undefined;

  constructor(options: TaskProgressOptions = {}) {
    this.doneAfterPolls = nonNegative('taskProgress.doneAfterPolls', options.doneAfterPolls ?? 1);
    this.doneAfterMs =
      options.doneAfterMs === undefined
        ? undefined
        : nonNegative('taskProgress.doneAfterMs', options.doneAfterMs);
  }

  /** When a task accepted at `acceptedAt` and read `polls` times is done, if it is by `nowMs`. */
  finishedAt(task: { acceptedAt: number; polls: number }, nowMs: number): number | undefined {
    if (this.doneAfterMs !== undefined) {
      const at = task.acceptedAt + this.doneAfterMs;
      return nowMs >= at ? at : undefined;
    }
    return task.polls >= this.doneAfterPolls ? nowMs : undefined;
  }

  /** How far a running task is, 0 to 99 (%). */
  percent(task: { acceptedAt: number; polls: number }, nowMs: number): number {
    const share =
      this.doneAfterMs === undefined
        ? task.polls / Math.max(1, this.doneAfterPolls)
        : (nowMs - task.acceptedAt) / Math.max(1, this.doneAfterMs);
    return Math.min(99, Math.floor(share * 100));
  }
}
