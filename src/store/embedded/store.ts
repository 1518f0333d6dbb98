/**
 * The embedded store: the store port over one SQLite file (better-sqlite3). Writes are single
 * transactions; an import holds its own connection and transaction, so it is all-or-nothing and
 * readers keep seeing the last committed state until it commits.
 */
import type Database from 'better-sqlite3';
import { StoreBusyError, StoreUnavailableError } from '../../domain/errors';
import type {
  Boat,
  Case,
  ColdChainItem,
  Contact,
  Counts,
  EntityKind,
  Handling,
  Id,
  Instant,
  Person,
  Place,
  RecordBatch,
  Sample,
  Stay,
} from '../../domain/types';
import {
  daytimeBetween,
  sampleKeyText,
  type BeginImportOptions,
  type HomeWindow,
  type ImportLock,
  type ImportSession,
  type MigrationReport,
  type NightHours,
  type ResidentCount,
  type SampleKey,
  type TraceStore,
  type UnfinishedImport,
  type WindowedId,
  type WriteOptions,
} from '../port';
import { retryWhileBusy } from './busy-wait';
import { BUSY_TIMEOUT_MS, isBusy, openConnection, readRefused } from './connection';
import { migrateSchema, TABLES_CHILDREN_FIRST } from './schema';
import { asJson, Statements } from './statements';
import {
  beginWriteWhenFree,
  commitOrRollBack,
  inWriteTransactionWhenFree,
  lockedByAnotherWriter,
} from './transaction';

/** The latest instant a Date can hold: "no cut-off". */
const END_OF_TIME = 8.64e15;

/** Instants bound into JSON must be finite numbers (JSON has no Infinity). */
function clampInstant(at: Instant): Instant {
  if (Number.isNaN(at)) throw new RangeError('an instant is NaN');
  return Math.max(-END_OF_TIME, Math.min(END_OF_TIME, at));
}

function windowsJson(windows: readonly WindowedId[]): string {
  return asJson(windows.map((w) => ({ id: w.id, from: clampInstant(w.from), to: clampInstant(w.to) })));
}

/**
 * The windows of a stay read, as its statement takes them (see `withStayWindows` in
 * ./statements.ts): those of one id joined where they overlap or touch, in order of start, each
 * with the end of the one before. Joining loses nothing and adds nothing: a stay (a closed
 * interval) overlapping the join of two windows that overlap or touch overlaps one of them.
 */
export function stayWindows<W extends WindowedId>(windows: readonly W[]): (W & { after: Instant | null })[] {
  const byId = new Map<Id, W[]>();
  for (const w of windows) {
    const clamped = { ...w, from: clampInstant(w.from), to: clampInstant(w.to) };
    const list = byId.get(w.id);
    if (list) list.push(clamped);
    else byId.set(w.id, [clamped]);
  }
  const out: (W & { after: Instant | null })[] = [];
  for (const list of byId.values()) {
    list.sort((a, b) => a.from - b.from);
    let last: (W & { after: Instant | null }) | null = null;
    for (const w of list) {
      if (last && w.from <= last.to) last.to = Math.max(last.to, w.to);
      else out.push((last = { ...w, after: last ? last.to : null }));
    }
  }
  return out;
}

/** Puts rows back in key order: one entry per key, null where there is no row. */
function inKeyOrder<T>(ids: readonly Id[], rows: readonly T[], keyOf: (row: T) => Id): (T | null)[] {
  const byId = new Map(rows.map((row) => [keyOf(row), row]));
  return ids.map((id) => byId.get(id) ?? null);
}

const distinct = (ids: readonly Id[]): Id[] => [...new Set(ids)];

class EmbeddedImport implements ImportSession {
  /** The import is one transaction: an abort rolls back every batch. */
  readonly keepsWrittenBatchesOnAbort = false;
  private ended = false;
  private readonly writeBatch: (batch: RecordBatch) => void;

  constructor(
    private readonly statements: Statements,
    private readonly file: string,
    private readonly onEnd: () => void,
  ) {
    // Inside the import's transaction this runs as a savepoint: a batch that fails leaves the
    // batches before it in place, for the caller to commit or abort.
    this.writeBatch = statements.db.transaction((batch: RecordBatch) => statements.apply(batch));
  }

  private get db(): Database.Database {
    return this.statements.db;
  }

  private assertActive(): void {
    if (this.ended) throw new Error(`this import into ${this.file} has already ended`);
  }

  private end(): void {
    this.ended = true;
    if (this.db.open) this.db.close();
    this.onEnd();
  }

  async write(batch: RecordBatch): Promise<void> {
    this.assertActive();
    this.writeBatch(batch);
  }

  async commit(): Promise<void> {
    this.assertActive();
    try {
      commitOrRollBack(this.db, this.file);
    } finally {
      this.end();
    }
  }

  /** Rolls everything back; does nothing once the import has ended (e.g. after a failed commit). */
  async abort(): Promise<void> {
    if (this.ended) return;
    try {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.end();
    }
  }
}

export class EmbeddedStore implements TraceStore {
  readonly kind = 'embedded' as const;
  /** SQLite reads synchronously, in the calling thread. */
  readonly readsInThisThread = true;
  private readonly statements: Statements;
  private activeImport: EmbeddedImport | null = null;

