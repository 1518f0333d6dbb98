/**
 * CSV source: streams one file of an import bundle row by row (csv-parse), with each row's real
 * line number, so that a stays.csv of tens of millions of rows is read with flat memory.
 *
 * Problems with the file as a whole (not UTF-8, empty, missing columns, malformed CSV) are handed
 * to `onProblem` with the file and line; the rows before the problem are still read, and reading
 * that file stops there.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { parse, CsvError, type Info } from 'csv-parse';
import type { FieldProblem } from '../domain/errors';
import type { RawRow } from '../domain/records';

/** One data row and the 1-based line it starts on (the header is line 1). */
export interface CsvRow {
  line: number;
  row: RawRow;
}

export interface CsvSourceOptions {
  /** Columns the header must have; others are ignored. */
  columns: readonly string[];
  /** Receives each problem with the file as a whole; reading stops after one. */
  onProblem(problem: FieldProblem): void;
  /** Receives how many bytes of the file were read so far, as they are read. */
  onBytes?(bytesRead: number): void;
  /** Bytes read from the file at a time (default 64 KiB). */
  chunkBytes?: number;
}

const NEWLINE = 0x0a;

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

const NOT_UTF8 =
  'is not UTF-8 text (this line has a byte of another encoding, e.g. GBK or Latin-1); save the file as UTF-8';

/**
 * Passes bytes on to csv-parse (which decodes them) line by line, after checking them with a
 * fatal UTF-8 decoder in stream mode, so a bad byte is found wherever the chunks split. At the
 * first bad byte it passes on the lines before it, notes the line, and ends the stream there.
 */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The unfinished last line, held back until its end is seen. */
  private carry: Buffer = Buffer.alloc(0);
  /** Newlines passed on so far. */
  private newlines = 0;
  /** The line of the first byte that is not UTF-8. */
  badLine: number | null = null;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.badLine !== null) return callback();
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.stopAt(bytes, goodLinesIn(bytes));
      return callback();
    }
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    this.carry = bytes.subarray(end);
    this.pass(bytes.subarray(0, end));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.badLine !== null) return callback();
    try {
      this.decoder.decode();
    } catch {
      // The file ends in the middle of a character: its last line is the bad one.
      this.badLine = this.newlines + 1;
      return callback();
    }
    this.pass(this.carry);
    callback();
  }

  private pass(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.newlines += countNewlines(bytes);
    this.push(bytes);
  }

  /** Passes on the first `goodLines` lines of `bytes` and ends the stream. */
  private stopAt(bytes: Buffer, goodLines: number): void {
    let end = 0;
    for (let i = 0; i < goodLines; i++) end = bytes.indexOf(NEWLINE, end) + 1;
    this.pass(bytes.subarray(0, end));
    this.badLine = this.newlines + 1;
    this.push(null);
  }
}

/**
 * How many whole lines at the start of `bytes` (which starts at the start of a line) are UTF-8.
 * A newline byte is never part of a multi-byte character, so each line can be checked alone; the
 * last, unfinished line may end mid-character, so it is the culprit only when no line before is.
 */
function goodLinesIn(bytes: Buffer): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let lines = 0;
  for (let start = 0; ; lines++) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) return lines;
    try {
      strict.decode(bytes.subarray(start, end));
    } catch {
      return lines;
    }
    start = end + 1;
  }
}

function occurrences(text: string, part: string): number {
  let count = 0;
  for (let i = text.indexOf(part); i !== -1; i = text.indexOf(part, i + part.length)) count++;
  return count;
}

/** Newlines inside the record's (quoted) values, and how many extra csv-parse counted for them. */
function linesInValues(record: Record<string, string>): { newlines: number; overcount: number } {
  let newlines = 0;
  let overcount = 0;
  for (const value of Object.values(record)) {
    if (!value.includes('\n')) continue;
    newlines += occurrences(value, '\n');
    // csv-parse counts a CRLF inside quotes as two lines.
    overcount += occurrences(value, '\r\n');
  }
  return { newlines, overcount };
}

/** What each kind of malformed CSV means to someone editing the file. */
const CSV_ERRORS: Partial<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE:
    'text follows a closing quote before the next comma (write "" for a quote inside a quoted value)',
  INVALID_OPENING_QUOTE:
    'a quote appears inside an unquoted value (quote the whole value and write "" for the inner quote)',
  CSV_QUOTE_NOT_CLOSED: 'a quote opened on this line is never closed',
};

