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

    const env: Record<string, string> = {};
    for (const [name, value] of Object.entries(process.env)) {
      if (
        value !== undefined &&
        !/^(INPUT_|TENCENTCLOUD_|ALIBABA_CLOUD_|GITHUB_|RUNNER_|ACTIONS_)/.test(name)
      )
        env[name] = value;
    }
    // A runner sets every input that action.yml gives a default, then the workflow's own values over them.
    for (const [name, value] of Object.entries({ ...ACTION_DEFAULTS, ...inputs })) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
    }
    Object.assign(env, {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      GITHUB_WORKSPACE: cwd,
      RUNNER_TEMP: runnerTemp,
      ...options.env,
    });

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
    const outputText = await readFile(outputFile, 'utf8');
    const outputs = parseOutputFile(outputText);
    return {
      exitCode,
      stdout,
      stderr,
      outputs,
      outputBytes: Buffer.byteLength(outputText),
      summary: await readFile(summaryFile, 'utf8'),
      errors: errorLines(stdout),
      report: await readReport(outputs),
    };
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/** The `::error::` lines of a log, without the prefix. */
export function errorLines(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::error::'))
    .map((line) => line.slice('::error::'.length));
}

/** The report file an `report-file` output names, parsed; undefined without one. */
export async function readReport(outputs: Record<string, string>): Promise<unknown> {
  const path = outputs['report-file'];
  return path ? JSON.parse(await readFile(path, 'utf8')) : undefined;
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

/** The job summary's HTML as plain text, for a terminal. */
export function summaryAsText(html: string): string {
  return html
    .replace(/<\/(tr|h\d|p)>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
