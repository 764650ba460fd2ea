/**
 * Runs run() in this process as a runner would run the step: inputs as INPUT_* variables (over action.yml's
 * defaults), outputs and summary through the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the log captured from
 * stdout. A change to src/ is tested without rebuilding dist/.
 */
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, vi } from 'vitest';
import { run } from '../../src/main.js';
import type { ProviderDefinition } from '../../src/providers/provider.js';
import { ACTION_DEFAULTS, type ActionRun, errorLines, parseOutputFile, readReport } from './run-action.js';

// @actions/core keeps the summary file's path once it has read it: one folder serves every run of a test file.
const folder = mkdtempSync(join(tmpdir(), 'cdn-action-in-process-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

export async function runInProcess(
  inputs: Record<string, string>,
  providers?: readonly ProviderDefinition[],
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const outputFile = join(folder, 'output');
  const summaryFile = join(folder, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  core.summary.emptyBuffer();
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) {
    if (/^(INPUT_|TENCENTCLOUD_|ALIBABA_CLOUD_|GITHUB_|RUNNER_|ACTIONS_)/.test(name))
      delete process.env[name];
  }
  for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...inputs })) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  Object.assign(process.env, {
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_WORKSPACE: folder,
    RUNNER_TEMP: folder,
    ...env,
  });
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const exitCodeBefore = process.exitCode;
  try {
    await (providers ? run(providers) : run());
    const outputText = await readFile(outputFile, 'utf8');
    const outputs = parseOutputFile(outputText);
    return {
      exitCode: Number(process.exitCode ?? 0),
      stdout,
      stderr: '',
      outputs,
      outputBytes: Buffer.byteLength(outputText),
      summary: await readFile(summaryFile, 'utf8'),
      errors: errorLines(stdout),
      report: await readReport(outputs),
    };
  } finally {
    write.mockRestore();
    process.exitCode = exitCodeBefore;
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
