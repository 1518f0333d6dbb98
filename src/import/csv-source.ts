/**
 * CSV source: streams one file of an import bundle row by row (csv-parse), with each row's real
 * line number, so that a stays.csv of tens of millions of rows is read with flat memory.
 *
 * Problems with the file as a whole (not UTF-8, UTF-16, empty, missing columns, malformed CSV) are
 * handed to `onProblem` with the file and line; the rows before the problem are still read, and
 * reading that file stops there.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { Transform, pipeline, type TransformCallback } from 'node:stream';
import { parse, CsvError, type Info } from 'csv-parse';
import type { FieldProblem } from '../domain/errors';
import type { RawRow } from '../domain/records';
import { reasonOf } from '../fs/system-error';

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
const CARRIAGE_RETURN = 0x0d;
const QUOTE = 0x22;

function countNewlines(bytes: Uint8Array): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) count++;
  return count;
}

const NOT_UTF8 =
  'is not UTF-8 text (this line has a byte of another encoding, e.g. GBK or Latin-1); save the file as UTF-8';

const SAVE_AS_UTF8 = 'save the file as UTF-8 (in Excel: Save As, "CSV UTF-8 (Comma delimited)")';

/** The two byte-order marks of UTF-16: little-endian (as Windows writes "Unicode" text) and big-endian. */
const UTF16_BOMS = [
  { order: 'LE', first: 0xff, second: 0xfe, shown: 'FF FE' },
  { order: 'BE', first: 0xfe, second: 0xff, shown: 'FE FF' },
] as const;

type Utf16Bom = (typeof UTF16_BOMS)[number];

/** The UTF-16 byte-order mark `bytes` begin with, if any. */
function utf16BomOf(bytes: Buffer): Utf16Bom | undefined {
  return UTF16_BOMS.find((bom) => bytes[0] === bom.first && bytes[1] === bom.second);
}

function isAsciiLetter(byte: number | undefined): boolean {
  return byte !== undefined && ((byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a));
}

/**
 * Where in `bytes` the first NUL byte between two ASCII letters is, or -1. UTF-16 writes each
 * ASCII letter as two bytes, one of them NUL (`id` is `i\0d\0` or `\0i\0d`), so a file saved as
 * UTF-16 shows it in its header already; CSV text has no NUL bytes. A NUL byte is valid UTF-8, so
 * the decoder alone lets such a file through, to be read as a header of garbled names (or, with
 * CRLF lines, as lines ending in a carriage return alone: `\r\0\n\0`).
 */
function nulBetweenLetters(bytes: Buffer): number {
  for (let i = bytes.indexOf(0, 1); i !== -1; i = bytes.indexOf(0, i + 1)) {
    if (isAsciiLetter(bytes[i - 1]) && isAsciiLetter(bytes[i + 1])) return i;
  }
  return -1;
}

/**
 * What is wrong with a file whose first line is UTF-16 text: its byte order told by its byte-order
 * mark, or else by its first two bytes (a letter then a NUL byte, or a NUL byte then a letter).
 */
function utf16File(line: Buffer): string {
  const bom = utf16BomOf(line);
  const order =
    bom?.order ?? (line[0] !== 0 && line[1] === 0 ? 'LE' : line[0] === 0 && line[1] !== 0 ? 'BE' : null);
  const encoding = order ? `UTF-16${order}` : 'UTF-16';
  const sign = bom
    ? `it begins with the byte-order mark ${bom.shown}`
    : 'it has NUL bytes between its letters';
  const convert = order ? `, or convert it with iconv -f ${encoding} -t UTF-8` : '';
  return `is ${encoding} text, not UTF-8 (${sign}); ${SAVE_AS_UTF8}${convert}`;
}

/** What is wrong with a line after the first that is UTF-16 text (files of two encodings joined). */
function utf16Line(line: Buffer): string {
  const bom = utf16BomOf(line);
  const sign = bom
    ? `the line begins with the byte-order mark ${bom.shown}`
    : 'NUL bytes between its letters';
  return `has UTF-16 text from this line on (${sign}), after lines of UTF-8: save the whole file as UTF-8`;
}

