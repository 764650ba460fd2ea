import { describe, expect, it } from 'vitest';
import { escapeHtml, failureReason, logLines } from '../../src/report.js';

describe('report', () => {
  it('writes log lines as one block and flattens a line break inside an entry, so no text can start a command', () => {
    expect(logLines(['a', 'provider said: bad\n::add-mask::x', 'c\r\nd\u2028e'])).toBe(
      'a\nprovider said: bad ::add-mask::x\nc d e',
    );
  });

  it('escapes HTML in the summary', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&#60;a href=&#34;x&#34;&#62;&#38;&#39;');
  });

  it('gives a one-line reason naming the count, the codes and the first failure', () => {
    expect(
      failureReason([
        { url: 'u1', code: 'A', message: 'm1' },
        { url: 'u2', code: 'B', message: 'm2' },
        { url: 'u3', code: 'A', message: 'm3' },
      ]),
    ).toBe('3 targets not accepted (A, B); first: u1: m1');
  });
});