function describeCsvError(err: CsvError): { column: string; reason: string } {
  if (
    err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ||
    err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
  ) {
    const fields = Array.isArray(err.record) ? err.record.length : '?';
    const columns = Array.isArray(err.columns) ? err.columns.length : '?';
    return {
      column: '',
      reason: `malformed CSV: the row has ${fields} field${fields === 1 ? '' : 's'} but the header has ${columns}`,
    };
  }
  const column = typeof err.column === 'string' ? err.column : '';
  // csv-parse's own message, without its "at line N" (the problem says where).
  const reason = CSV_ERRORS[err.code] ?? err.message.replace(/\s*(at|on) line \d+/g, '');
  return { column, reason: `malformed CSV: ${reason}` };
}

/**
 * Streams the data rows of one bundle file. Header names are trimmed and lower-cased; a UTF-8
 * BOM is dropped; empty lines are skipped.
 */
export async function* readCsvRows(filePath: string, options: CsvSourceOptions): AsyncGenerator<CsvRow> {
  const file = path.basename(filePath);
  const problem = (line: number, column: string, reason: string): void =>
    options.onProblem({ file, line, column, reason });

  // Set by csv-parse's callbacks while it parses ahead of the rows read here.
  const seen: {
    header: boolean;
    headerProblem: { column: string; reason: string } | null;
    csvError: CsvError | null;
  } = { header: false, headerProblem: null, csvError: null };
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n'],
    // Malformed rows are noted (the first one is reported) instead of ending the stream, so the
    // rows before them are still read.
    skip_records_with_error: true,
    columns: (headerNames: string[]) => {
      seen.header = true;
      const names = headerNames.map((name) => name.trim().toLowerCase());
      // Only a column the format reads may not repeat: which of two would it read? Unknown
      // columns are ignored, twice or not.
      const repeated = names.filter((name, i) => options.columns.includes(name) && names.indexOf(name) !== i);
      const missing = options.columns.filter((column) => !names.includes(column));
      if (repeated.length) {
        seen.headerProblem = { column: repeated[0]!, reason: 'appears more than once in the header' };
      } else if (missing.length) {
        const list = missing.map((c) => `"${c}"`).join(', ');
        seen.headerProblem = {
          column: '',
          reason: `header is missing column${missing.length === 1 ? '' : 's'} ${list} (found: ${names.join(', ')})`,
        };
      }
      return names;
    },
  });
  parser.on('skip', (err: CsvError) => {
    seen.csvError ??= err;
  });

  const input = createReadStream(filePath, { highWaterMark: options.chunkBytes ?? 64 * 1024 });
  if (options.onBytes) {
    const onBytes = options.onBytes;
    input.on('data', () => onBytes(input.bytesRead));
  }
  const utf8 = new Utf8Check();
  pipeline(input, utf8, parser, () => {
    // Errors surface through the parser's iterator below.
  });

  let lastRecordLine = 1;
  let emptyLinesBefore = 0;
  let overcount = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: Info;
    }>) {
      if (seen.headerProblem) break;
      if (seen.csvError && info.records > Number(seen.csvError.records)) break;
      const inValues = linesInValues(record);
      overcount += inValues.overcount;
      // `info.lines` is the line the record ends on; quoted values may span lines.
      lastRecordLine = info.lines - overcount;
      emptyLinesBefore = info.empty_lines;
      yield { line: lastRecordLine - inValues.newlines, row: record };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    problem(0, '', 'does not exist');
    return;
  } finally {
    input.destroy();
  }

  if (utf8.badLine !== null) {
    problem(utf8.badLine, '', NOT_UTF8);
  } else if (seen.headerProblem) {
    problem(1, seen.headerProblem.column, seen.headerProblem.reason);
  } else if (!seen.header) {
    problem(0, '', 'is empty: the first line must be a header naming the columns');
  } else if (seen.csvError) {
    const err = seen.csvError;
    const { column, reason } = describeCsvError(err);
    // csv-parse notices an unclosed quote at the end of the file; it opened on the first line
    // after the last good record and the empty lines after it.
    const line =
      err.code === 'CSV_QUOTE_NOT_CLOSED'
        ? lastRecordLine + 1 + (Number(err.empty_lines) - emptyLinesBefore)
        : Number(err.lines) - overcount;
    problem(line, column, reason);
  }
}
