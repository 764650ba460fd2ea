/** How a test runs the step: the built bundle in a child process (test/e2e/), or run() in this one. */
import { type ActionRun, runAction } from './run-action.js';
import { runInProcess } from './run-in-process.js';

export type Runner = (
  inputs: Record<string, string>,
  workspace: string,
  env: Record<string, string>,
) => Promise<ActionRun>;

export const bundle: Runner = (inputs, workspace, env) => runAction(inputs, { workspace, env });
export const inProcess: Runner = (inputs, workspace, env) =>
  runInProcess(inputs, undefined, env, { workspace });
