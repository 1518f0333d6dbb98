/**
 * A list of case ids as people type it: one CSV record, so that an id with a comma (ids are any
 * text) can be given in double quotes, as in the bundle's files (`P1,"Lin, ward 3"`). Read the
 * same way from the CLI's `--cases` and the chain view's `caseIds=`.
 */
import { parse as parseCsv } from 'csv-parse/sync';

/** The text is not one CSV record; the message says why (the caller names the flag or parameter). */
export class CaseIdListError extends Error {}

/** The ids of one CSV record, trimmed, without blanks. A quote inside an unquoted id is kept. */
export function parseCaseIdList(text: string): string[] {
  let records: string[][];
  try {
    records = parseCsv(text, { relax_column_count: true, relax_quotes: true, trim: true }) as string[][];
  } catch (err) {
    throw new CaseIdListError((err as Error).message);
  }
  if (records.length > 1) throw new CaseIdListError('one line of ids, separated by commas');
  return (records[0] ?? []).filter(Boolean);
}