/** What is wrong with `line` (line `lineNumber`, from its start), which is not UTF-8: UTF-16, or another encoding. */
function notUtf8(line: Buffer, lineNumber: number): string {
  const utf16 = utf16BomOf(line) !== undefined || nulBetweenLetters(line) !== -1;
  if (!utf16) return NOT_UTF8;
  return lineNumber === 1 ? utf16File(line) : utf16Line(line);
}

const CR_LINE_ENDINGS =
  'lines end in a carriage return alone (CR, as Excel\'s "CSV (Macintosh)" and classic Mac OS save them); ' +
  'save the file with LF or CRLF line endings, e.g. as "CSV UTF-8"';

const CR_LINE_ENDING =
  'the line ends in a carriage return alone (CR), unlike the lines before it (the file mixes line endings); ' +
  'save the file with LF or CRLF line endings throughout';

const CR_FIRST_LINE_ENDING =
  'the line ends in a carriage return alone (CR), unlike the lines after it (the file mixes line endings); ' +
  'save the file with LF or CRLF line endings throughout';

/**
 * After a first line that ends in a carriage return alone, how many bytes are looked through for
 * a line that ends in LF, to tell a file of CR lines from one whose first line alone is so.
 */
const CR_LOOK_AHEAD_BYTES = 16 * 1024;

/**
 * Passes bytes on to csv-parse (which decodes them) line by line, after checking them with a
 * fatal UTF-8 decoder in stream mode, so a bad byte is found wherever the chunks split. At the
 * first bad byte it passes on the lines before it, notes the line, and ends the stream there; so
 * at the first NUL byte between two ASCII letters, which UTF-8 allows but only UTF-16 text has.
 * The line is then told apart (`badReason`): UTF-16 text (that NUL byte, or a UTF-16 byte-order
 * mark), or a byte of another encoding.
 *
 * A line ends at LF (a CRLF is one line ending). A carriage return alone is not a line ending:
 * inside a quoted value it is part of the value. Outside one, a carriage return followed by
 * anything but LF or another CR means the line ends in CR alone, which the format does not read
 * (csv-parse would take the next line as more fields of this one): it passes on the lines before
 * it, notes the line, and ends the stream there. A file whose lines all end in CR is so stopped on
 * line 1, before the rest of it is read as one header line; so is a file whose first line alone
 * ends in CR, and the next 16 KiB (CR_LOOK_AHEAD_BYTES) are looked through for a line ending in LF
 * to tell the two apart (`laterLineFeed`, known once `crJudged` resolves). Whether a byte is inside
 * quotes is told by the count of quotes before it, odd inside: csv-parse refuses a quote anywhere
 * but around a value or doubled inside one, so the count holds up to the first malformed row, which
 * is the problem reported then.
 */
