import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const BUNDLE = resolve(import.meta.dirname, '../../dist/index.js');

/** The default of every input action.yml declares, read from its `inputs:` block. */
export function readInputDefaults(actionYml: string): Record<string, string> {
  const block = actionYml.slice(actionYml.indexOf('\ninputs:\n'), actionYml.indexOf('\noutputs:\n'));
  const defaults: Record<string, string> = {};
  let input: string | undefined;
  for (const line of block.split('\n')) {
    const name = /^ {2}([a-z0-9-]+):\s*$/.exec(line)?.[1];
    if (name) input = name;
    const value = /^ {4}default:\s*(.*)$/.exec(line)?.[1];
    if (input && value !== undefined)
      defaults[input] = value.startsWith('"') ? (JSON.parse(value) as string) : value.trim();
  }
  return defaults;
}

export const ACTION_DEFAULTS = readInputDefaults(
  readFileSync(resolve(import.meta.dirname, '../../action.yml'), 'utf8'),
);

export interface ActionRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** The size of the GITHUB_OUTPUT file, in bytes. */
  outputBytes: number;
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The `::error::` lines of the log, without the prefix. */
  errors: string[];
  /** The JSON file the `report-file` output names, parsed (read before the runner's temporary folder goes). */
  report: unknown;
}

export interface RunOptions {
  /** Extra environment variables (credentials fallbacks, RUNNER_DEBUG, …). */
  env?: Record<string, string>;
  /** Files to create in the workspace before the run. */
  files?: Record<string, string>;
  /** Print the action's log as it runs. */
  echo?: boolean;
  /** Run in this folder (GITHUB_WORKSPACE, the current folder) instead of a new empty one: a git repository. */
  workspace?: string;
}

/**
 * Runs the built bundle as a runner does: each input as INPUT_<NAME>, outputs and summary through the
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, a workspace folder of its own.
 */
export async function runAction(
  inputs: Record<string, string>,
  options: RunOptions = {},
): Promise<ActionRun> {
  const workspace = await mkdtemp(join(tmpdir(), 'cdn-action-'));
  const cwd = options.workspace ?? workspace;
  try {
    const outputFile = join(workspace, '.github_output');
    const summaryFile = join(workspace, '.github_step_summary');
    const runnerTemp = join(workspace, '.runner_temp');
    await mkdir(runnerTemp);
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    for (const [name, content] of Object.entries(options.files ?? {}))
      await writeFile(join(cwd, name), content);

    const env = stepEnvironment(
      inputs,
      { output: outputFile, summary: summaryFile, workspace: cwd, runnerTemp },
      options.env,
    );

    const child = spawn(process.execPath, [BUNDLE], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echo) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echo) process.stderr.write(chunk);
    });
    const exitCode = await new Promise<number>((done, failed) => {
      child.on('error', failed);
      child.on('close', (code) => done(code ?? -1));
    });
    return await stepResult({ exitCode, stdout, stderr }, { output: outputFile, summary: summaryFile });
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/** The files a runner gives a step, the folder it runs in and its temporary folder. */
export interface StepFiles {
  output: string;
  summary: string;
  workspace: string;
  runnerTemp: string;
}

/**
 * The environment a runner gives the step: this process's own, less anything a runner or the credentials
 * fallbacks would set, then every input that action.yml gives a default, the workflow's values over them, and
 * the step's files.
 */
export function stepEnvironment(
  inputs: Record<string, string>,
  files: StepFiles,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(INPUT_|TENCENTCLOUD_|ALIBABA_CLOUD_|GITHUB_|RUNNER_|ACTIONS_)/.test(name))
      env[name] = value;
  }
  for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  return {
    ...env,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_WORKSPACE: files.workspace,
    RUNNER_TEMP: files.runnerTemp,
    ...extra,
  };
}

/**
 * What the step left: its exit code and log, its outputs (and their size) and summary, the `::error::` lines of
 * its log, and the report file its `report-file` output names.
 */
export async function stepResult(
  run: { exitCode: number; stdout: string; stderr: string },
  files: Pick<StepFiles, 'output' | 'summary'>,
): Promise<ActionRun> {
  const outputText = await readFile(files.output, 'utf8');
  const outputs = parseOutputFile(outputText);
  const reportFile = outputs['report-file'];
  return {
    ...run,
    outputs,
    outputBytes: Buffer.byteLength(outputText),
    summary: await readFile(files.summary, 'utf8'),
    errors: run.stdout
      .split('\n')
      .filter((line) => line.startsWith('::error::'))
      .map((line) => line.slice('::error::'.length)),
    report: reportFile ? JSON.parse(await readFile(reportFile, 'utf8')) : undefined,
  };
}

/**
 * The log as a runner shows it: without the `::add-mask::` commands, which the runner takes out of the log (the
 * values they register are what it masks).
 */
export function shownLog(stdout: string): string {
  return stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
}

/** Parses the `name<<delimiter` blocks that @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!match) continue;
    const [, name = '', delimiter] = match;
    const value: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
    outputs[name] = value.join('\n');
  }
  return outputs;
}
