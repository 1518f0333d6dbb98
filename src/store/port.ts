/**
 * The store port: the narrow set of reads and writes that import, analysis and the API need.
 * Two adapters implement it (embedded SQLite and Neo4j) and one contract suite
 * (test/store/contract.ts) runs unchanged against both. Reads are shaped so analysis pulls only
 * the neighbourhood it needs (stays of given subjects or at given hosts within a window), never
 * the whole graph.
 */
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
} from '../domain/types';
import { DAY, HOUR, MINUTE } from '../domain/time';

/** A closed time window [from, to]; an interval overlaps it when start <= to and end >= from. */
export interface TimeWindow {
  from: Instant;
  to: Instant;
}

/** What identifies a sample: one per subject, instant and method (`TraceStore.samplesByKey`). */
export type SampleKey = Pick<Sample, 'subjectId' | 'sampledAt' | 'method'>;

/** A sample key as one string, for maps: unambiguous whatever the subject's id holds. */
export const sampleKeyText = (key: SampleKey): string =>
  JSON.stringify([key.subjectId, key.sampledAt, key.method]);

/** How many people live at a home (`TraceStore.residentCounts`). */
export interface ResidentCount {
  homeId: Id;
  residents: number;
}

/** A window per id: "stays of this subject between these instants". */
export interface WindowedId {
  id: Id;
  from: Instant;
  to: Instant;
}

/** A window per subject, with its home (null: it has none). */
export interface HomeWindow extends WindowedId {
  homeId: Id | null;
}

/** A household's nights: from local `nightStartHour` one evening to `nightEndHour` the next morning. */
export interface NightHours {
  nightStartHour: number;
  nightEndHour: number;
  utcOffsetMinutes: number;
}

/**
 * The daytime between the end of one night and the start of the next, in milliseconds after
 * local midnight, and the offset of local time; from = to = 0 when the nights leave none (a
 * night of a day or more), so that a stay of some length is never within it.
 */
export function daytimeBetween(nights: NightHours): { from: number; to: number; offset: number } {
  const from = nights.nightEndHour * HOUR;
  const to = nights.nightStartHour * HOUR;
  const offset = nights.utcOffsetMinutes * MINUTE;
  return from >= 0 && from < to && to <= DAY ? { from, to, offset } : { from: 0, to: 0, offset };
}

/**
 * Whether [start, end] shares some time with a night: false only for a stay of no length or one
 * within the daytime between two nights (see `daytimeBetween`).
 */
export function sharesANight(start: Instant, end: Instant, nights: NightHours): boolean {
  if (!(end > start)) return false;
  const daytime = daytimeBetween(nights);
  const timeOfDay = (((start + daytime.offset) % DAY) + DAY) % DAY;
  return !(timeOfDay >= daytime.from && timeOfDay + (end - start) <= daytime.to);
}

/** How a write through `TraceStore.write` waits for another writer. */
export interface WriteOptions {
  /**
   * When the write was asked for (epoch ms; default: when `write` is called). The embedded store
   * waits for another process's write lock, and Neo4j a write adding entities for its import lock,
   * until a few seconds after it, so that a write queued behind others in this process
   * (src/api/services/checked-writes.ts), or the later writes of one mutation given the same
   * instant, wait no longer in all than the first. A write whose wait is already up tries the lock
   * once: it is written if the lock is free, refused with StoreBusyError at once if not.
   */
  waitFrom?: number;
}

/**
 * Writes of one import. The embedded store makes them one transaction (all or nothing); Neo4j
 * commits batch by batch, and since every write is an idempotent merge, re-running an import that
 * was cut off (a crash, a lost connection, a full disk) completes it. The import holds
 * `TraceStore.lockImports` meanwhile, so no other writer can make the store refuse one of its
 * records half-way.
 */
export interface ImportSession {
  /**
   * Whether the batches this session has written stay in the store when it is aborted (Neo4j,
   * where each commits on its own) rather than being undone with it (the embedded store). A store
   * that keeps them records the import as unfinished until an import of the same bundle folder
   * completes (`TraceStore.unfinishedImports`), so that an import refused half-way can say so
   * instead of saying that nothing was written.
   */
  readonly keepsWrittenBatchesOnAbort: boolean;
  write(batch: RecordBatch): Promise<void>;
  /** Ends the import as complete; on Neo4j it removes the store's `UnfinishedImport` record of its bundle. */
  commit(): Promise<void>;
  /** Undoes what can be undone: the batches written, unless `keepsWrittenBatchesOnAbort`. */
  abort(): Promise<void>;
}

