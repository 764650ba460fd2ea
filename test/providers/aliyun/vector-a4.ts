/** Signing vector A4 of docs/test-vectors.md: a RefreshObjectCaches of two directories, with a fixed date and nonce. */
import type { Acs3Request } from '../../../src/providers/aliyun/acs3.js';

export const A4: Acs3Request = {
  method: 'POST',
  host: 'cdn.aliyuncs.com',
  path: '/',
  query: {},
  headers: {
    'content-type': 'application/x-www-form-urlencoded',
    'x-acs-action': 'RefreshObjectCaches',
    'x-acs-version': '2018-05-10',
    'x-acs-date': '2024-01-02T03:04:05Z',
    'x-acs-signature-nonce': '0123456789abcdef0123456789abcdef',
  },
  body: 'Force=true&ObjectPath=https%3A%2F%2Fwww.example.com%2Fstatic%2F%0Ahttps%3A%2F%2Fwww.example.com%2Fimg%2F&ObjectType=Directory',
  accessKeyId: 'testid',
  accessKeySecret: 'testsecret',
};
