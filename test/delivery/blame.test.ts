import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { credentialHint } from '../../src/delivery/blame.js';
import { createHttpClient } from '../../src/delivery/http.js';
import { ApiError } from '../../src/errors.js';
import { settingsFrom } from '../support/settings.js';

const VARIABLES = { id: 'X_ID', key: 'X_KEY', token: 'X_TOKEN' };
const settings = settingsFrom({
  provider: 'tencent-cdn',
  'secret-id': 'id',
  'secret-key': 'key',
  urls: 'https://www.example.com/a.js',
});

describe('errors that point at the cause', () => {
  it('names the credential inputs and variables on an authentication failure, and nothing else', () => {
    const auth = new ApiError('AuthFailure.SignatureFailure', 'bad signature', 'run');
    expect(credentialHint(auth, settings, VARIABLES)).toContain(
      'the inputs secret-id and secret-key, or where they are empty the environment variables X_ID and X_KEY',
    );
    for (const code of [
      'InvalidAccessKeyId.NotFound',
      'SignatureDoesNotMatch',
      'InvalidSecurityToken.Expired',
    ])
      expect(credentialHint(new ApiError(code, '', 'run'), settings, VARIABLES)).not.toBe('');
    expect(
      credentialHint(new ApiError('ResourceNotFound.ZoneNotFound', '', 'run'), settings, VARIABLES),
    ).toBe('');
  });

  it('names the host a connection failed to reach', async () => {
    const server = createServer();
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise((closed) => server.close(closed));
    const { send, close } = createHttpClient();
    try {
      await expect(
        send({ url: new URL(`http://127.0.0.1:${port}/`), headers: {}, body: '', timeoutMs: 5000 }),
      ).rejects.toThrow(
        `could not connect to 127.0.0.1:${port} (ECONNREFUSED): check that the runner can reach`,
      );
    } finally {
      await close();
    }
  });
});
