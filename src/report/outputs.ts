import * as core from '@actions/core';
import { plannedTargets } from '../plan/operations.js';
import { allFailed, type RunReport, statusOf } from './run-report.js';

/** Sets every output of the contract. */
export function setOutputs(report: RunReport): void {
  const urls = plannedTargets(report.operations);
  core.setOutput('task-ids', JSON.stringify(report.delivery?.taskIds ?? []));
  core.setOutput('urls', JSON.stringify(urls));
  core.setOutput('url-count', String(urls.length));
  core.setOutput('failed', JSON.stringify(allFailed(report)));
  core.setOutput('status', statusOf(report));
}
