import * as core from '@actions/core';
import { logOperations, logTasks, warnAboutResends } from './log.js';
import { setOutputs } from './outputs.js';
import { completeResult, writeReportFile } from './result.js';
import { failureReason, type RunReport } from './run-report.js';
import { writeSummary } from './summary.js';
import { staleReason } from './verification.js';

/**
 * Everything the step shows of a run: the report file with all of it, then its log groups, outputs and job
 * summary within their limits, and whether it failed.
 */
export async function publish(report: RunReport, env: Record<string, string | undefined>): Promise<void> {
  const result = completeResult(report);
  const reportFile = await writeReportFile(result, env).catch((error: unknown) => {
    core.warning(
      `Could not write the report file: ${error instanceof Error ? error.message : String(error)}`,
    );
    return undefined;
  });
  logOperations(report);
  logTasks(report);
  if (reportFile) core.info(`report-file: ${reportFile} (the whole result as JSON)`);
  setOutputs(result, reportFile, report.stateFile);
  await writeSummary(report, result);
  warnAboutResends(report.delivery);
  if (result.failed.length > 0) core.setFailed(failureReason(result.failed));
  else if (result.status === 'stale') core.setFailed(staleReason(result.stale));
  else if (result.stale.length > 0) core.warning(`${staleReason(result.stale)} (verify: warn)`);
}
