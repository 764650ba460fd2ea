/**
 * Runs run() in this process as a runner would run the step: inputs as INPUT_* variables (over action.yml's
 * defaults), outputs and summary through the GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, the log captured from
 * stdout. A change to src/ is tested without rebuilding dist/. Time is a FakeClock unless `deps` says otherwise:
 * waits, retries and pacing take no real time.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { onTestFinished, vi } from 'vitest';
import { type RunDeps, run } from '../../src/main.js';
import type { ProviderDefinition } from '../../src/providers/provider.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import { FakeClock } from './fake-clock.js';
import { type ActionRun, type RunOptions, stepEnvironment, stepResult } from './run-action.js';

// @actions/core keeps the summary file's path once it has read it: one folder path serves every run in this
// process (test files share their modules, vitest.config.ts), made for each test that runs the step and removed
// when it ends.
const folder = join(tmpdir(), `cdn-action-in-process-${process.pid}-${randomBytes(4).toString('hex')}`);

/** The clock (a new FakeClock by default) and random source of the run, and the files it finds in the workspace. */
export interface InProcessOptions extends Partial<RunDeps>, Pick<RunOptions, 'files' | 'workspace'> {}

export function runInProcess(
  inputs: Record<string, string>,
  providers?: readonly ProviderDefinition[],
  env: Record<string, string> = {},
  options: InProcessOptions = {},
): Promise<ActionRun> {
  return inProcessStep(
    inputs,
    env,
    () =>
      run(providers ?? PROVIDERS, {
        clock: options.clock ?? new FakeClock(),
        random: options.random ?? Math.random,
      }),
    options,
  );
}

/** Runs `body` (run(), or a part of it) in the environment of a step with these inputs, and returns what it left. */
export async function inProcessStep(
  inputs: Record<string, string>,
  env: Record<string, string>,
  body: () => Promise<void>,
  options: Pick<RunOptions, 'files' | 'workspace'> = {},
): Promise<ActionRun> {
  await mkdir(folder, { recursive: true, mode: 0o700 });
  onTestFinished(() => rm(folder, { recursive: true, force: true }));
  const outputFile = join(folder, 'output');
  const summaryFile = join(folder, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const workspace = options.workspace ?? folder;
  for (const [name, content] of Object.entries(options.files ?? {}))
    await writeFile(join(workspace, name), content);
  core.summary.emptyBuffer();
  const saved = { ...process.env };
  const step = stepEnvironment(
    inputs,
    { output: outputFile, summary: summaryFile, workspace, runnerTemp: folder },
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
