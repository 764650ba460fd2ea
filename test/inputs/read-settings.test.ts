import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError, SECRET_BEARING_INPUTS } from '../../src/errors.js';
import { readSettings } from '../../src/inputs/read-settings.js';
import { MAX_URL_LENGTH } from '../../src/inputs/urls.js';
import { PROVIDERS } from '../../src/providers/registry.js';
import type { Settings } from '../../src/settings.js';
import { thrownBy } from '../support/thrown.js';

type Inputs = Record<string, string>;
interface Options {
  env?: Record<string, string | undefined>;
  workspace?: string;
}

const CREDENTIALS: Inputs = { 'secret-id': 'AKIDinputid', 'secret-key': 'inputkey' };
const URL_A = 'https://www.example.com/a.js';
const URL_B = 'https://www.example.com/b.js';
const URL_C = 'https://www.example.com/c.js';
const NO_WORKSPACE = join(tmpdir(), 'inputs-test-no-workspace');

/** readSettings with a fake `read` over a plain object: a missing name reads as ''. */
function settings(inputs: Inputs, options: Options = {}): Settings {
  return readSettings(
    {
      read: (name) => inputs[name] ?? '',
      env: options.env ?? {},
      workspace: options.workspace ?? NO_WORKSPACE,
    },
    PROVIDERS,
  ).settings;
}

/** A valid purge of one URL, with credentials, plus `extra`. */
function valid(extra: Inputs = {}): Inputs {
  return { provider: 'tencent-cdn', urls: URL_A, ...CREDENTIALS, ...extra };
}

/** The InputError that readSettings throws for these inputs. */
function inputError(inputs: Inputs, options: Options = {}): InputError {
  return thrownBy(InputError, () => settings(inputs, options));
}

/**
 * Checks the error: it names the input, carries the value, and its message shows the value (quoted as JSON, so
 * control characters appear escaped) and every piece of the accepted values or format. For an input that may hold
 * a secret, the error neither keeps nor shows the value.
 */
function expectInputError(error: InputError, input: string, value: string, accepted: string[]): void {
  expect(error.input).toBe(input);
  if (SECRET_BEARING_INPUTS.has(input)) {
    expect(error.value).toBe('');
    expect(error.message).toContain(`Input '${input}' (its value is not shown: it may hold a secret): `);
    if (value !== '') expect(error.message).not.toContain(value);
  } else {
    expect(error.value).toBe(value);
    expect(error.message).toContain(`Input '${input}' has the value ${JSON.stringify(value)}`);
  }
  for (const text of accepted) expect(error.message).toContain(text);
}

let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'inputs-test-'));
});

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true });
});