/** How `TraceStore.beginImport` waits for another writer. */
export interface BeginImportOptions {
  /**
   * Told, before the import waits for a lock another writer holds, who holds it (as far as the
   * store knows) and how long it waits at most before it is refused (`giveUpAfterMs`; none: until
   * the holder ends). The embedded store's import waits here, for another process's write lock;
   * Neo4j's waits in `lockImports` instead.
   */
  onWait?(holder: string, giveUpAfterMs?: number): void;
}

/**
 * An import that wrote part of its bundle and did not finish (`TraceStore.unfinishedImports`): until
 * an import completes, the store lacks the rest of that bundle.
 */
export interface UnfinishedImport {
  /** The bundle folder, its absolute path on the importing host. */
  bundle: string;
  /** When it began writing. */
  startedAt: Instant;
  /** The importing process and its host. */
  pid: number;
  host: string;
}

/** Held by an import from before it validates until it has written (`TraceStore.lockImports`). */
export interface ImportLock {
  /** Lets the next import in; releasing twice does nothing. */
  release(): Promise<void>;
}

/** Told, before it runs, what a migration step is about to rewrite (see `TraceStore.migrate`). */
export type MigrationReport = (step: string) => void;

export interface TraceStore {
  readonly kind: 'embedded' | 'neo4j';
  /** A human-readable location, e.g. `./data/tracegraph.db` or `bolt://127.0.0.1:7687/neo4j`. */
  readonly location: string;
  /**
   * Whether reads run in this thread (the embedded file) rather than in a server that takes a core
   * of its own while this process waits for it (Neo4j). The analysis starts work in a worker
   * beside a load only where the reads leave the other core idle (src/analysis/analyse.ts).
   */
  readonly readsInThisThread: boolean;

  /**
   * Creates constraints and indexes; idempotent. `report` is told of each step that rewrites
   * records already stored, before it runs: on a large store such a step can take minutes, once.
   * On Neo4j such steps wait for a running import (`lockImports`), and `report` is told who they
   * wait for; a store with nothing to rewrite never waits.
   */
  migrate(report?: MigrationReport): Promise<void>;
  /** Resolves when the store answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;

  // ---- writes ---------------------------------------------------------------------------
  /** Upserts everything in the batch in one transaction. Entities are upserted by id, stays,
   *  contacts and handlings are merged on all their fields, samples on (subject, instant, method),
   *  cases on person. A batch adding entities (ids not stored yet) takes the lock of
   *  `lockImports` first, where there is one: it cannot make a running import refuse a record.
   *  While another process writes, the embedded store waits for its write lock (on a timer, the
   *  thread free) until a few seconds after `options.waitFrom`, then throws StoreBusyError,
   *  nothing written; Neo4j waits for the lock of `lockImports` until the same instant, then does
   *  the same. */
  write(batch: RecordBatch, options?: WriteOptions): Promise<void>;
  /**
   * Begins writing the bundle in the folder `bundle` (as given; Neo4j records its absolute path). The embedded store
   * first waits for another process's write lock as `write` does (on a timer, a few seconds at most),
   * telling `options.onWait`, then throws StoreBusyError. On Neo4j, where batches commit one by one,
   * it first records the import in the store, in a transaction of its own, and the session's
   * `commit` removes that record: an import cut off or refused after some of its batches leaves it
   * (`unfinishedImports`).
   */
  beginImport(bundle: string, options?: BeginImportOptions): Promise<ImportSession>;
  /**
   * The imports that left the store holding part of their bundle, one per bundle folder, oldest
   * first, without the one running now (a running import's partial store is the normal one); empty
   * when there is none. An import of the same folder that completes removes its record (one of
   * another folder does not: that bundle is still missing in part), and `clear` removes them all.
   * Always empty on the embedded store, whose import is one transaction.
   */
  unfinishedImports(): Promise<UnfinishedImport[]>;
  /**
   * Removes the record of an unfinished import of the folder `bundle` (resolved as an import
   * resolves it) without importing anything: for a folder that was moved or deleted, whose import
   * cannot be completed. What that import wrote stays, and the rest of its bundle stays missing;
   * the store no longer says so. Waits for a running import or clear, as an import does (`onWait`
   * told who holds the lock when the wait lasts more than a moment), so it never removes a running
   * import's own record. Returns whether there was a record to remove; always false on the
   * embedded store, which keeps none.
   */
  forgetUnfinishedImport(bundle: string, onWait?: (holder: string) => void): Promise<boolean>;
  /**
   * Keeps other imports, and writes adding entities, off the store until released: what an import
   * was validated against then stays as it was until it has written. A second import waits for it;
   * `onWait` is told who holds it when the wait lasts more than a moment. A write adding entities
   * waits until a few seconds after its `waitFrom`, then is refused with StoreBusyError. Needed where an import's batches
   * commit one by one (Neo4j); the embedded store's import is one transaction, which the store
   * refuses whole, so there it holds nothing.
   */
  lockImports(onWait?: (holder: string) => void): Promise<ImportLock>;
  /**
   * Removes everything (tests and the demo reset). On Neo4j it waits for a running import
   * (`lockImports`), which it would otherwise leave half written.
   */
  clear(): Promise<void>;

