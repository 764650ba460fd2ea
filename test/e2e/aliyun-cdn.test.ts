import { afterEach, describe, expect, it } from 'vitest';
import {
  type AliyunCdnEmulator,
  type AliyunEmulatorOptions,
  aliyunStepInputs,
  startAliyunCdnEmulator,
} from '../fakes/aliyun-cdn/emulator.js';
import { type ActionRun, type RunOptions, runAction } from '../support/run-action.js';

let emulator: AliyunCdnEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const json = (text: string | undefined): unknown => JSON.parse(text ?? 'null');
const urls = (n: number): string[] =>
  Array.from({ length: n }, (_, i) => `https://www.example.com/img/${i}.png`);

async function act(
  inputs: Record<string, string>,
  options: AliyunEmulatorOptions = {},
  run: RunOptions = {},
): Promise<ActionRun> {
  emulator ??= await startAliyunCdnEmulator(options);
  return runAction(
    {
      ...aliyunStepInputs(emulator),
      ...inputs,
    },
    run,
  );
}

const paramsOf = (action: string): Record<string, string>[] =>
  (emulator?.requests ?? []).filter((request) => request.action === action).map((request) => request.params);

describe('aliyun-cdn through the bundle', () => {
  it('refreshes files and directories, with Force from purge-method, and reports every task ID', async () => {
    const run = await act({
      urls: urls(3).join('\n'),
      paths: 'https://www.example.com/static/\nhttps://www.example.com/fonts/',
      'purge-method': 'delete',
    });
    expect(run.exitCode).toBe(0);
    expect(paramsOf('RefreshObjectCaches')).toEqual(
      expect.arrayContaining([
        { ObjectPath: urls(3).join('\n'), ObjectType: 'File' },
        {
          ObjectPath: 'https://www.example.com/static/\nhttps://www.example.com/fonts/',
          ObjectType: 'Directory',
          Force: 'true',
        },
      ]),
    );
    expect(paramsOf('DescribeRefreshQuota')).toHaveLength(1);
    const request = emulator?.requests.find((r) => r.action === 'RefreshObjectCaches');
    expect(request?.headers.authorization).toMatch(
      /^ACS3-HMAC-SHA256 Credential=LTAIemulator,SignedHeaders=/,
    );
    // In the order of the plan: the files, then the directories.
    const idsOf = (type: string) =>
      emulator?.accepted.filter((task) => task.objectType === type).flatMap((task) => task.taskIds) ?? [];
    expect(json(run.outputs['task-ids'])).toEqual([...idsOf('File'), ...idsOf('Directory')]);
    expect(run.outputs.status).toBe('submitted');
  });

  it('uses STS credentials from the ALIBABA_CLOUD_* variables, with x-acs-security-token', async () => {
    const run = await act(
      { urls: urls(1).join('\n'), 'secret-id': '', 'secret-key': '' },
      {
        credentials: [
          { accessKeyId: 'STS.temporary', accessKeySecret: 'sts-secret', securityToken: 'sts-token' },
        ],
      },
      {
        env: {
          ALIBABA_CLOUD_ACCESS_KEY_ID: 'STS.temporary',
          ALIBABA_CLOUD_ACCESS_KEY_SECRET: 'sts-secret',
          ALIBABA_CLOUD_SECURITY_TOKEN: 'sts-token',
        },
      },
    );
    expect(run.exitCode).toBe(0);
    const submit = emulator?.requests.find((r) => r.action === 'RefreshObjectCaches');
    expect(submit?.headers['x-acs-security-token']).toBe('sts-token');
    expect(submit?.headers.authorization).toContain('x-acs-security-token');
    for (const secret of ['sts-secret', 'sts-token']) {
      expect(run.stdout).toContain(`::add-mask::${secret}`);
      expect(run.stdout.replaceAll(`::add-mask::${secret}`, '')).not.toContain(secret);
    }
  });
});

// The rest of these tests, and every bad input, run in process: test/providers/aliyun/cdn-run.test.ts.
describe('Alibaba bad input through the bundle: a clear error and nothing sent', () => {
  it('a URL with a carriage return (two targets in one ObjectPath)', async () => {
    const run = await act({ urls: 'https://www.example.com/a.png\rhttps://evil.example/b' });
    expect(run.exitCode).toBe(1);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toContain('must not contain whitespace or control characters');
    expect(emulator?.requests).toEqual([]);
  });
});
