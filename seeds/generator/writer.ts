/**
 * Streams a bundle to disk: one csv-stringify stream per file of the import format, with the
 * header row, written row by row and paced by the file's back-pressure so memory stays flat
 * however many rows go out. The files go to temporary names and are put in place by `close`
 * (src/fs/staged-bundle.ts): a failure leaves the folder as it was.
 */
import { stringify, type Stringifier } from 'csv-stringify';
import { FILE_SPECS, type FileName } from '../../src/domain/records';
import { formatInstant } from '../../src/domain/time';
import { drained, StagedBundle } from '../../src/fs/staged-bundle';
import type { TakeOverOptions } from '../../src/fs/bundle-write-lock';

export type Cell = string | number | null;

class CsvFile {
  rows = 0;
  private readonly csv: Stringifier;
  /** Settles once the file is written; rejects with an error naming it if the write fails. */
  private readonly written: Promise<void>;
  private failed = false;

  constructor(bundle: StagedBundle, file: FileName, columns: readonly string[]) {
    this.csv = stringify({ header: true, columns: [...columns] });
    // Large buffers: rows are small and many, so the file is written in big chunks.
    this.written = bundle.write(file, this.csv, { highWaterMark: 1 << 20 });
    // Awaited by `pace` and `close`; until then a failed write must not count as an unhandled rejection.
    this.written.catch(() => (this.failed = true));
  }

  write(row: Cell[]): void {
    this.csv.write(row);
    this.rows++;
  }

  /** Waits while more is queued than the file wants; rejects once the file's write has failed. */
  async pace(): Promise<void> {
    if (this.failed) await this.written;
    else if (this.csv.writableNeedDrain) await drained(this.csv, this.written);
  }

  async close(): Promise<void> {
    this.csv.end();
    await this.written;
  }

  /** Stops writing; resolves once the file is closed. */
  async destroy(): Promise<void> {
    this.csv.destroy();
    await this.written.catch(() => undefined);
  }
}

/**
 * The files of one bundle. Write rows with `row`, `await pace()` every so often, then `close()` to
 * put the bundle in place, or `abandon()` after a failure to leave the folder as it was.
 */
export class BundleWriter {
  private readonly files = new Map<FileName, CsvFile>();
  private readonly instants = new Map<number, string>();

  private constructor(private readonly bundle: StagedBundle) {}

  /** Readies `dir` (made if missing); throws a BundleWriteError naming it when it cannot take a bundle. */
  static open(dir: string, options: TakeOverOptions = {}): BundleWriter {
    const writer = new BundleWriter(StagedBundle.open(dir, options));
    for (const spec of FILE_SPECS)
      writer.files.set(spec.file, new CsvFile(writer.bundle, spec.file, spec.columns));
    return writer;
  }

  row(file: FileName, cells: Cell[]): void {
    this.files.get(file)!.write(cells);
  }

  /** Waits while any file has more queued than its stream wants; rejects once a write has failed. */
  async pace(): Promise<void> {
    for (const file of this.files.values()) await file.pace();
  }

  /** ISO 8601 in +08:00; instants repeat a lot (whole minutes), so recent ones are cached. */
  instant(at: number): string {
    let text = this.instants.get(at);
    if (text === undefined) {
      if (this.instants.size > 20_000) this.instants.clear();
      text = formatInstant(at);
      this.instants.set(at, text);
    }
    return text;
  }

  rowCounts(): Record<FileName, number> {
    const counts = {} as Record<FileName, number>;
    for (const [name, file] of this.files) counts[name] = file.rows;
    return counts;
  }

  /** Ends every file and puts the bundle in place. */
  async close(): Promise<void> {
    for (const file of this.files.values()) await file.close();
    await this.bundle.commit();
  }

  /** After a failure: stops every file and removes what was written, leaving the folder as it was. */
  async abandon(): Promise<void> {
    for (const file of this.files.values()) await file.destroy();
    await this.bundle.abandon();
  }
}
