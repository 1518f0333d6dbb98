/**
 * Streams a bundle to disk: one csv-stringify stream per file of the import format, with the
 * header row, written row by row and paced by the file's back-pressure so memory stays flat
 * however many rows go out.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { stringify, type Stringifier } from 'csv-stringify';
import { FILE_SPECS, type FileName } from '../../src/domain/records';
import { formatInstant } from '../../src/domain/time';

export type Cell = string | number | null;

class CsvFile {
  rows = 0;
  private readonly csv: Stringifier;
  private readonly closed: Promise<void>;

  constructor(file: string, columns: readonly string[]) {
    this.csv = stringify({ header: true, columns: [...columns] });
    // Large buffers: rows are small and many, so the file is written in big chunks.
    const out = createWriteStream(file, { highWaterMark: 1 << 20 });
    this.csv.pipe(out);
    this.closed = finished(out);
    // Surface a write error at close rather than as an unhandled rejection.
    this.closed.catch(() => undefined);
  }

  write(row: Cell[]): void {
    this.csv.write(row);
    this.rows++;
  }

  get backedUp(): boolean {
    return this.csv.writableNeedDrain;
  }

  async drain(): Promise<void> {
    if (this.csv.writableNeedDrain) await once(this.csv, 'drain');
  }

  async close(): Promise<void> {
    this.csv.end();
    await this.closed;
  }
}

/** The files of one bundle. Write rows with `row`, and `await pace()` every so often. */
export class BundleWriter {
  private readonly files = new Map<FileName, CsvFile>();
  private readonly instants = new Map<number, string>();

  private constructor(readonly dir: string) {}

  static async open(dir: string): Promise<BundleWriter> {
    await mkdir(dir, { recursive: true });
    const writer = new BundleWriter(dir);
    for (const spec of FILE_SPECS)
      writer.files.set(spec.file, new CsvFile(path.join(dir, spec.file), spec.columns));
    return writer;
  }

  row(file: FileName, cells: Cell[]): void {
    this.files.get(file)!.write(cells);
  }

  /** Waits while any file has more queued than its stream wants. */
  async pace(): Promise<void> {
    for (const file of this.files.values()) if (file.backedUp) await file.drain();
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

  async close(): Promise<void> {
    for (const file of this.files.values()) await file.close();
  }
}
