import { describe, expect, it } from 'vitest';
import { summaryAsMarkdown } from '../../scripts/summary-markdown.js';

describe('summaryAsMarkdown', () => {
  it('shows headings, padded tables and paragraphs as Markdown', () => {
    const html = [
      '<h2>CDN purge and prefetch: Tencent Cloud CDN</h2>',
      'Dry run: nothing was sent.',
      '<table><tr><th>Operation</th><th>Task IDs</th></tr><tr><td>Purge URLs</td><td><code>t-1</code> <code>t-2</code></td></tr><tr><td>Purge directories</td><td>—</td></tr></table>',
      '<p>Status: <b>submitted</b></p>',
      '<table><tr><th>URL</th></tr><tr><td>https://e.com/a&#60;b&#62;.js<br>more</td></tr></table>',
    ].join('\n');
    expect(summaryAsMarkdown(html)).toBe(
      [
        '## CDN purge and prefetch: Tencent Cloud CDN',
        'Dry run: nothing was sent.',
        [
          '| Operation         | Task IDs    |',
          '| ----------------- | ----------- |',
          '| Purge URLs        | `t-1` `t-2` |',
          '| Purge directories | —           |',
        ].join('\n'),
        'Status: **submitted**',
        [
          '| URL                         |',
          '| --------------------------- |',
          '| https://e.com/a<b>.js, more |',
        ].join('\n'),
      ].join('\n\n'),
    );
  });
});
