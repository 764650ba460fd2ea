/**
 * The mistakes new users made (issue "Impossible to misuse"), run in process: each either does what the user meant,
 * or fails before anything is sent with a message that names the input and the fix, and still sets
 * `status: failed`. test/e2e/misuse.test.ts replays one of them, and the changed-files hints, through the bundle.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTencentCdnEmulator,
  stepInputs,
  type TencentCdnEmulator,
} from '../fakes/tencent-cdn/emulator.js';
import { runInProcess } from '../support/run-in-process.js';

let emulator: TencentCdnEmulator;
beforeAll(async () => {
  emulator = await startTencentCdnEmulator();
});
afterAll(() => emulator.close());

const A = 'https://www.example.com/a.js';
const B = 'https://www.example.com/b.js';
const ALIBABA = { provider: 'aliyun-cdn', 'secret-id': 'id', 'secret-key': 'key' };

describe('a mistake is refused before anything is sent, naming the input and the fix', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a misspelled input', { urls: A, region: 'mainland' }, 'the equivalent input here is area'],
    ['semicolon-separated URLs', { urls: `${A};${B}` }, 'a semicolon does not separate URLs'],
    [
      'a wildcard',
      { urls: 'https://www.example.com/static/*.js' },
      'give https://www.example.com/static/ in paths',
    ],
    [
      'area on an Alibaba purge',
      { ...ALIBABA, urls: A, area: 'mainland' },
      'on a prefetch (PushObjectCache) only',
    ],
  ])('%s', async (_, inputs, message) => {
    const before = emulator.requests.length;
    const run = await runInProcess({ ...stepInputs(emulator), ...inputs });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain(message);
    expect(run.outputs.status).toBe('failed');
    expect(run.summary).toContain('Nothing was sent: an input is wrong.');
    expect(emulator.requests.length).toBe(before);
  });
});

describe('a list written as people write lists works as meant', () => {
  it.each<[string, string]>([
    ['a YAML list', `- ${A}\n- ${B}`],
    ['space-separated URLs (a workflow_dispatch field)', `${A} ${B}`],
    ['a JSON array', JSON.stringify([A, B])],
  ])('%s', async (_, urls) => {
    const run = await runInProcess({ ...stepInputs(emulator), urls, 'dry-run': 'true' });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.urls ?? '')).toEqual([A, B]);
  });

  it('percent-encodes a non-ASCII URL, says so once, and warns about a folder URL in urls', async () => {
    const run = await runInProcess({
      ...stepInputs(emulator),
      urls: 'https://www.example.com/文档/指南.html\nhttps://www.example.com/static/',
      'dry-run': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(JSON.parse(run.outputs.urls ?? '')).toEqual([
      'https://www.example.com/%E6%96%87%E6%A1%A3/%E6%8C%87%E5%8D%97.html',
      'https://www.example.com/static/',
    ]);
    expect(run.stdout.match(/Percent-encoded/g)).toHaveLength(1);
    expect(run.stdout).toContain('::warning::urls: 1 URL ending in "/"');
  });

  it("takes Alibaba's own word domestic for area on a prefetch", async () => {
    const run = await runInProcess({
      ...ALIBABA,
      mode: 'prefetch',
      urls: A,
      area: 'domestic',
      'dry-run': 'true',
    });
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(
      'Each PushObjectCache request carries, besides its targets, Area: "domestic"',
    );
  });
});