  /** Takes an open connection whose schema is migrated. */
  constructor(
    private readonly db: Database.Database,
    /** The database file. */
    readonly location: string,
  ) {
    this.statements = new Statements(db);
  }

  private assertWritable(): void {
    if (this.activeImport) {
      throw new StoreBusyError(
        `an import into ${this.location} is in progress; nothing was written: write again when it has ended`,
        null,
        undefined,
        'every-write',
      );
    }
  }

  /**
   * Runs a read (one statement) without blocking the thread: while SQLite refuses it because
   * another process holds the file (whole, in exclusive locking mode, or while it recovers the
   * WAL), tries again on a timer (`retryWhileBusy`, as the writes wait for the write lock) until
   * BUSY_TIMEOUT_MS after it was asked for, then throws StoreBusyError, which says to try again.
   * Each call to the store waits on its own.
   */
  private async read<T>(query: () => T): Promise<T> {
    try {
      return await retryWhileBusy(this.db, Date.now(), query);
    } catch (err) {
      throw this.refusedRead(err);
    }
  }

  /** SQLITE_BUSY becomes StoreBusyError, saying nothing was read; other errors pass unchanged. */
  private refusedRead(err: unknown): unknown {
    return isBusy(err) ? readRefused(this.location, err) : err;
  }

  /**
   * Part of opening the store (`openStore`); an upgrade waits for another process's write lock as
   * ./schema.ts says.
   */
  async migrate(report?: MigrationReport): Promise<void> {
    try {
      await migrateSchema(this.db, report);
    } catch (err) {
      throw this.refusedRead(err);
    }
  }

  async ping(): Promise<void> {
    try {
      this.db.prepare('SELECT 1').get();
    } catch (err) {
      throw new StoreUnavailableError(
        `the database ${this.location} does not answer: ${(err as Error).message}`,
        err,
      );
    }
  }

