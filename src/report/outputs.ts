import * as core from '@actions/core';
import { fitJsonArray, OUTPUT_BUDGET } from './limits.js';
import type { CompleteResult } from './result.js';

type ListOutput = keyof typeof OUTPUT_BUDGET;

/** Where the full count of a list is, besides report-file. */
const FULL_COUNT: Record<ListOutput, string> = {
  'task-ids': '',
  urls: '; url-count has the full count',
  failed: '; failed-count has the full count',
  stale: '',
};

/** Sets every output of the contract: the lists as much as fits their budget, the counts in full. */
export function setOutputs(
  result: CompleteResult,
  reportFile: string | undefined,
  stateFile: string | undefined,
): void {
  setList('task-ids', result['task-ids'], reportFile);
  setList('urls', result.urls, reportFile);
  core.setOutput('url-count', String(result['url-count']));
  setList('failed', result.failed, reportFile);
  core.setOutput('failed-count', String(result['failed-count']));
  setList('stale', result.stale, reportFile);
  core.setOutput('status', result.status);
  core.setOutput('report-file', reportFile ?? '');
  core.setOutput('state-file', stateFile ?? '');
}

/** A list longer than its budget is cut to the entries that fit, still a JSON array, with a warning. */
function setList(name: ListOutput, items: readonly unknown[], reportFile: string | undefined): void {
  const { json, shown } = fitJsonArray(items, OUTPUT_BUDGET[name]);
  core.setOutput(name, json);
  if (shown === items.length) return;
  const whole = reportFile ? `report-file has every one: ${reportFile}` : 'no report file could be written';
  core.warning(
    `The ${name} output lists ${shown} of ${items.length} entries: it is cut to stay within GitHub's limit on a job's outputs${FULL_COUNT[name]}; ${whole}`,
  );
}
