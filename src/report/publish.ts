import * as core from '@actions/core';
import { logOperations, logTasks, warnAboutResends } from './log.js';
import { setOutputs } from './outputs.js';
import { allFailed, failureReason, type RunReport } from './run-report.js';
import { writeSummary } from './summary.js';

/** Everything the step shows of a run: its log groups, outputs and job summary, and whether it failed. */
export async function publish(report: RunReport): Promise<void> {
  logOperations(report);
  logTasks(report);
  setOutputs(report);
  await writeSummary(report);
  warnAboutResends(report.delivery);
  const failed = allFailed(report);
  if (failed.length > 0) core.setFailed(failureReason(failed));
}
