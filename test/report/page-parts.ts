/** Parts of a rendered page, for the tests of the HTML and Markdown reports. */

/** The HTML between an element's id and `end` (the end of its section or article). */
export function part(html: string, id: string, end: string): string {
  const start = html.indexOf(`id="${id}"`);
  if (start < 0) throw new Error(`no element with id ${id}`);
  return html.slice(start, html.indexOf(end, start));
}

/** The lines of one `##`/`###` section, up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = heading.indexOf(' ');
  const end = lines.findIndex((line, i) => i > start && /^#+ /.test(line) && line.indexOf(' ') <= level);
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}