  // ---- lookups by id, in key order, null where missing (DataLoader-ready) -----------------
  entityKinds(ids: readonly Id[]): Promise<(EntityKind | null)[]>;
  persons(ids: readonly Id[]): Promise<(Person | null)[]>;
  places(ids: readonly Id[]): Promise<(Place | null)[]>;
  boats(ids: readonly Id[]): Promise<(Boat | null)[]>;
  items(ids: readonly Id[]): Promise<(ColdChainItem | null)[]>;
  /** The case of each person, or null. */
  casesOf(personIds: readonly Id[]): Promise<(Case | null)[]>;
  /** The stored sample of each key (subject, instant, method), or null: what a sample of that key replaces. */
  samplesByKey(keys: readonly SampleKey[]): Promise<(Sample | null)[]>;

  // ---- neighbourhood reads for analysis ---------------------------------------------------
  /** All cases, optionally only those known by `asOf` (confirmed or, failing that, onset). */
  listCases(asOf?: Instant): Promise<Case[]>;
  /** Samples of these subjects (persons, lots, places, boats) taken by `asOf`. */
  samplesOf(subjectIds: readonly Id[], asOf?: Instant): Promise<Sample[]>;
  /** Positive samples of lots, places and boats taken by `asOf`. */
  positiveEnvironmentalSamples(asOf?: Instant): Promise<Sample[]>;
  /** Stays of each subject that overlap its window. */
  staysOfSubjects(windows: readonly WindowedId[]): Promise<Stay[]>;
  /**
   * Stays of each subject that overlap its window, at a host other than its home, and share some
   * time with a night (`sharesANight`): where a person spent nights away from home, without the
   * many stays by day.
   */
  staysAwayAtNight(windows: readonly HomeWindow[], nights: NightHours): Promise<Stay[]>;
  /** Stays at (or aboard) each host that overlap its window. */
  staysAtHosts(windows: readonly WindowedId[]): Promise<Stay[]>;
  /** Residents of these homes (people whose home_id is one of them). */
  residentsOf(homeIds: readonly Id[]): Promise<Person[]>;
  /**
   * How many people live at each of these homes, one row per distinct id with anyone living there:
   * the size of a household whose residents need not be read one by one.
   */
  residentCounts(homeIds: readonly Id[]): Promise<ResidentCount[]>;
  /** Reported contacts involving these persons that overlap their windows. */
  contactsOf(windows: readonly WindowedId[]): Promise<Contact[]>;
  /** Handlings by these persons within their windows. */
  handlingsBy(windows: readonly WindowedId[]): Promise<Handling[]>;
  /** Handlings of these lots within their windows. */
  handlingsOf(windows: readonly WindowedId[]): Promise<Handling[]>;
  /** Places of the given kinds (e.g. quarantine sites). */
  placesOfKind(kinds: readonly string[]): Promise<Place[]>;
  /** Persons whose name, phone or id number contains the text (case-insensitive). */
  searchPersons(text: string, limit: number): Promise<Person[]>;
  counts(): Promise<Counts>;

  // ---- streaming reads for export ---------------------------------------------------------
  /** Every record of one kind, in pages of at most `pageSize`, in a stable order. */
  scan<K extends keyof RecordBatch>(kind: K, pageSize: number): AsyncIterable<NonNullable<RecordBatch[K]>>;
}
