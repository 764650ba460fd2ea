/**
 * Runs run() in this process as a runner would run the step: inputs as INPUT_* variables (over action.yml's
 * defaults), outputs and summary through the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the log captured from
 * stdout. A change to src/ is tested without rebuilding dist/.
 */
import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { afterAll, vi } from 'vitest';
import { run } from '../../src/main.js';
import type { ProviderDefinition } from '../../src/providers/provider.js';
import { type ActionRun, stepEnvironment, stepResult } from './run-action.js';

// @actions/core keeps the summary file's path once it has read it: one folder serves every run of a test file.
const folder = mkdtempSync(join(tmpdir(), 'cdn-action-in-process-'));
afterAll(() => rm(folder, { recursive: true, force: true }));

export function runInProcess(
  inputs: Record<string, string>,
  providers?: readonly ProviderDefinition[],
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return inProcessStep(inputs, env, () => (providers ? run(providers) : run()));
}

/** Runs `body` (run(), or a part of it) in the environment of a step with these inputs, and returns what it left. */
export async function inProcessStep(
  inputs: Record<string, string>,
  env: Record<string, string>,
  body: () => Promise<void>,
): Promise<ActionRun> {
  const outputFile = join(folder, 'output');
  const summaryFile = join(folder, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  core.summary.emptyBuffer();
  const saved = { ...process.env };
  const step = stepEnvironment(
    inputs,
    { output: outputFile, summary: summaryFile, workspace: folder, runnerTemp: folder },
    env,
  );
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, step);
  let stdout = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const exitCodeBefore = process.exitCode;
  try {
    await body();
    const exitCode = Number(process.exitCode ?? 0);
    return await stepResult({ exitCode, stdout, stderr: '' }, { output: outputFile, summary: summaryFile });
  } finally {
    write.mockRestore();
    process.exitCode = exitCodeBefore;
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}
