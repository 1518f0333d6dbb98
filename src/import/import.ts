/**
 * Bundle import: validates the whole bundle first (src/import/validate.ts) and writes nothing if
 * any row is refused; then streams the files again, entities before what refers to them, and
 * writes them in batches through one import session of the store, each batch written while the
 * next is read. It holds the store's import lock throughout, so that no other import changes what
 * it validated against before it has written (on Neo4j, where batches commit one by one, a record
 * refused half-way would leave the batches before it written).
 */
import { ValidationError, type FieldProblem } from '../domain/errors';
import type { FileName } from '../domain/records';
import type { RecordBatch } from '../domain/types';
import type { ImportSession, TraceStore } from '../store/port';
import { readCsvRows } from './csv-source';
import {
  listBundle,
  validateBundle,
  type BundleFile,
  type ValidationStore,
  type RepeatedLines,
  type RowCounts,
} from './validate';

/** Rows per write: large enough to amortise a round trip, small enough for flat memory. */
export const IMPORT_BATCH_ROWS = 5000;

export interface ImportProgress {
  phase: 'validate' | 'write';
  file: FileName;
  /** Bytes read over both passes so far. */
  bytesDone: number;
  /** Bytes of the bundle, counted once per pass. */
  bytesTotal: number;
}

export interface ImportOptions {
  onProgress?(progress: ImportProgress): void;
  /**
   * Told who holds the store's import lock (`TraceStore.lockImports`), or on the embedded store its
   * write lock (`TraceStore.beginImport`), when this import has to wait for it, and how long it
   * waits at most (`giveUpAfterMs`; none: until the holder ends).
   */
  onWait?(holder: string, giveUpAfterMs?: number): void;
}

export interface ImportSummary {
  /** Rows read per file present in the bundle. */
  rows: RowCounts;
  /**
   * Records per file present in the bundle: the rows read less those that repeat an earlier row's
   * id (or, in samples.csv and cases.csv, key) with the same fields (`repeats`). A repeated row of
   * stays.csv, contacts.csv or handlings.csv, which have no id, is not looked for: it counts here
   * as read, and the store keeps it once.
   */
  records: RowCounts;
  /** Records over all files. */
  total: number;
  /** Rows per file that repeat an earlier row with the same fields: skipped, each with a warning. */
  repeats: RowCounts;
  seconds: number;
  /**
   * Values accepted as given but likely mistyped, and stored samples corrected: the first 100 in
   * file then line order (files in the order they are read), by file, line and column.
   */
  warnings: FieldProblem[];
  /** How many warnings there were in all. */
  warningsTotal: number;
}

/** The batch key each file fills: `stays.csv` → `stays`. */
export function batchKeyOf(file: FileName): keyof RecordBatch {
  return file.slice(0, -'.csv'.length) as keyof RecordBatch;
}

/** A bundle that passed validation (pass 1), ready to be written by `writeBundle`. */
export interface ValidatedBundle {
  dir: string;
  files: BundleFile[];
  rows: RowCounts;
  repeats: RowCounts;
  repeatedLines: RepeatedLines;
  warnings: FieldProblem[];
  warningsTotal: number;
  /** When its import started (process.hrtime.bigint()). */
  started: bigint;
  /** Tells the import's `onProgress` of bytes read in a pass. */
  report(phase: ImportProgress['phase'], file: BundleFile, bytesRead: number): void;
}

/**
 * Imports a bundle folder into the store. Throws ValidationError (and writes nothing) when any
 * row breaks the import format; importing the same bundle again changes nothing. Waits for
 * another import of the store to end before it validates (`options.onWait` is told).
 */
export async function importBundle(
  store: TraceStore,
  dir: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const lock = await store.lockImports(options.onWait);
  try {
    return await writeValidated(store, await validateForImport(store, dir, options), options);
  } finally {
    await lock.release();
  }
}

/**
 * Pass 1 of an import: validates the bundle against `store` (the store written to, or
 * EMPTY_STORE for a store not made yet). Throws ValidationError listing the problems.
 */
export async function validateForImport(
  store: ValidationStore,
  dir: string,
  options: ImportOptions = {},
): Promise<ValidatedBundle> {
  const started = process.hrtime.bigint();
  const { onProgress } = options;
  // Progress runs over the bundle twice: once to validate, once to write.
  const listed = await listBundle(dir);
  const bytesTotal = 2 * listed.reduce((sum, f) => sum + f.bytes, 0);
  const offsets = new Map<FileName, number>();
  let offset = 0;
  for (const f of listed) {
    offsets.set(f.spec.file, offset);
    offset += f.bytes;
  }
  const report = (phase: ImportProgress['phase'], file: BundleFile, bytesRead: number): void => {
    const pass = phase === 'validate' ? 0 : bytesTotal / 2;
    const bytesDone = pass + (offsets.get(file.spec.file) ?? 0) + Math.min(bytesRead, file.bytes);
    onProgress?.({ phase, file: file.spec.file, bytesDone, bytesTotal });
  };

  const { files, rows, repeats, repeatedLines, warnings, warningsTotal } = await validateBundle(store, dir, {
    onBytes: onProgress && ((file, bytesRead) => report('validate', file, bytesRead)),
  });
  return { dir, files, rows, repeats, repeatedLines, warnings, warningsTotal, started, report };
}