class LineCheck extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The unfinished last line, in the pieces it came in, held back until its end is seen. */
  private held: Buffer[] = [];
  /** Newlines passed on so far. */
  private newlines = 0;
  /** The line of the first byte that is not UTF-8, or of the first sign of UTF-16 text. */
  badLine: number | null = null;
  /** What is wrong with that line: UTF-16 text, or a byte of another encoding. */
  badReason = NOT_UTF8;
  /** The first line that ends in a carriage return alone. */
  crLine: number | null = null;
  /** Whether the bytes seen so far end inside a quoted value. */
  private inQuotes = false;
  /** Whether the last chunk ended in a CR outside quotes: the next byte tells whether it ends a line. */
  private crPending = false;
  /** After a line 1 that ends in CR alone: the bytes still to look through for a line ending in LF. */
  private lookAhead = 0;
  /** Whether the bytes looked through so far end inside a quoted value. */
  private lookAheadInQuotes = false;
  /** Whether a line after a line 1 that ends in CR alone ends in LF (or CRLF): the file mixes them. */
  laterLineFeed = false;
  private judge: () => void = () => undefined;
  /** Resolves once `laterLineFeed` is known (or the stream has ended). */
  readonly crJudged = new Promise<void>((resolve) => {
    this.judge = resolve;
  });

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.lookAhead > 0) this.lookForLineFeed(chunk);
    if (this.badLine !== null || this.crLine !== null) return callback();
    // UTF-16 text is looked for first: its CRLF (`\r\0\n\0`) would otherwise read as a CR alone.
    const wide = nulBetweenLetters(chunk);
    const narrow = wide === -1 ? chunk : chunk.subarray(0, wide);
    const cr = this.bareCarriageReturn(narrow);
    try {
      this.decoder.decode(cr === -1 ? narrow : chunk.subarray(0, cr), { stream: true });
    } catch {
      const bytes = Buffer.concat([...this.held, chunk]);
      this.held = [];
      this.stopAt(bytes, goodLinesIn(bytes));
      return callback();
    }
    if (cr !== -1) {
      this.stopAtCarriageReturn(chunk, cr);
      return callback();
    }
    if (wide !== -1) {
      const bytes = Buffer.concat([...this.held, chunk]);
      this.held = [];
      this.stopAtLine(bytes, bytes.lastIndexOf(NEWLINE, bytes.length - chunk.length + wide) + 1);
      return callback();
    }
    // Each byte is held at most once and copied at most once, however long the line.
    const end = chunk.lastIndexOf(NEWLINE) + 1;
    if (end > 0) {
      for (const piece of this.held) this.pass(piece);
      this.held = [];
      this.pass(chunk.subarray(0, end));
    }
    if (end < chunk.length) this.held.push(chunk.subarray(end));
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.judge();
    if (this.badLine !== null || this.crLine !== null) return callback();
    try {
      this.decoder.decode();
    } catch {
      // The file ends in the middle of a character: its last line is the bad one.
      this.badLine = this.newlines + 1;
      return callback();
    }
    // A CR that ends the file ends no line of its own (a value's trailing CR is trimmed).
    for (const piece of this.held) this.pass(piece);
    this.held = [];
    callback();
  }

  /**
   * Where in `chunk` the first carriage return alone outside quotes is (0 also when the last chunk
   * ended in one), or -1. A CR before another CR is not one: `\r\r\n` ends a line once. Costs a
   * search for quotes per chunk, and one for each CR (one a line in a CRLF file).
   */
  private bareCarriageReturn(chunk: Buffer): number {
    if (chunk.length === 0) return -1;
    if (this.crPending) {
      this.crPending = false;
      if (chunk[0] !== NEWLINE && chunk[0] !== CARRIAGE_RETURN) return 0;
    }
    let inQuotes = this.inQuotes;
    let quote = chunk.indexOf(QUOTE);
    for (let cr = chunk.indexOf(CARRIAGE_RETURN); cr !== -1; cr = chunk.indexOf(CARRIAGE_RETURN, cr + 1)) {
      for (; quote !== -1 && quote < cr; quote = chunk.indexOf(QUOTE, quote + 1)) inQuotes = !inQuotes;
      if (inQuotes) continue;
      if (cr + 1 === chunk.length) this.crPending = true;
      else if (chunk[cr + 1] !== NEWLINE && chunk[cr + 1] !== CARRIAGE_RETURN) return cr;
    }
    for (; quote !== -1; quote = chunk.indexOf(QUOTE, quote + 1)) inQuotes = !inQuotes;
    this.inQuotes = inQuotes;
    return -1;
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.judge();
    callback(err);
  }

  /** Looks through `bytes` (of the look-ahead) for a LF outside quotes: a later line ending in LF. */
  private lookForLineFeed(bytes: Buffer): void {
    const end = Math.min(bytes.length, this.lookAhead);
    for (let i = 0; i < end; i++) {
      if (bytes[i] === QUOTE) {
        this.lookAheadInQuotes = !this.lookAheadInQuotes;
      } else if (bytes[i] === NEWLINE && !this.lookAheadInQuotes) {
        this.laterLineFeed = true;
        this.lookAhead = 0;
        this.judge();
        return;
      }
    }
    this.lookAhead -= end;
    if (this.lookAhead === 0) this.judge();
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
    this.stopAtLine(bytes, end);
  }

  /**
   * Passes on the lines of `bytes` before `lineStart`, the start of the line that is not UTF-8,
   * notes that line and what is wrong with it, and ends the stream.
   */
  private stopAtLine(bytes: Buffer, lineStart: number): void {
    this.pass(bytes.subarray(0, lineStart));
    this.badLine = this.newlines + 1;
    const lineEnd = bytes.indexOf(NEWLINE, lineStart);
    this.badReason = notUtf8(
      bytes.subarray(lineStart, lineEnd === -1 ? bytes.length : lineEnd),
      this.badLine,
    );
    this.push(null);
  }

  /** Passes on the lines before the one with the carriage return at `cr` in `chunk`, and ends the stream. */
  private stopAtCarriageReturn(chunk: Buffer, cr: number): void {
    const lineStart = cr === 0 ? 0 : chunk.lastIndexOf(NEWLINE, cr - 1) + 1;
    if (lineStart > 0) {
      for (const piece of this.held) this.pass(piece);
      this.pass(chunk.subarray(0, lineStart));
    }
    this.held = [];
    this.crLine = this.newlines + 1;
    this.push(null);
    if (this.crLine === 1) {
      // The bytes after the CR (at `cr`, or ending the chunk before when `cr` is 0 and not a CR).
      this.lookAhead = CR_LOOK_AHEAD_BYTES;
      this.lookForLineFeed(chunk.subarray(chunk[cr] === CARRIAGE_RETURN ? cr + 1 : cr));
    } else {
      this.judge();
    }
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

/**
 * What is wrong with line `crLine`, which ends in a carriage return alone: the lines before it end
 * in LF (or CRLF), or, on line 1, the lines after it do (`laterLineFeed`), or else the file's lines
 * end in CR alone (none in the look-ahead ends in LF).
 */
function crLineEnding(crLine: number, laterLineFeed: boolean): string {
  if (crLine > 1) return CR_LINE_ENDING;
  return laterLineFeed ? CR_FIRST_LINE_ENDING : CR_LINE_ENDINGS;
}

/** Newlines in the values: a record spans one line more than it holds. */
function newlinesIn(values: Iterable<string | undefined>): number {
  let count = 0;
  for (const value of values) {
    if (!value) continue;
    for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) count++;
  }
  return count;
}

