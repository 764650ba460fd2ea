/** "1 target", "3 targets". */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** "12,400": a count for people. */
export function thousands(n: number): string {
  return n.toLocaleString('en-US');
}

/** Shows a value in a message: quoted, control characters and line separators escaped, long values cut. */
export function quote(value: string): string {
  const shown = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  // JSON escapes C0 controls only; DEL, C1 (U+009B is a terminal escape) and U+2028/9 are escaped here.
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f\u2028\u2029]/gu,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True when the text has a C0 or C1 control character (a line break, tab, NUL, DEL, …). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * Text from outside (a provider, an STS, the GitHub API, git's configuration) made one line: every control
 * character and line separator becomes a space, so that none of it can start a log line and pass for a workflow
 * command (`::error::`, `::add-mask::`).
 */
export function flatten(text: string): string {
  if (!hasControlCharacter(text) && !/[\u2028\u2029]/.test(text)) return text;
  let flat = '';
  let broken = false;
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
    if (!control) flat += c;
    else if (!broken) flat += ' ';
    broken = control;
  }
  return flat;
}

/** A body for a message: white space folded, cut to 200 characters. */
export function excerpt(text: string): string {
  const flat = flatten(text).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

/** What encodeURIComponent leaves as it is but RFC 3986 reserves. */
const RFC3986_EXTRA = /[!'()*]/;
const RFC3986_EXTRA_ALL = /[!'()*]/g;

/**
 * RFC 3986 percent-encoding: `encodeURIComponent`, then `! ' ( ) *` as `%21 %27 %28 %29 %2A`. The test first
 * spares the replace for the usual string that has none of them (100,000 file names in a large diff).
 */
export function rfc3986(value: string): string {
  const encoded = encodeURIComponent(value);
  return RFC3986_EXTRA.test(encoded)
    ? encoded.replace(RFC3986_EXTRA_ALL, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    : encoded;
}
