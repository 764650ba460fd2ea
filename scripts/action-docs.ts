/**
 * The README's inputs and outputs tables, generated from action.yml so that they cannot drift from it.
 * `npm run docs` rewrites them between their markers; `npm run docs -- --check` (run by .ci/run) fails, naming
 * the table, when README.md is not what action.yml makes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
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

if (process.argv[1] === import.meta.filename) {
  const root = resolve(import.meta.dirname, '..');
  const readmePath = resolve(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const expected = generatedReadme(readme, readFileSync(resolve(root, 'action.yml'), 'utf8'));
  if (process.argv.includes('--check')) {
    if (expected !== readme) {
      process.stderr.write(
        "README.md's inputs or outputs table differs from action.yml: run 'npm run docs' and commit README.md.\n",
      );
      process.exitCode = 1;
    } else {
      process.stdout.write('README.md matches action.yml.\n');
    }
  } else if (expected !== readme) {
    writeFileSync(readmePath, expected);
    process.stdout.write('README.md: inputs and outputs tables rewritten from action.yml.\n');
  }
}
