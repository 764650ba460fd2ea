import { ApiError } from '../errors.js';
import { quote } from '../text.js';

/**
 * A task ID as the providers give them (docs/delivery.md#task-ids): letters, digits and `- _ . :`, at most 128
 * characters. Task IDs reach the log, the outputs and the status requests, so anything else is refused.
 */
export const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * `ids` when each has the plain shape of a task ID; else an error of the request that returned them (final for
 * its batch: the provider may have accepted it, so it is not sent again), naming the `field` of the answer.
 */
export function checkedTaskIds(
  ids: readonly string[],
  field: string,
  requestId: string | undefined,
): string[] {
  const bad = ids.find((id) => !TASK_ID.test(id));
  if (bad !== undefined) {
    throw new ApiError(
      'InvalidTaskId',
      `the answer's ${field} ${quote(bad)} is not a task ID (letters, digits and - _ . : only, at most 128 characters)`,
      'batch',
      { requestId, mayHaveBeenAccepted: true },
    );
  }
  return [...ids];
}