describe('readSettings: good inputs', () => {
  it('fills in the defaults', () => {
    const result = settings(valid());
    const expected = {
      provider: 'tencent-cdn',
      mode: 'purge',
      urls: [URL_A],
      paths: [],
      area: undefined,
      purgeMethod: 'invalidate',
      site: 'china',
      endpoint: undefined,
      credentials: { secretId: 'AKIDinputid', secretKey: 'inputkey', sessionToken: undefined },
      dryRun: false,
      urlEncode: undefined,
      prefetch: {
        headers: [],
        userAgent: undefined,
        layer: undefined,
        mediaSegments: undefined,
        disableRange: undefined,
      },
    };
    // Only the fields listed here: Settings may grow others, tested elsewhere.
    const compared = Object.fromEntries(
      Object.keys(expected).map((key) => [key, result[key as keyof Settings]]),
    );
    expect(compared).toStrictEqual(expected);
  });

  it('reads every accepted value of mode, area, purge-method and site', () => {
    for (const mode of ['purge', 'prefetch', 'purge-prefetch', 'unblock']) {
      expect(settings(valid({ mode })).mode).toBe(mode);
    }
    for (const area of ['mainland', 'overseas', 'global'] as const) {
      expect(settings(valid({ area })).area).toBe(area);
    }
    expect(settings(valid({ 'purge-method': 'delete' })).purgeMethod).toBe('delete');
    expect(settings(valid({ 'purge-method': 'invalidate' })).purgeMethod).toBe('invalidate');
    expect(settings(valid({ site: 'intl' })).site).toBe('intl');
    expect(settings(valid({ site: 'china' })).site).toBe('china');
  });

  it('splits urls on new lines (LF and CRLF)', () => {
    expect(settings(valid({ urls: `${URL_A}\n${URL_B}\r\n${URL_C}\n` })).urls).toEqual([URL_A, URL_B, URL_C]);
  });

  it('splits urls on a comma followed by http:// or https://, with or without spaces', () => {
    const urls =
      'https://www.example.com/a.js,https://www.example.com/b.js, http://www.example.com/c.js,\tHTTPS://x.example.com/d.js';
    expect(settings(valid({ urls })).urls).toEqual([
      URL_A,
      URL_B,
      'http://www.example.com/c.js',
      'HTTPS://x.example.com/d.js',
    ]);
  });

  it('keeps a comma inside a URL', () => {
    expect(settings(valid({ urls: 'https://e.com/a,b.jpg' })).urls).toEqual(['https://e.com/a,b.jpg']);
    expect(
      settings(valid({ urls: 'https://e.com/a,b.jpg,https://e.com/c,d.jpg\nhttps://e.com/x?l=1,2' })).urls,
    ).toEqual(['https://e.com/a,b.jpg', 'https://e.com/c,d.jpg', 'https://e.com/x?l=1,2']);
  });

  it('removes repeated URLs, keeping the first of each in order', () => {
    expect(settings(valid({ urls: `${URL_B}\n${URL_A}\n${URL_B}\n${URL_C}\n${URL_A}` })).urls).toEqual([
      URL_B,
      URL_A,
      URL_C,
    ]);
    const paths = 'https://www.example.com/x/\nhttps://www.example.com/y/\nhttps://www.example.com/x/';
    expect(settings(valid({ paths })).paths).toEqual([
      'https://www.example.com/x/',
      'https://www.example.com/y/',
    ]);
  });

  it('ignores blank lines and lines starting with #, also when indented', () => {
    const urls = `# deploy list\n${URL_A}\n\n   # ${URL_B}\n   \n${URL_C}`;
    expect(settings(valid({ urls })).urls).toEqual([URL_A, URL_C]);
  });

  it('reads paths as directory URLs', () => {
    const result = settings(
      valid({ urls: '', paths: 'https://www.example.com/static/\nhttps://www.example.com/img/' }),
    );
    expect(result.urls).toEqual([]);
    expect(result.paths).toEqual(['https://www.example.com/static/', 'https://www.example.com/img/']);
  });

  it('reads urls-file relative to the workspace: one URL per line, comments skipped, a comma kept', () => {
    writeFileSync(
      join(workspace, 'list.txt'),
      `# comment\r\n${URL_B}\r\n\r\n  ${URL_C}  \nhttps://e.com/x.js,https://e.com/y.js\n`,
    );
    expect(settings(valid({ urls: '', 'urls-file': 'list.txt' }), { workspace }).urls).toEqual([
      URL_B,
      URL_C,
      'https://e.com/x.js,https://e.com/y.js',
    ]);
  });

  it('reads a urls-file that starts with a byte order mark', () => {
    writeFileSync(join(workspace, 'bom.txt'), `\uFEFF${URL_A}\r\n${URL_B}\r\n`);
    expect(settings(valid({ urls: '', 'urls-file': 'bom.txt' }), { workspace }).urls).toEqual([URL_A, URL_B]);
  });

  it('reads urls-file in a subfolder of the workspace', () => {
    mkdirSync(join(workspace, 'sub'), { recursive: true });
    writeFileSync(join(workspace, 'sub', 'nested.txt'), `${URL_A}\n`);
    expect(settings(valid({ urls: '', 'urls-file': 'sub/nested.txt' }), { workspace }).urls).toEqual([URL_A]);
  });

  it('reads urls-file from an absolute path in RUNNER_TEMP, whatever the workspace', () => {
    const file = join(workspace, 'absolute.txt');
    writeFileSync(file, `${URL_C}\n`);
    const env = { RUNNER_TEMP: workspace };
    expect(settings(valid({ urls: '', 'urls-file': file }), { workspace: NO_WORKSPACE, env }).urls).toEqual([
      URL_C,
    ]);
  });

  it('merges urls and urls-file, urls first, without repeats', () => {
    writeFileSync(join(workspace, 'merge.txt'), `${URL_B}\n${URL_C}\n${URL_A}\n${URL_C}\n`);
    expect(
      settings(valid({ urls: `${URL_A}\n${URL_B}`, 'urls-file': 'merge.txt' }), { workspace }).urls,
    ).toEqual([URL_A, URL_B, URL_C]);
  });

  it('falls back to TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and TENCENTCLOUD_SESSION_TOKEN', () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDenvid',
      TENCENTCLOUD_SECRET_KEY: 'envkey',
      TENCENTCLOUD_SESSION_TOKEN: 'envtoken',
    };
    expect(settings({ provider: 'tencent-cdn', urls: URL_A }, { env }).credentials).toStrictEqual({
      secretId: 'AKIDenvid',
      secretKey: 'envkey',
      sessionToken: 'envtoken',
    });
    expect(
      settings(
        { provider: 'tencent-cdn', urls: URL_A },
        { env: { ...env, TENCENTCLOUD_SESSION_TOKEN: undefined } },
      ).credentials,
    ).toStrictEqual({ secretId: 'AKIDenvid', secretKey: 'envkey', sessionToken: undefined });
  });

  it('prefers the inputs to the environment', () => {
    const env = {
      TENCENTCLOUD_SECRET_ID: 'AKIDenvid',
      TENCENTCLOUD_SECRET_KEY: 'envkey',
      TENCENTCLOUD_SESSION_TOKEN: 'envtoken',
    };
    expect(settings(valid({ 'session-token': 'inputtoken' }), { env }).credentials).toStrictEqual({
      secretId: 'AKIDinputid',
      secretKey: 'inputkey',
      sessionToken: 'inputtoken',
    });
    // Each one separately: the missing input falls back to its own variable.
    expect(
      settings({ provider: 'tencent-cdn', urls: URL_A, 'secret-id': 'AKIDinputid' }, { env }).credentials,
    ).toStrictEqual({ secretId: 'AKIDinputid', secretKey: 'envkey', sessionToken: 'envtoken' });
  });

  it('reads session-token', () => {
    expect(settings(valid({ 'session-token': 'tok' })).credentials?.sessionToken).toBe('tok');
  });

  it('needs no credentials in a dry run', () => {
    const result = settings({ provider: 'tencent-cdn', urls: URL_A, 'dry-run': 'true' });
    expect(result.dryRun).toBe(true);
    expect(result.credentials).toBeUndefined();
    // Given anyway, they are kept.
    expect(settings(valid({ 'dry-run': 'true' })).credentials).toStrictEqual({
      secretId: 'AKIDinputid',
      secretKey: 'inputkey',
      sessionToken: undefined,
    });
  });

  it('parses headers into {name, value} (prefetch)', () => {
    const headers =
      "X-Forwarded-Host: www.example.com\r\nAccept-Encoding:   gzip, br  \n\n  Referer: https://www.example.com/a:b\nx~!#$%&'*+-.^_`|: 1";
    expect(settings(valid({ mode: 'prefetch', headers })).prefetch.headers).toStrictEqual([
      { name: 'X-Forwarded-Host', value: 'www.example.com' },
      { name: 'Accept-Encoding', value: 'gzip, br' },
      { name: 'Referer', value: 'https://www.example.com/a:b' },
      { name: "x~!#$%&'*+-.^_`|", value: '1' },
    ]);
  });

  it('accepts exactly 20 headers', () => {
    const headers = Array.from({ length: 20 }, (_, i) => `X-H${i}: v${i}`).join('\n');
    expect(settings(valid({ mode: 'purge-prefetch', headers })).prefetch.headers).toHaveLength(20);
  });

  it('reads every prefetch option in mode prefetch and purge-prefetch', () => {
    for (const mode of ['prefetch', 'purge-prefetch']) {
      expect(
        settings(
          valid({
            mode,
            headers: 'X-A: b',
            'user-agent': 'MyBot/1.0 (+https://example.com)',
            layer: 'middle',
            'media-segments': 'true',
            'disable-range': 'false',
          }),
        ).prefetch,
      ).toStrictEqual({
        headers: [{ name: 'X-A', value: 'b' }],
        userAgent: 'MyBot/1.0 (+https://example.com)',
        layer: 'middle',
        mediaSegments: true,
        disableRange: false,
      });
    }
  });

  it.each([
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['http://127.0.0.1', 'http://127.0.0.1/'],
    ['http://127.1.2.3:9/', 'http://127.1.2.3:9/'],
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['http://localhost', 'http://localhost/'],
    ['http://[::1]:9000', 'http://[::1]:9000/'],
    ['http://[::1]', 'http://[::1]/'],
    ['https://cdn.tencentcloudapi.com', 'https://cdn.tencentcloudapi.com/'],
    ['https://cdn.intl.tencentcloudapi.com/', 'https://cdn.intl.tencentcloudapi.com/'],
    ['https://cdn.tencentcloudapi.com:8443', 'https://cdn.tencentcloudapi.com:8443/'],
    ['https://[::1]:8443', 'https://[::1]:8443/'],
  ])('accepts the endpoint %s', (endpoint, href) => {
    const result = settings(valid({ endpoint }));
    expect(result.endpoint).toBeInstanceOf(URL);
    expect(result.endpoint?.href).toBe(href);
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('reads the boolean %s', (value, expected) => {
    expect(settings(valid({ 'dry-run': value })).dryRun).toBe(expected);
    expect(settings(valid({ 'url-encode': value })).urlEncode).toBe(expected);
    const prefetch = settings(
      valid({ mode: 'prefetch', 'media-segments': value, 'disable-range': value }),
    ).prefetch;
    expect(prefetch.mediaSegments).toBe(expected);
    expect(prefetch.disableRange).toBe(expected);
  });

  it('accepts a URL of exactly MAX_URL_LENGTH characters', () => {
    const prefix = 'https://www.example.com/';
    const url = prefix + 'a'.repeat(MAX_URL_LENGTH - prefix.length);
    expect(url).toHaveLength(MAX_URL_LENGTH);
    expect(settings(valid({ urls: url })).urls).toEqual([url]);
  });

  it('accepts mode unblock and purge-prefetch with file URLs, and purge-prefetch with paths too', () => {
    expect(settings(valid({ mode: 'unblock' })).mode).toBe('unblock');
    const result = settings(valid({ mode: 'purge-prefetch', paths: 'https://www.example.com/static/' }));
    expect(result.urls).toEqual([URL_A]);
    expect(result.paths).toEqual(['https://www.example.com/static/']);
  });
});

