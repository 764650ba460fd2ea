/**
 * What is generated from action.yml so that it cannot drift from it: the README's inputs and outputs tables, and
 * src/inputs/declared-inputs.ts, the input names the action accepts at run time. `npm run docs` rewrites them;
 * `npm run docs -- --check` (run by .ci/run) fails, naming the file, when one is not what action.yml makes.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

interface ActionMetadata {
  inputs?: Record<string, ActionInput>;
  outputs?: Record<string, { description?: string }>;
}

/** One table row's cell: line breaks folded, pipes escaped. */
function cell(text: string): string {
  return text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|');
}

function defaultOf(input: ActionInput): string {
  if (input.required) return '(required)';
  const value = input.default ?? '';
  return value === '' ? '' : `\`${value}\``;
}

/** The inputs table, in action.yml's order. */
export function inputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.inputs ?? {}).map(
    ([name, input]) => `| \`${name}\` | ${defaultOf(input)} | ${cell(input.description ?? '')} |`,
  );
  return ['| input | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

/** The outputs table, in action.yml's order. */
export function outputsTable(metadata: ActionMetadata): string {
  const rows = Object.entries(metadata.outputs ?? {}).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description ?? '')} |`,
  );
  return ['| output | meaning |', '|---|---|', ...rows].join('\n');
}

/** `readme` with the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` replaced by `body`. */
export function replaceBetweenMarkers(readme: string, name: string, body: string): string {
  const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return `${readme.slice(0, from + start.length)}\n${body}\n${readme.slice(to)}`;
}

/** The README with both tables made from action.yml. */
export function generatedReadme(readme: string, actionYml: string): string {
  const metadata = parse(actionYml) as ActionMetadata;
  const withInputs = replaceBetweenMarkers(readme, 'inputs', inputsTable(metadata));
  return replaceBetweenMarkers(withInputs, 'outputs', outputsTable(metadata));
}

/** src/inputs/declared-inputs.ts: every input action.yml declares, in its order. */
export function declaredInputsModule(actionYml: string): string {
  const metadata = parse(actionYml) as ActionMetadata;
  const names = Object.keys(metadata.inputs ?? {}).map((name) => `  '${name}',`);
  return [
    '// Generated from action.yml by `npm run docs` (scripts/action-docs.ts): do not edit. After a merge that adds',
    '// inputs, run `npm run docs` again; `npm run docs -- --check` fails while this file differs from action.yml.',
    '',
    '/** Every input action.yml declares: an INPUT_* variable for any other name is refused. */',
    'export const DECLARED_INPUTS: readonly string[] = [',
    ...names,
    '];',
    '',
  ].join('\n');
}

if (process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  const actionYml = readFileSync(resolve(root, 'action.yml'), 'utf8');
  const readmePath = resolve(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const generated = [
    { path: 'README.md', expected: generatedReadme(readme, actionYml), what: 'inputs and outputs tables' },
    { path: 'src/inputs/declared-inputs.ts', expected: declaredInputsModule(actionYml), what: 'input names' },
  ];
  for (const { path, expected, what } of generated) {
    const file = resolve(root, path);
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (process.argv.includes('--check')) {
      if (expected !== current) {
        process.stderr.write(
          `${path}'s ${what} differ from action.yml: run 'npm run docs' and commit ${path}.\n`,
        );
        process.exitCode = 1;
      } else {
        process.stdout.write(`${path} matches action.yml.\n`);
      }
    } else if (expected !== current) {
      writeFileSync(file, expected);
      process.stdout.write(`${path}: ${what} rewritten from action.yml.\n`);
    }
  }
}
