/**
 * The job summary that @actions/core writes (HTML: headings, tables, paragraphs) as Markdown a terminal shows
 * readably: tables with their columns padded to one width, inline tags as Markdown, entities decoded.
 */

function inline(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, ', ')
    .replace(/<\/?code>/g, '`')
    .replace(/<\/?b>/g, '**')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A table's rows as a Markdown table whose columns line up. */
function table(html: string): string {
  const rows = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/gs)].map((cellMatch) =>
      inline(cellMatch[1] ?? ''),
    ),
  );
  const columns = Math.max(0, ...rows.map((row) => row.length));
  const widths = Array.from({ length: columns }, (_, index) =>
    Math.max(3, ...rows.map((row) => (row[index] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((width, index) => (cells[index] ?? '').padEnd(width)).join(' | ')} |`;
  const [header = [], ...body] = rows;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...body.map(line)].join('\n');
}

export function summaryAsMarkdown(html: string): string {
  const blocks: string[] = [];
  const pattern = /<h(\d)>(.*?)<\/h\d>|<table>(.*?)<\/table>|<p>(.*?)<\/p>|([^<\n][^\n]*)/gs;
  for (const match of html.matchAll(pattern)) {
    const [, level, heading, tableHtml, paragraph, raw] = match;
    if (heading !== undefined) blocks.push(`${'#'.repeat(Number(level))} ${inline(heading)}`);
    else if (tableHtml !== undefined) blocks.push(table(tableHtml));
    else {
      const text = inline(paragraph ?? raw ?? '');
      if (text !== '') blocks.push(text);
    }
  }
  return blocks.join('\n\n');
}
