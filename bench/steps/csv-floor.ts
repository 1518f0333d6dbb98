/**
 * The floor of any import: read and parse every file of the bundle with csv-parse (header row as
 * column names) and do nothing else. No store module is loaded, so its memory is the floor too.
 */
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse';
import { FILE_SPECS } from '../../src/domain/records';
import { secondsSince } from '../protocol';

export async function csvParseStep(args: { dir: string }) {
  const started = process.hrtime.bigint();
  let rows = 0;
  for (const spec of FILE_SPECS) {
    const file = path.join(args.dir, spec.file);
    if (!existsSync(file)) continue;
    for await (const record of createReadStream(file).pipe(parse({ columns: true }))) if (record) rows++;
  }
  return { seconds: secondsSince(started), rows };
}