/**
 * Pass 2 of an import: writes a validated bundle through one import session of the store, holding
 * its import lock. When the store refuses a record (the store was made and filled since the bundle
 * was validated against none, or another import wrote meanwhile), the bundle is validated again
 * against the store as it is, so the ValidationError thrown names file, line and column.
 */
export async function writeBundle(
  store: TraceStore,
  bundle: ValidatedBundle,
  options: Pick<ImportOptions, 'onWait'> = {},
): Promise<ImportSummary> {
  const lock = await store.lockImports(options.onWait);
  try {
    return await writeValidated(store, bundle, options);
  } finally {
    await lock.release();
  }
}

/** Pass 2, under the import lock the caller holds. */
async function writeValidated(
  store: TraceStore,
  bundle: ValidatedBundle,
  options: Pick<ImportOptions, 'onWait'>,
): Promise<ImportSummary> {
  const { dir, files, rows, repeats, repeatedLines, warnings, warningsTotal, started, report } = bundle;
  const session = await store.beginImport(dir, { onWait: options.onWait });
  let batchesWritten = 0;
  const counting: ImportSession = {
    keepsWrittenBatchesOnAbort: session.keepsWrittenBatchesOnAbort,
    write: (batch) => session.write(batch).then(() => void batchesWritten++),
    commit: () => session.commit(),
    abort: () => session.abort(),
  };
  try {
    for (const file of files) {
      const skipped = repeatedLines[file.spec.file] ?? [];
      await writeFile(counting, file, skipped, (bytesRead) => report('write', file, bytesRead));
    }
    await session.commit();
  } catch (err) {
    await session.abort().catch(() => undefined);
    // The store refused a record validation had accepted: another import wrote meanwhile (an id
    // it made another kind; on the embedded store, whose imports take no lock) or the files
    // changed. The store names the record only by its place in a batch; validating again
    // against the store as it is now names file, line and column.
    const failure =
      err instanceof ValidationError
        ? await validateBundle(store, dir).then(
            () => err,
            (again: unknown) => (again instanceof ValidationError ? again : err),
          )
        : err;
    // Where the batches written stay after the abort, the refusal must not say nothing was written.
    if (failure instanceof ValidationError && batchesWritten > 0 && session.keepsWrittenBatchesOnAbort) {
      throw new ValidationError(
        failure.problems,
        failure.total,
        `part of the bundle was written into ${store.location} before it was refused, and the store ` +
          `records the import as unfinished: correct the bundle, then import it again`,
      );
    }
    throw failure;
  }

  const records: RowCounts = {};
  for (const file of Object.keys(rows) as FileName[]) records[file] = rows[file]! - (repeats[file] ?? 0);
  const total = Object.values(records).reduce((sum, n) => sum + n, 0);
  return {
    rows,
    records,
    total,
    repeats,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    warnings,
    warningsTotal,
  };
}

/**
 * Pass 2: streams one validated file and writes its records in batches, but for the rows at
 * `skippedLines` (ascending): repeats of earlier rows with the same fields, which validation
 * warned of as skipped.
 */
async function writeFile(
  session: ImportSession,
  file: BundleFile,
  skippedLines: readonly number[],
  onBytes: (bytesRead: number) => void,
): Promise<void> {
  const { spec } = file;
  const key = batchKeyOf(spec.file);
  const problems: FieldProblem[] = [];
  let records: unknown[] = [];
  let nextSkipped = 0;
  // One batch is written while the next is read and parsed, so the store (Neo4j's server) and
  // this process work at once; never more than one, so memory stays flat and batches keep order.
  let writing = null as Promise<void> | null;
  const settle = async (): Promise<void> => {
    const pending = writing;
    writing = null;
    if (pending) await pending;
  };
  const flush = async (): Promise<void> => {
    if (records.length === 0) return;
    const batch = { [key]: records } as RecordBatch;
    records = [];
    await settle();
    writing = session.write(batch);
    // Handled here so a failure waits, without crashing the process, for the next settle().
    writing.catch(() => undefined);
  };

  try {
    for await (const { line, row } of readCsvRows(file.path, {
      columns: spec.columns,
      onProblem: (p) => problems.push({ ...p, file: spec.file }),
      onBytes,
    })) {
      if (line === skippedLines[nextSkipped]) {
        nextSkipped++;
        continue;
      }
      const parsed = spec.parse(row);
      if (parsed.record === null) {
        // The file changed since it was validated.
        for (const p of parsed.problems) problems.push({ file: spec.file, line, ...p });
        break;
      }
      records.push(parsed.record);
      if (records.length >= IMPORT_BATCH_ROWS) await flush();
    }
    if (problems.length) throw new ValidationError(problems);
    await flush();
    await settle();
  } finally {
    // On any error, the write still running ends before the caller aborts the session.
    await writing?.catch(() => undefined);
  }
}