  async close(): Promise<void> {
    await this.activeImport?.abort();
    if (this.db.open) this.db.close();
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * While another process holds the write lock, waits for it on a timer (the thread serves other
   * requests meanwhile) until BUSY_TIMEOUT_MS after `options.waitFrom` (default now), then throws
   * StoreBusyError, nothing written.
   */
  async write(batch: RecordBatch, options: WriteOptions = {}): Promise<void> {
    await inWriteTransactionWhenFree(
      this.db,
      this.location,
      () => this.statements.apply(batch),
      options.waitFrom ?? Date.now(),
      () => this.assertWritable(),
    );
  }

  /**
   * One transaction, all of the bundle or nothing: nothing to record of the bundle. Waits for
   * another process's write lock as `write` does (on a timer, up to BUSY_TIMEOUT_MS), telling
   * `options.onWait` before it waits; then throws StoreBusyError.
   */
  async beginImport(_bundle: string, options: BeginImportOptions = {}): Promise<ImportSession> {
    this.assertWritable();
    const connection = openConnection(this.location);
    try {
      const session = new EmbeddedImport(new Statements(connection), this.location, () => {
        this.activeImport = null;
      });
      const { onWait } = options;
      await beginWriteWhenFree(
        connection,
        this.location,
        Date.now(),
        () => this.assertWritable(),
        onWait && (() => onWait(lockedByAnotherWriter(this.location), BUSY_TIMEOUT_MS)),
      );
      this.activeImport = session;
      return session;
    } catch (err) {
      connection.close();
      throw err;
    }
  }

  /** An import here is one transaction: none leaves part of its bundle. */
  async unfinishedImports(): Promise<UnfinishedImport[]> {
    return [];
  }

  /** None is ever recorded here (see `unfinishedImports`). */
  async forgetUnfinishedImport(): Promise<boolean> {
    return false;
  }

  /**
   * Holds nothing: an import here is one transaction, which the store refuses whole if another
   * import (in this process or another) changed what it was validated against; the import then
   * validates again and names the rows at fault.
   */
  async lockImports(): Promise<ImportLock> {
    return { release: async () => undefined };
  }

  async clear(): Promise<void> {
    await inWriteTransactionWhenFree(
      this.db,
      this.location,
      () => {
        for (const table of TABLES_CHILDREN_FIRST) this.db.exec(`DELETE FROM ${table}`);
        this.statements.resetMeta.run();
      },
      Date.now(),
      () => this.assertWritable(),
    );
  }

  // ---- lookups by id ------------------------------------------------------------------------

  async entityKinds(ids: readonly Id[]): Promise<(EntityKind | null)[]> {
    const rows = await this.read(() => this.statements.entityKinds.all(asJson(ids)));
    return inKeyOrder(ids, rows, (r) => r.id).map((r) => r?.kind ?? null);
  }

  async persons(ids: readonly Id[]): Promise<(Person | null)[]> {
    return inKeyOrder(ids, await this.read(() => this.statements.persons.all(asJson(ids))), (p) => p.id);
  }

  async places(ids: readonly Id[]): Promise<(Place | null)[]> {
    return inKeyOrder(ids, await this.read(() => this.statements.places.all(asJson(ids))), (p) => p.id);
  }

  async boats(ids: readonly Id[]): Promise<(Boat | null)[]> {
    return inKeyOrder(ids, await this.read(() => this.statements.boats.all(asJson(ids))), (b) => b.id);
  }

  async items(ids: readonly Id[]): Promise<(ColdChainItem | null)[]> {
    return inKeyOrder(ids, await this.read(() => this.statements.items.all(asJson(ids))), (i) => i.id);
  }

  async casesOf(personIds: readonly Id[]): Promise<(Case | null)[]> {
    return inKeyOrder(
      personIds,
      await this.read(() => this.statements.casesOf.all(asJson(personIds))),
      (c) => c.personId,
    );
  }

  async samplesByKey(keys: readonly SampleKey[]): Promise<(Sample | null)[]> {
    const wanted = keys.map(({ subjectId, sampledAt, method }) => ({ subjectId, sampledAt, method }));
    const rows = await this.read(() => this.statements.samplesByKey.all(asJson(wanted)));
    const byKey = new Map(rows.map((row) => [sampleKeyText(row), row]));
    return keys.map((key) => byKey.get(sampleKeyText(key)) ?? null);
  }

  // ---- neighbourhood reads ------------------------------------------------------------------

  async listCases(asOf?: Instant): Promise<Case[]> {
    return this.read(() =>
      this.statements.listCases.all({ asOf: asOf === undefined ? null : clampInstant(asOf) }),
    );
  }

  async samplesOf(subjectIds: readonly Id[], asOf?: Instant): Promise<Sample[]> {
    return this.read(() =>
      this.statements.samplesOf.all(asJson(distinct(subjectIds)), clampInstant(asOf ?? END_OF_TIME)),
    );
  }

  async positiveEnvironmentalSamples(asOf?: Instant): Promise<Sample[]> {
    return this.read(() =>
      this.statements.positiveEnvironmentalSamples.all(clampInstant(asOf ?? END_OF_TIME)),
    );
  }

  async staysOfSubjects(windows: readonly WindowedId[]): Promise<Stay[]> {
    return this.read(() => this.statements.staysOfSubjects.all({ windows: asJson(stayWindows(windows)) }));
  }

  async staysAwayAtNight(windows: readonly HomeWindow[], nights: NightHours): Promise<Stay[]> {
    const daytime = daytimeBetween(nights);
    return this.read(() =>
      this.statements.staysAwayAtNight.all({
        windows: asJson(stayWindows(windows)),
        offset: daytime.offset,
        daytimeFrom: daytime.from,
        daytimeTo: daytime.to,
      }),
    );
  }

  async staysAtHosts(windows: readonly WindowedId[]): Promise<Stay[]> {
    return this.read(() => this.statements.staysAtHosts.all({ windows: asJson(stayWindows(windows)) }));
  }

  async residentsOf(homeIds: readonly Id[]): Promise<Person[]> {
    return this.read(() => this.statements.residentsOf.all(asJson(distinct(homeIds))));
  }

  async residentCounts(homeIds: readonly Id[]): Promise<ResidentCount[]> {
    return this.read(() => this.statements.residentCounts.all(asJson(distinct(homeIds))));
  }

  async contactsOf(windows: readonly WindowedId[]): Promise<Contact[]> {
    return this.read(() => this.statements.contactsOf.all(windowsJson(windows)));
  }

  async handlingsBy(windows: readonly WindowedId[]): Promise<Handling[]> {
    return this.read(() => this.statements.handlingsBy.all(windowsJson(windows)));
  }

  async handlingsOf(windows: readonly WindowedId[]): Promise<Handling[]> {
    return this.read(() => this.statements.handlingsOf.all(windowsJson(windows)));
  }

  async placesOfKind(kinds: readonly string[]): Promise<Place[]> {
    return this.read(() => this.statements.placesOfKind.all(asJson(distinct(kinds))));
  }

  async searchPersons(text: string, limit: number): Promise<Person[]> {
    // SQLite reads a negative LIMIT as "no limit".
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    return this.read(() => this.statements.searchPersons.all({ text, limit: count }));
  }

  async counts(): Promise<Counts> {
    return { ...(await this.read(() => this.statements.counts.get()))! };
  }

  // ---- streaming reads ----------------------------------------------------------------------

  scan<K extends keyof RecordBatch>(kind: K, pageSize: number): AsyncIterable<NonNullable<RecordBatch[K]>> {
    if (!Number.isInteger(pageSize) || pageSize < 1) {
      throw new RangeError(`page size must be a whole number of at least 1, not ${pageSize}`);
    }
    const page = this.statements.scanPage[kind];
    const read = <T>(query: () => T): Promise<T> => this.read(query);
    return (async function* pages() {
      // Keyset pagination on rowid: each page starts after the last row of the one before.
      let after = 0;
      for (;;) {
        const rows = await read(() => page.all(after, pageSize));
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.rowid_;
        yield rows.map(({ rowid_: _, ...record }) => record) as NonNullable<RecordBatch[K]>;
        if (rows.length < pageSize) return;
      }
    })();
  }
}
