/**
 * Bundle export: writes everything in the store back as an import bundle (version 1, see
 * docs/import-format.md) with csv-stringify, page by page, so exporting a large store
 * keeps memory flat. Importing the exported bundle into an empty store gives the same records,
 * and a bundle exported while an import writes still imports: it may hold part of that import.
 */
import { stringify } from 'csv-stringify';
import { FILE_SPECS, type FileName } from '../domain/records';
import { formatInstant } from '../domain/time';
import { drained, writeBundle } from '../fs/staged-bundle';
import type { TakeOverOptions } from '../fs/bundle-write-lock';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  Handling,
  Instant,
  Person,
  Place,
  RecordBatch,
  Sample,
  Stay,
} from '../domain/types';
import type { TraceStore } from '../store/port';
import { batchKeyOf } from '../import/import';

/** Records read from the store per page. */
export const EXPORT_PAGE_SIZE = 5000;

export interface ExportSummary {
  /** Rows written per file. */
  rows: Record<FileName, number>;
  total: number;
  seconds: number;
}

type Cell = string | number | null;
type CsvRecord = Record<string, Cell>;

const instant = (at: Instant | null): string | null => (at === null ? null : formatInstant(at));

/** How one record of each kind becomes one CSV row (header names as keys). */
type RowWriters = {
  [K in keyof Required<RecordBatch>]: (record: Required<RecordBatch>[K][number]) => CsvRecord;
};
const ROWS: RowWriters = {
  places: (p: Place) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    lat: p.lat,
    lon: p.lon,
    capacity: p.capacity,
  }),
  persons: (p: Person) => ({
    id: p.id,
    name: p.name,
    sex: p.sex,
    age: p.age,
    phone: p.phone,
    id_number: p.idNumber,
    home_id: p.homeId,
    occupation: p.occupation,
  }),
  boats: (b: Boat) => ({
    id: b.id,
    name: b.name,
    registration: b.registration,
    home_port_id: b.homePortId,
  }),
  items: (i: ColdChainItem) => ({
    id: i.id,
    product: i.product,
    lot: i.lot,
    origin: i.origin,
    arrived_at: instant(i.arrivedAt),
  }),
  stays: (s: Stay) => ({
    subject_id: s.subjectId,
    host_id: s.hostId,
    start: instant(s.start),
    end: instant(s.end),
  }),
  contacts: (c: Contact) => ({
    person_a: c.personA,
    person_b: c.personB,
    start: instant(c.start),
    end: instant(c.end),
    setting: c.setting,
  }),
  handlings: (h: Handling) => ({ person_id: h.personId, item_id: h.itemId, at: instant(h.at) }),
  samples: (s: Sample) => ({
    subject_id: s.subjectId,
    sampled_at: instant(s.sampledAt),
    result: s.result,
    method: s.method,
    ct: s.ct,
  }),
  cases: (c: Case) => ({
    person_id: c.personId,
    classification: c.classification,
    onset: instant(c.onset),
    confirmed_at: instant(c.confirmedAt),
  }),
};

/**
 * Writes every record of the store into `dir` (created if needed) as one CSV file per kind,
 * each with its header even when empty. Existing files of the same names are replaced, other files
 * are left alone; a `.csv` file the format does not name is refused before anything is written
 * (the bundle would not import). The files are written under temporary names and renamed into
 * place once all are complete: when anything fails (the store, a write, a rename), `dir` is left
 * as it was and the error names the file (`BundleWriteError`).
 */
export async function exportBundle(
  store: Pick<TraceStore, 'scan'>,
  dir: string,
  options: { pageSize?: number } & TakeOverOptions = {},
): Promise<ExportSummary> {
  const started = process.hrtime.bigint();
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  const rows = await writeBundle(
    dir,
    async (bundle) => {
      const rows = {} as Record<FileName, number>;
      // What refers is read before what it refers to (cases and stays before persons, persons before
      // places): a store only gains and updates records, so an import running meanwhile cannot leave
      // a row here naming a record missing from the bundle, and the bundle always imports again.
      for (const spec of [...FILE_SPECS].reverse()) {
        const key = batchKeyOf(spec.file);
        const toRow = ROWS[key] as (record: unknown) => CsvRecord;
        const csv = stringify({ header: true, columns: [...spec.columns] });
        const written = bundle.write(spec.file, csv);
        // Awaited below; until then a failed write must not count as an unhandled rejection.
        written.catch(() => undefined);
        let count = 0;
        try {
          for await (const page of store.scan(key, pageSize)) {
            for (const record of page) {
              count++;
              // Respect backpressure so a large store is not buffered in memory.
              if (!csv.write(toRow(record))) await drained(csv, written);
            }
          }
          csv.end();
        } catch (err) {
          // The store's error (or the file's, from `drained`) is the one to report.
          csv.destroy();
          await written.catch(() => undefined);
          throw err;
        }
        await written;
        rows[spec.file] = count;
      }
      return rows;
    },
    options,
  );

  const total = Object.values(rows).reduce((sum, n) => sum + n, 0);
  return { rows, total, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