/** Header names shown when columns are missing, and the length each is cut to. */
const NAMES_SHOWN = 12;
const NAME_CHARS = 40;

/** `id, notes`; a long header (a whole file read as one line) shortened to its first names. */
function nameList(names: readonly string[]): string {
  const shown = names
    .slice(0, NAMES_SHOWN)
    .map((name) => (name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}…` : name))
    .map((name) => JSON.stringify(name).slice(1, -1));
  const more = names.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, … ${more} more` : shown.join(', ');
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
 *
 * Every row and every problem is given the line its row starts on, as a text editor counts them:
 * lines end at LF or CRLF, including line breaks inside quoted values; a carriage return alone
 * inside a quoted value is not a line break (csv-parse's own count differs: it counts a CR alone,
 * and a CRLF inside quotes twice), so lines are counted here from the values read. A line that
 * ends in a carriage return alone outside quotes is a problem on that line.
 */
export async function* readCsvRows(filePath: string, options: CsvSourceOptions): AsyncGenerator<CsvRow> {
  const file = path.basename(filePath);
  const problem = (line: number, column: string, reason: string): void =>
    options.onProblem({ file, line, column, reason });

  // Set by csv-parse's callbacks while it parses ahead of the rows read here.
  const seen: {
    header: boolean;
    /** The line the header starts on (after any empty lines), and how many lines it spans. */
    headerLine: number;
    headerLines: number;
    headerProblem: { column: string; reason: string } | null;
    csvError: CsvError | null;
    /** Whether that malformed CSV came before a header was read: the header itself is malformed. */
    csvErrorInHeader: boolean;
  } = {
    header: false,
    headerLine: 1,
    headerLines: 1,
    headerProblem: null,
    csvError: null,
    csvErrorInHeader: false,
  };
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
      seen.headerLine = 1 + parser.info.empty_lines;
      seen.headerLines = 1 + newlinesIn(headerNames);
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
          reason: `header is missing column${missing.length === 1 ? '' : 's'} ${list} (found: ${nameList(names)})`,
        };
      }
      // An unknown column named again gets a key of its own, so that each row keeps all its
      // values (their line breaks are counted).
      const taken = new Set<string>();
      return names.map((name) => {
        let key = name;
        for (let n = 2; taken.has(key); n++) key = `${name} (${n})`;
        taken.add(key);
        return key;
      });
    },
  });
  parser.on('skip', (err: CsvError) => {
    if (seen.csvError) return;
    seen.csvError = err;
    seen.csvErrorInHeader = !seen.header;
  });

  const input = createReadStream(filePath, { highWaterMark: options.chunkBytes ?? 64 * 1024 });
  if (options.onBytes) {
    const onBytes = options.onBytes;
    input.on('data', () => onBytes(input.bytesRead));
  }
  const lines = new LineCheck();
  pipeline(input, lines, parser, () => {
    // Errors surface through the parser's iterator below.
  });

  /** Lines spanned by the rows read so far, each through its line break. */
  let rowLines = 0;
  /** The line the next row starts on: after the header, the rows read and the empty lines before it. */
  const nextRowLine = (emptyLines: number): number => 1 + seen.headerLines + rowLines + emptyLines;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: Info;
    }>) {
      if (seen.headerProblem || seen.csvErrorInHeader) break;
      if (seen.csvError && info.records > Number(seen.csvError.records)) break;
      const line = nextRowLine(info.empty_lines);
      rowLines += 1 + newlinesIn(Object.values(record));
      yield { line, row: record };
    }
    // Whether lines after a first line ending in CR alone end in LF, before the file is let go.
    if (lines.crLine === 1) await lines.crJudged;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') problem(0, '', 'does not exist');
    // One of the bundle's problems, so that the import says nothing was written.
    else if (code === 'EACCES' || code === 'EPERM')
      problem(0, '', `cannot be read: ${reasonOf(err as Error)}`);
    else throw err;
    return;
  } finally {
    input.destroy();
  }

  // The stream ended before a line ending in CR alone: a quote still open there was opened on an
  // earlier line of the same row and is closed on that one, so the line is the problem.
  const cutShort = lines.crLine !== null && seen.csvError?.code === 'CSV_QUOTE_NOT_CLOSED';
  const err = cutShort ? null : seen.csvError;
  if (lines.badLine !== null) {
    problem(lines.badLine, '', lines.badReason);
  } else if (err && seen.csvErrorInHeader) {
    const { column, reason } = describeCsvError(err);
    problem(1 + Number(err.empty_lines), column, reason);
  } else if (seen.headerProblem) {
    problem(seen.headerLine, seen.headerProblem.column, seen.headerProblem.reason);
  } else if (lines.crLine !== null && !err) {
    problem(lines.crLine, '', crLineEnding(lines.crLine, lines.laterLineFeed));
  } else if (!seen.header) {
    problem(0, '', 'is empty: the first line must be a header naming the columns');
  } else if (err) {
    const { column, reason } = describeCsvError(err);
    // The bad row comes after every row read.
    problem(nextRowLine(Number(err.empty_lines)), column, reason);
  }
}
