import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSettings } from '../src/inputs/read-settings.js';
import { PROVIDERS } from '../src/providers/registry.js';
import { readInputDefaults } from './support/run-action.js';

const actionYml = readFileSync(resolve(import.meta.dirname, '../action.yml'), 'utf8');
const declared = new Set(['provider', ...Object.keys(readInputDefaults(actionYml))]);

/** The input names readSettings asks for with these values set (and every other input empty). */
function namesRead(values: Record<string, string>): Set<string> {
  const names = new Set<string>();
  try {
    readSettings(
      {
        read: (name) => {
          names.add(name);
          return values[name] ?? '';
        },
        env: { GITHUB_EVENT_NAME: 'push' },
        workspace: '/tmp',
      },
      PROVIDERS,
    );
  } catch {
    // A refused combination still shows which inputs were read on the way.
  }
  return names;
}

describe('action.yml', () => {
  const scenarios: Array<Record<string, string>> = [
    { provider: 'tencent-cdn', urls: 'https://e.com/a', 'dry-run': 'true', mode: 'purge-prefetch' },
    {
      provider: 'tencent-edgeone',
      'zone-id': 'zone-abc',
      urls: 'https://e.com/a',
      'dry-run': 'true',
      mode: 'purge-prefetch',
    },
    { provider: 'aliyun-cdn', urls: 'https://e.com/a', 'dry-run': 'true', mode: 'purge-prefetch' },
    { provider: 'tencent-cdn', 'changed-files': 'true', 'base-url': 'https://e.com/', 'dry-run': 'true' },
    {
      provider: 'tencent-cdn',
      urls: 'https://e.com/a',
      'role-arn': 'qcs::cam::uin/1:roleName/r',
      'oidc-provider': 'github',
    },
  ];
  const read = new Set(scenarios.flatMap((values) => [...namesRead(values)]));

  it('declares every input the action reads', () => {
    expect([...read].filter((name) => !declared.has(name))).toEqual([]);
  });

  it('reads every input it declares', () => {
    expect([...declared].filter((name) => !read.has(name))).toEqual([]);
  });

  it('runs node24 from the committed bundle, with a description for every input and output', () => {
    expect(actionYml).toMatch(/\nruns:\n {2}using: node24\n {2}main: dist\/index\.js\n/);
    const described = actionYml.match(/^ {4}description: .+$/gm) ?? [];
    expect(described.length).toBe(declared.size + 9);
    for (const output of [
      'task-ids',
      'urls',
      'url-count',
      'failed',
      'failed-count',
      'status',
      'stale',
      'report-file',
      'state-file',
    ]) {
      expect(actionYml).toContain(`\n  ${output}:\n    description:`);
    }
  });

  it('has no expression in a description: the runner evaluates it there, and the action would fail to load', () => {
    type Entries = Record<string, { description: string }>;
    const metadata = parse(actionYml) as { inputs: Entries; outputs: Entries };
    const entries = [...Object.entries(metadata.inputs), ...Object.entries(metadata.outputs)];
    const withExpression = entries.filter(([, entry]) => entry.description.includes('$' + '{{'));
    expect(withExpression.map(([name]) => name)).toEqual([]);
  });

  it('has a Marketplace listing that names every provider in under 125 characters, with branding', () => {
    const description = /^description: (.+)$/m.exec(actionYml)?.[1] ?? '';
    expect(description.length).toBeLessThan(125);
    for (const provider of PROVIDERS) expect(description).toContain(provider.label);
    expect(actionYml).toMatch(/\nbranding:\n {2}icon: [a-z-]+\n {2}color: [a-z]+\n/);
  });
});
