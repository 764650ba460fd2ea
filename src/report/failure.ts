import * as core from '@actions/core';
import { InputError } from '../errors.js';
import { setOutputs } from './outputs.js';
import { escapeHtml } from './summary.js';

/**
 * A step that stopped before its report (a bad input, most often): the outputs still say `status: failed`, so that
 * an `if: failure()` step can read it, and the job summary shows the message.
 */
export async function publishFailure(error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  setOutputs(
    { status: 'failed', 'url-count': 0, urls: [], 'task-ids': [], 'failed-count': 0, failed: [], stale: [] },
    undefined,
    undefined,
  );
  const sent = error instanceof InputError ? 'Nothing was sent: an input is wrong.' : 'The step stopped.';
  try {
    await core.summary
      .addHeading('CDN purge and prefetch', 2)
      .addRaw(`<p>Status: <b>failed</b>. ${sent}</p>`, true)
      .addRaw(`<pre>${escapeHtml(message)}</pre>`, true)
      .write();
  } catch {
    // No summary file (a run outside a runner): the message is in the log all the same.
  }
  core.setFailed(message);
}