describe('readSettings: bad inputs', () => {
  it('refuses a missing provider', () => {
    const error = inputError({ urls: URL_A, ...CREDENTIALS });
    expectInputError(error, 'provider', '', ['required', 'tencent-cdn']);
  });

  it('refuses an unknown provider', () => {
    expectInputError(inputError(valid({ provider: 'akamai' })), 'provider', 'akamai', [
      'accepted: tencent-cdn, tencent-edgeone, aliyun-cdn',
    ]);
    expectInputError(inputError(valid({ provider: 'Tencent-CDN' })), 'provider', 'Tencent-CDN', [
      'accepted: tencent-cdn',
    ]);
  });

  it('refuses an unknown mode', () => {
    expectInputError(inputError(valid({ mode: 'refresh' })), 'mode', 'refresh', [
      'accepted: purge, prefetch, purge-prefetch, unblock',
    ]);
  });

  it('refuses to run without credentials', () => {
    const error = inputError({ provider: 'tencent-cdn', urls: URL_A });
    expectInputError(error, 'secret-id', '', ['required', 'TENCENTCLOUD_SECRET_ID', 'secrets.']);
  });

  it('names secret-key when only secret-id is given, and never shows the secret-id', () => {
    const error = inputError({ provider: 'tencent-cdn', urls: URL_A, 'secret-id': 'AKIDsecretvalue' });
    expectInputError(error, 'secret-key', '', ['required', 'TENCENTCLOUD_SECRET_KEY']);
    expect(error.message).not.toContain('AKIDsecretvalue');
  });

  it('names secret-id when only secret-key is given, and never shows the secret-key', () => {
    const error = inputError({ provider: 'tencent-cdn', urls: URL_A, 'secret-key': 'topsecretkeyvalue' });
    expectInputError(error, 'secret-id', '', ['required', 'TENCENTCLOUD_SECRET_ID']);
    expect(error.message).not.toContain('topsecretkeyvalue');
  });

  it('never shows a secret given through the environment when the other one is missing', () => {
    const error = inputError(
      { provider: 'tencent-cdn', urls: URL_A },
      { env: { TENCENTCLOUD_SECRET_ID: 'AKIDenvsecretvalue', TENCENTCLOUD_SESSION_TOKEN: 'tokenvalue' } },
    );
    expectInputError(error, 'secret-key', '', ['TENCENTCLOUD_SECRET_KEY']);
    expect(error.message).not.toContain('AKIDenvsecretvalue');
    expect(error.message).not.toContain('tokenvalue');
  });

  it.each(['www.example.com/a.js', '/a.js', 'a.js', 'https:/www.example.com/a.js', 'https:///a.js'])(
    'refuses the URL %s, which is not absolute',
    (url) => {
      expectInputError(inputError(valid({ urls: url })), 'urls', url, [
        'expected an absolute http:// or https:// URL',
      ]);
    },
  );

  it.each(['ftp://www.example.com/a.js', 'file:///etc/passwd', 'mailto:ops@example.com'])(
    'refuses the URL %s, which is not http or https',
    (url) => {
      expectInputError(inputError(valid({ urls: url })), 'urls', url, ['http:// or https://']);
    },
  );

  it('refuses a wildcard host', () => {
    expectInputError(
      inputError(valid({ urls: 'https://*.example.com/a.js' })),
      'urls',
      'https://*.example.com/a.js',
      ['wildcard host'],
    );
  });

  it.each([
    ['a space', 'https://www.example.com/a b.js'],
    ['a tab', 'https://www.example.com/a\tb.js'],
    ['a control character', 'https://www.example.com/a\u0007b.js'],
    ['a carriage return', 'https://www.example.com/a\rb.js'],
    ['a NUL', 'https://www.example.com/a\u0000b.js'],
    ['a no-break space', 'https://www.example.com/a\u00a0b.js'],
  ])('refuses a URL with %s', (_, url) => {
    const error = inputError(valid({ urls: url }));
    expectInputError(error, 'urls', url, ['whitespace or control characters', '%20']);
  });

  it.each([
    ['a tab', 'https://www.example.com/a\tb.js', '\\t'],
    ['a BEL', 'https://www.example.com/a\u0007b.js', '\\u0007'],
    ['a carriage return', 'https://www.example.com/a\rb.js', '\\r'],
    ['a C1 control character', 'https://www.example.com/a\u0085b.js', '\\u0085'],
    ['a CSI (U+009B)', 'https://www.example.com/a\u009bb.js', '\\u009b'],
    ['DEL', 'https://www.example.com/a\u007fb.js', '\\u007f'],
  ])('shows %s in a URL escaped in the message, never raw', (_, url, escaped) => {
    const error = inputError(valid({ urls: url }));
    expect(error.input).toBe('urls');
    expect(error.message).toContain('whitespace or control characters');
    expect(error.message).not.toContain(url);
    expect(error.message).toContain(`a${escaped}b.js`);
  });

  it.each([
    ['a user name and password', 'https://user:secret@www.example.com/a.js', 'user name or password'],
    ['a fragment', 'https://www.example.com/a.js#top', 'a fragment (#…) never reaches the CDN'],
  ])('refuses a URL with %s', (_, url, accepted) => {
    expectInputError(inputError(valid({ urls: url })), 'urls', url, [accepted]);
  });

  it('names the mode, not the format, for a malformed prefetch option with mode purge', () => {
    const error = inputError(valid({ headers: 'NoColon' }));
    expectInputError(error, 'headers', 'NoColon', ['applies to mode prefetch or purge-prefetch, not purge']);
  });

  it('never shows a header value, even an Authorization token, with mode purge', () => {
    const token = `Bearer ${'eyJhbGciOiJIUzI1NiJ9'.repeat(8)}`;
    const error = inputError(valid({ headers: `Authorization: ${token}` }));
    expectInputError(error, 'headers', token, ['applies to mode prefetch or purge-prefetch, not purge']);
    expect(error.message).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('refuses a URL longer than MAX_URL_LENGTH', () => {
    const prefix = 'https://www.example.com/';
    const url = prefix + 'a'.repeat(MAX_URL_LENGTH - prefix.length + 1);
    const error = inputError(valid({ urls: url }));
    expect(error.input).toBe('urls');
    expect(error.value).toBe(url);
    // The value is shown cut to 200 characters.
    expect(error.message).toContain(`"${url.slice(0, 200)}…"`);
    expect(error.message).toContain(`at most ${MAX_URL_LENGTH} characters`);
    expect(error.message).toContain(`(this one has ${MAX_URL_LENGTH + 1})`);
  });

  it('refuses a bad URL in urls-file, naming urls-file', () => {
    writeFileSync(join(workspace, 'bad.txt'), `${URL_A}\nwww.example.com/b.js\n`);
    expectInputError(
      inputError(valid({ urls: '', 'urls-file': 'bad.txt' }), { workspace }),
      'urls-file',
      'bad.txt',
      ['line 2 ("www.example.com/b.js"): expected an absolute http:// or https:// URL'],
    );
  });

  it('refuses a paths entry that does not end in /', () => {
    expectInputError(
      inputError(valid({ paths: 'https://www.example.com/static' })),
      'paths',
      'https://www.example.com/static',
      ['must end in "/"'],
    );
  });

  it('refuses a paths entry that is not an absolute URL', () => {
    expectInputError(inputError(valid({ paths: '/static/' })), 'paths', '/static/', [
      'expected an absolute http:// or https:// URL',
    ]);
  });

  it('refuses an unknown area', () => {
    expectInputError(inputError(valid({ area: 'asia' })), 'area', 'asia', [
      'accepted: mainland, overseas, global',
    ]);
  });

  it('refuses an unknown purge-method', () => {
    expectInputError(inputError(valid({ 'purge-method': 'flush' })), 'purge-method', 'flush', [
      'accepted: invalidate, delete',
    ]);
  });

  it('refuses an unknown site', () => {
    expectInputError(inputError(valid({ site: 'cn' })), 'site', 'cn', ['accepted: china, intl']);
  });

  it('refuses an unknown layer', () => {
    expectInputError(inputError(valid({ mode: 'prefetch', layer: 'edge' })), 'layer', 'edge', [
      'accepted: middle',
    ]);
  });

  it('refuses a run without any target', () => {
    expectInputError(inputError(valid({ urls: '' })), 'urls', '', ['no targets', 'urls-file', 'paths']);
    expectInputError(inputError(valid({ urls: '# nothing yet\n\n' })), 'urls', '', ['no targets']);
  });

  it('takes 20 headers and refuses 21', () => {
    const lines = Array.from({ length: 21 }, (_, i) => `X-H${i}: v${i}`);
    expect(
      settings(valid({ mode: 'prefetch', headers: lines.slice(0, 20).join('\n') })).prefetch.headers,
    ).toHaveLength(20);
    expectInputError(inputError(valid({ mode: 'prefetch', headers: lines.join('\n') })), 'headers', '', [
      '21 lines; at most 20 headers',
    ]);
  });

  it.each([
    'NoColon',
    ': v1',
    'Bad Name: v',
    'X-Empty:',
    'X-Empty:   ',
    'X-Ctl: a\u0007b',
    `X-Long: ${'v'.repeat(1025)}`,
    `${'N'.repeat(129)}: v`,
  ])('refuses the header line %j, naming line 2, never its value', (line) => {
    const error = inputError(valid({ mode: 'prefetch', headers: `X-Good: 1\n${line}` }));
    expectInputError(error, 'headers', line, ['line 2']);
  });

  it.each([
    ['NoColon', 'line 1 is not "Name: value" with a name of letters, digits'],
    ['Bad Name: v', 'line 1 is not "Name: value"'],
    [`${'N'.repeat(129)}: v`, '(at most 128 characters)'],
    ['X-Empty:   ', 'the value on line 1 is empty'],
    ['X-Ctl: a\u0007b', 'the value on line 1 contains a control character'],
    [`X-Long: ${'v'.repeat(1025)}`, 'the value on line 1 has 1025 characters; at most 1024 are accepted'],
    [`X-Long: ${'v'.repeat(1024)}`, undefined],
  ])('says what is wrong with the header line %j', (line, problem) => {
    const read = () => settings(valid({ mode: 'prefetch', headers: line }));
    if (problem === undefined) {
      expect(read().prefetch.headers).toEqual([{ name: 'X-Long', value: 'v'.repeat(1024) }]);
    } else {
      expectInputError(thrownBy(InputError, read), 'headers', line, [problem]);
    }
  });

  it('never repeats what reads as a header name: it may be a token pasted with a trailing colon', () => {
    const token = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
    for (const headers of [`${token}:`, `X-Good: 1\n${token}:   `, `${token}: a\u0007b`]) {
      const error = thrownBy(InputError, () => settings(valid({ mode: 'prefetch', headers })));
      expect(error.message).not.toContain(token);
      expect(error.message).toMatch(/the value on line [12] /);
    }
  });

  it('refuses an http:// endpoint on a host that is not loopback', () => {
    for (const endpoint of [
      'http://cdn.tencentcloudapi.com',
      'http://10.0.0.1:8080',
      'http://localhost.example.com',
    ]) {
      expectInputError(inputError(valid({ endpoint })), 'endpoint', endpoint, ['loopback', 'use https://']);
    }
  });

  it.each([
    'https://cdn.tencentcloudapi.com/v3',
    'https://cdn.tencentcloudapi.com/?Action=PurgeUrlsCache',
    'https://cdn.tencentcloudapi.com/#top',
    'https://user:pass@cdn.tencentcloudapi.com',
  ])('refuses the endpoint %s, which has more than a scheme, host and port', (endpoint) => {
    expectInputError(inputError(valid({ endpoint })), 'endpoint', endpoint, [
      'expected only a scheme, a host and an optional port',
    ]);
  });

  it('refuses an endpoint that is not a URL or not https', () => {
    expectInputError(
      inputError(valid({ endpoint: 'cdn.tencentcloudapi.com' })),
      'endpoint',
      'cdn.tencentcloudapi.com',
      ['expected an absolute URL'],
    );
    expectInputError(
      inputError(valid({ endpoint: 'ftp://cdn.tencentcloudapi.com' })),
      'endpoint',
      'ftp://cdn.tencentcloudapi.com',
      ['expected an https:// URL'],
    );
  });

  it.each([
    ['dry-run', {}],
    ['url-encode', {}],
    ['media-segments', { mode: 'prefetch' }],
    ['disable-range', { mode: 'prefetch' }],
  ])('refuses a bad boolean in %s', (input, extra) => {
    for (const value of ['yes', '1', 'on', 'tRUE']) {
      expectInputError(inputError(valid({ ...extra, [input]: value })), input, value, [
        'accepted: true, false',
      ]);
    }
  });

  it.each(['prefetch', 'unblock'])('refuses paths with mode %s', (mode) => {
    expectInputError(
      inputError(valid({ mode, paths: 'https://www.example.com/static/\nhttps://www.example.com/img/' })),
      'paths',
      'https://www.example.com/static/',
      ['directories can only be purged', `mode ${mode}`],
    );
  });

  it('refuses mode purge-prefetch with directories but no file URL', () => {
    expectInputError(
      inputError(valid({ mode: 'purge-prefetch', urls: '', paths: 'https://www.example.com/static/' })),
      'urls',
      '',
      ['mode purge-prefetch needs file URLs in urls or urls-file'],
    );
  });

  it.each(['prefetch', 'purge-prefetch', 'unblock'])('refuses mode %s without any URL', (mode) => {
    expectInputError(inputError(valid({ mode, urls: '' })), 'urls', '', ['no targets']);
  });

  it.each([
    ['headers', 'X-A: b'],
    ['user-agent', 'MyBot/1.0'],
    ['layer', 'middle'],
    ['media-segments', 'true'],
    ['disable-range', 'false'],
  ])('refuses the prefetch option %s with mode purge or unblock', (input, value) => {
    for (const mode of ['purge', 'unblock']) {
      expectInputError(inputError(valid({ mode, [input]: value })), input, value, [
        `applies to mode prefetch or purge-prefetch, not ${mode}`,
      ]);
    }
    // Also when mode is left to its default.
    expectInputError(inputError(valid({ [input]: value })), input, value, ['not purge']);
  });

  it.each([
    ['zone-id', 'zone-abc', 'tencent-edgeone'],
    ['hosts', 'www.example.com', 'tencent-edgeone'],
    ['cache-tags', 'tag1', 'tencent-edgeone'],
    ['purge-all', 'true', 'tencent-edgeone'],
    ['purge-all', 'false', 'tencent-edgeone'],
    ['l2-preload', 'true', 'aliyun-cdn'],
  ])('refuses %s=%s, an input of another provider', (input, value, owner) => {
    expectInputError(inputError(valid({ [input]: value })), input, value, [
      `this input is for provider ${owner}, not tencent-cdn`,
      'remove it',
    ]);
  });

  it('refuses a urls-file that does not exist, naming the path it tried', () => {
    const error = inputError(valid({ 'urls-file': 'missing/urls.txt' }), { workspace });
    expectInputError(error, 'urls-file', 'missing/urls.txt', [
      `cannot read "${join(workspace, 'missing/urls.txt')}"`,
      'ENOENT',
      'one URL per line',
    ]);
  });

  it('refuses an absolute urls-file that does not exist', () => {
    const file = join(workspace, 'nope.txt');
    expectInputError(inputError(valid({ 'urls-file': file }), { workspace }), 'urls-file', file, [
      `cannot read "${file}"`,
      'ENOENT',
    ]);
  });

  it('refuses a urls-file that is a directory', () => {
    mkdirSync(join(workspace, 'adir'), { recursive: true });
    expectInputError(inputError(valid({ 'urls-file': 'adir' }), { workspace }), 'urls-file', 'adir', [
      `"${join(workspace, 'adir')}" is not a regular file`,
    ]);
  });
});
