/**
 * CSV source: streams one file of an import bundle row by row (csv-parse), with each row's real
 * line number, so that a stays.csv of tens of millions of rows is read with flat memory.
 *
 * Problems with the file as a whole (not UTF-8, empty, missing columns, malformed CSV) are handed
 * to `onProblem` with the file and line, and reading that file stops there.
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
}

const NEWLINE = 0x0a;

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1 && i < end; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

/** The file's bytes are not UTF-8 on `line`. */
class NotUtf8Error extends Error {
  constructor(readonly line: number) {
    super(
      'is not UTF-8 text (this line has a byte of another encoding, e.g. GBK or Latin-1); save the file as UTF-8',
    );
  }
}

/**
 * Passes bytes through unchanged (csv-parse decodes them) after checking that they are UTF-8
 * with a fatal decoder in stream mode, so a bad byte is found wherever the chunks split.
 */
class Utf8Check extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** Newlines in the bytes already checked. */
  private newlines = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      callback(new NotUtf8Error(this.newlines + 1 + linesBeforeInvalidByte(chunk)));
      return;
    }
    this.newlines += countNewlines(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    try {
      this.decoder.decode();
    } catch {
      // The file ends in the middle of a character.
      callback(new NotUtf8Error(this.newlines + 1));
      return;
    }
    callback();
  }
}

/**
 * How many newlines come before the first line of `chunk` that is not UTF-8. A newline byte is
 * never part of a multi-byte character, so each line can be checked on its own; continuation
 * bytes at the very start belong to a character begun in the previous chunk, and the last line
 * may end mid-character, so it is the culprit only when no line before it is.
 */
function linesBeforeInvalidByte(chunk: Buffer): number {
  const strict = new TextDecoder('utf-8', { fatal: true });
  let start = 0;
  while (start < Math.min(3, chunk.length) && (chunk[start]! & 0xc0) === 0x80) start++;
  let line = 0;
  for (;;) {
    const end = chunk.indexOf(NEWLINE, start);
    if (end === -1) return line;
    try {
      strict.decode(chunk.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
    line++;
  }
}

function newlinesInValues(record: Record<string, string>): number {
  let count = 0;
  for (const value of Object.values(record)) {
    if (value.includes('\n')) count += value.split('\n').length - 1;
  }
  return count;
}

/** What each kind of malformed CSV means to someone editing the file. */
const CSV_ERRORS: Partial<Record<string, string>> = {
  CSV_INVALID_CLOSING_QUOTE:
    'text follows a closing quote before the next comma (write "" for a quote inside a quoted value)',
  INVALID_OPENING_QUOTE:
    'a quote appears inside an unquoted value (quote the whole value and write "" for the inner quote)',
  CSV_QUOTE_NOT_CLOSED: 'a quote opened on this line is never closed',
};

function describeCsvError(
  err: CsvError,
  lastRecordLine: number,
): { line: number; column: string; reason: string } {
  // csv-parse says where it stopped; an unclosed quote starts right after the last good record.
  const line =
    err.code === 'CSV_QUOTE_NOT_CLOSED' ? lastRecordLine + 1 : typeof err.lines === 'number' ? err.lines : 0;
  if (
    err.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ||
    err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
  ) {
    const fields = Array.isArray(err.record) ? err.record.length : '?';
    const columns = Array.isArray(err.columns) ? err.columns.length : '?';
    return {
      line,
      column: '',
      reason: `malformed CSV: the row has ${fields} field${fields === 1 ? '' : 's'} but the header has ${columns}`,
    };
  }
  const column = typeof err.column === 'string' ? err.column : '';
  // csv-parse's own message, without its "at line N" (the problem says where).
  const reason = CSV_ERRORS[err.code] ?? err.message.replace(/\s*(at|on) line \d+/g, '');
  return { line, column, reason: `malformed CSV: ${reason}` };
}

/**
 * Streams the data rows of one bundle file. Header names are trimmed and lower-cased; a UTF-8
 * BOM is dropped; empty lines are skipped.
 */
export async function* readCsvRows(filePath: string, options: CsvSourceOptions): AsyncGenerator<CsvRow> {
  const file = path.basename(filePath);
  const problem = (line: number, column: string, reason: string): void =>
    options.onProblem({ file, line, column, reason });

  // Set by csv-parse's header callback.
  const header: { seen: boolean; problem: { column: string; reason: string } | null } = {
    seen: false,
    problem: null,
  };
  const parser = parse({
    bom: true,
    info: true,
    skip_empty_lines: true,
    record_delimiter: ['\r\n', '\n'],
    columns: (headerNames: string[]) => {
      header.seen = true;
      const names = headerNames.map((name) => name.trim().toLowerCase());
      const repeated = names.filter((name, i) => name !== '' && names.indexOf(name) !== i);
      const missing = options.columns.filter((column) => !names.includes(column));
      if (repeated.length) {
        header.problem = { column: repeated[0]!, reason: 'appears more than once in the header' };
      } else if (missing.length) {
        const list = missing.map((c) => `"${c}"`).join(', ');
        header.problem = {
          column: '',
          reason: `header is missing column${missing.length === 1 ? '' : 's'} ${list} (found: ${names.join(', ')})`,
        };
      }
      return names;
    },
  });

  const input = createReadStream(filePath);
  if (options.onBytes) {
    const onBytes = options.onBytes;
    input.on('data', () => onBytes(input.bytesRead));
  }
  pipeline(input, new Utf8Check(), parser, () => {
    // Errors surface through the parser's iterator below.
  });

  let lastRecordLine = 1;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: Info;
    }>) {
      if (header.problem) break;
      lastRecordLine = info.lines;
      // `info.lines` is the line the record ends on; quoted values may span lines.
      yield { line: info.lines - newlinesInValues(record), row: record };
    }
  } catch (err) {
    if (err instanceof NotUtf8Error) {
      problem(err.line, '', err.message);
    } else if (err instanceof CsvError) {
      const { line, column, reason } = describeCsvError(err, header.seen ? lastRecordLine : 0);
      problem(line, column, reason);
    } else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      problem(0, '', 'does not exist');
    } else {
      throw err;
    }
    return;
  } finally {
    input.destroy();
  }
  if (header.problem) {
    problem(1, header.problem.column, header.problem.reason);
  } else if (!header.seen) {
    problem(0, '', 'is empty: the first line must be a header naming the columns');
  }
}
