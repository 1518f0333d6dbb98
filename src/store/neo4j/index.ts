/**
 * Neo4j store: the store port over a Neo4j 5 graph (model and Cypher in ./cypher.ts), written
 * with idempotent UNWIND + MERGE batches and read by per-id time windows.
 */
import { hostname } from 'node:os';
import path from 'node:path';
import type { Record as Neo4jRecord } from 'neo4j-driver';
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
import { COUNT_KEYS } from '../../domain/types';
import { DAY } from '../../domain/time';
import {
  daytimeBetween,
  sampleKeyText,
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
import * as cypher from './cypher';
import {
  boatRow,
  caseRow,
  contactRow,
  handlingRow,
  integer,
  lowerBound,
  itemRow,
  personRow,
  placeRow,
  sampleRow,
  stayRow,
  toBoat,
  toCase,
  toContact,
  toCount,
  toHandling,
  toItem,
  toPerson,
  toPlace,
  toSample,
  toStay,
  toUnfinishedImport,
  upperBound,
  windowGroups,
  type Row,
} from './convert';
import { createNeo4jExecutor, type Neo4jConnection, type Neo4jExecutor, type Transaction } from './executor';
import {
  ensureHeld,
  importLockHolder,
  importLockLost,
  lossBeforeBatch,
  takeImportLock,
  writeUnderImportLock,
  type HeldImportLock,
} from './import-lock';
import { definedEntityIds, idsToLookUp, resolveBatch } from './references';

export { CredentialsRefusedError, type Neo4jConnection } from './executor';

/** Rows per UNWIND statement: big enough to be fast, small enough for the server's heap. */
export const ROWS_PER_STATEMENT = 10_000;

/** How long migrate() waits for new indexes to come online. */
const INDEX_WAIT_SECONDS = 300;

const KIND_OF_LABEL: Record<string, EntityKind> = Object.fromEntries(
  Object.entries(cypher.LABEL_OF_KIND).map(([kind, label]) => [label, kind as EntityKind]),
);

const SCAN_CONVERTERS: { [K in keyof RecordBatch]-?: (f: Row) => NonNullable<RecordBatch[K]>[number] } = {
  persons: toPerson,
  places: toPlace,
  boats: toBoat,
  items: toItem,
  stays: toStay,
  contacts: toContact,
  handlings: toHandling,
  samples: toSample,
  cases: toCase,
};

function chunks<T>(rows: readonly T[], size = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

const unique = (ids: readonly Id[]): Id[] => [...new Set(ids)];

function records<T>(rows: Neo4jRecord[], convert: (row: Row) => T): T[] {
  return rows.map((row) => convert(row));
}

class Neo4jStore implements TraceStore {
  readonly kind = 'neo4j' as const;
  /** The server reads; this process decodes what it sends. */
  readonly readsInThisThread = false;
  readonly location: string;

  constructor(
    private readonly executor: Neo4jExecutor,
    connection: Pick<Neo4jConnection, 'uri' | 'database'>,
  ) {
    this.location = `${connection.uri}/${connection.database}`;
  }

  async migrate(report?: MigrationReport): Promise<void> {
    // Schema commands cannot share a transaction with data, so each runs on its own. Made only
    // where missing, they take no import lock: a reader opening the store while an import runs
    // does not wait for it.
    for (const statement of [...cypher.CONSTRAINTS, ...cypher.INDEXES])
      await this.executor.writeQuery(statement);
    // A database written before stays and samples had keys, stays their host's id or contacts
    // their persons' ids: set them before the constraints and indexes resting on them are made.
    // Once those all exist, every write keeps the properties, so nothing is left to backfill;
    // so whenever an import of this version runs (it migrated before it took the lock), nothing is.
    if ((await this.backfillsDue()).length === 0) return this.awaitIndexes();
    // A backfill rewrites what an import may be writing (a host's longest stay, worked out from
    // its stays, could replace a longer one the import has just set): it waits for the import lock
    // and looks again once it holds it, since another process may have migrated meanwhile.
    const lock = await takeImportLock(
      this.executor,
      this.location,
      report && ((holder) => report(`${holder}: waiting for it to end before rewriting stored records`)),
      'migration',
    );
    try {
      // A database with nothing in it has nothing to rewrite: no step is reported there.
      let holdsRecords: boolean | undefined;
      // Each statement commits on its own: one run after the lock was lost could rewrite what an
      // import is writing.
      const ensureLocked = (): Promise<void> =>
        ensureHeld(
          lock,
          this.location,
          'rewriting stored records',
          'the migration stopped there, and the next command to open the store completes it',
        );
      for (const { step, backfill, missing } of await this.backfillsDue()) {
        holdsRecords ??= Object.values(await this.counts()).some((n) => n > 0);
        if (holdsRecords) report?.(step);
        for (const statement of backfill) {
          await ensureLocked();
          await this.executor.autoCommit(statement);
        }
        for (const { statement } of missing) {
          await ensureLocked();
          await this.executor.writeQuery(statement);
        }
      }
    } finally {
      await lock.release();
    }
    await this.awaitIndexes();
  }

  /** The backfills whose constraints or indexes are not all made yet, each with those missing. */
  private async backfillsDue(): Promise<(cypher.Backfill & { missing: cypher.SchemaItem[] })[]> {
    const present = new Set<string>();
    for (const listing of [cypher.EXISTING_CONSTRAINTS, cypher.EXISTING_INDEXES]) {
      const [row] = await this.executor.readQuery(listing);
      for (const name of row!.get('names') as string[]) present.add(name);
    }
    return cypher.BACKFILLS.map((backfill) => ({
      ...backfill,
      missing: backfill.schema.filter((item) => !present.has(item.name)),
    })).filter(({ missing }) => missing.length > 0);
  }

  private async awaitIndexes(): Promise<void> {
    await this.executor.readQuery(cypher.AWAIT_INDEXES, { seconds: integer(INDEX_WAIT_SECONDS) });
  }

  async ping(): Promise<void> {
    await this.executor.readQuery(cypher.PING);
  }

  close(): Promise<void> {
    return this.executor.close();
  }

  // ---- writes -------------------------------------------------------------------------------

  /**
   * A batch adding entities waits for the import lock until LOCK_WAIT_MS after `options.waitFrom`
   * (default now), then throws StoreBusyError, nothing written (./import-lock.ts).
   */
  async write(batch: RecordBatch, options: WriteOptions = {}): Promise<void> {
    const waitFrom = options.waitFrom ?? Date.now();
    // Most writes add no entity (stays, samples, cases, or entities already stored) and need no
    // lock: nothing else they do can make a running import refuse a record.
    const written = await this.executor.write(async (tx) => {
      if (await this.addsEntities(tx, batch)) return false;
      await this.writeIn(tx, batch);
      return true;
    });
    if (!written) {
      // A new id could be one a running import's bundle gives another kind: wait for the import
      // lock, a few seconds from when the write was asked for at most, and check the batch against
      // the store as it is then.
      await writeUnderImportLock(this.executor, this.location, (tx) => this.writeIn(tx, batch), waitFrom);
    }
  }

  /** Whether the batch defines an entity whose id the store does not hold yet. */
  private async addsEntities(tx: Transaction, batch: RecordBatch): Promise<boolean> {
    const ids = definedEntityIds(batch);
    if (ids.length === 0) return false;
    const stored = await this.kindsIn(tx, ids);
    return ids.some((id) => !stored.has(id));
  }

  /** The import locks taken by lockImports and not yet released: those an import session checks. */
  private readonly importLocks = new Set<HeldImportLock>();

  async lockImports(onWait?: (holder: string) => void): Promise<ImportLock> {
    const lock = await takeImportLock(this.executor, this.location, onWait);
    this.importLocks.add(lock);
    return {
      release: () => {
        this.importLocks.delete(lock);
        return lock.release();
      },
    };
  }

  async beginImport(bundle: string): Promise<ImportSession> {
    // Committed before the first batch, removed once the last has committed: an import cut off or
    // refused in between leaves the store saying so (unfinishedImports), not just lacking records.
    // The folder's absolute path names it wherever the warning is read, and is what a later import
    // of the same folder completes.
    const folder = path.resolve(bundle);
    await this.executor.writeQuery(cypher.RECORD_UNFINISHED_IMPORT, {
      bundle: folder,
      startedAt: integer(Date.now()),
      pid: integer(process.pid),
      host: hostname(),
    });
    // The lock this process's import took (lockImports). Should it be lost (its transaction
    // terminated or timed out, its connection broken), the import stops before its next batch
    // writes anything (./import-lock.ts). Were two of this process's imports to hold locks (one
    // lost, the other taken since), a batch of either stops while the lost one is unreleased.
    const locks = [...this.importLocks];
    const committed = { batches: 0, rows: 0 };
    return {
      // Each batch has committed as it was written: abort cannot take it back.
      keepsWrittenBatchesOnAbort: true,
      // Each batch commits on its own: Neo4j cannot hold a whole district in one transaction,
      // and since every write is a MERGE, re-running a cut-off import completes it. The import
      // holds the import lock (lockImports), so these take none.
      write: async (batch) => {
        await this.executor.write(async (tx) => {
          const loss = locks.length > 0 ? await lossBeforeBatch(tx, locks) : null;
          if (loss !== null) throw importLockLost(this.location, loss, folder, committed);
          await this.writeIn(tx, batch);
        });
        committed.batches++;
        committed.rows += Object.values(batch).reduce(
          (sum, rows?: unknown[]) => sum + (rows?.length ?? 0),
          0,
        );
      },
      // Every batch has committed already: only the record of the import is left to remove.
      commit: async () => {
        await this.executor.writeQuery(cypher.REMOVE_UNFINISHED_IMPORT, { bundle: folder });
      },
      // Committed batches cannot be taken back on Neo4j; a re-run import merges over them. The
      // record stays, naming the bundle to import again.
      abort: async () => undefined,
    };
  }

  async unfinishedImports(): Promise<UnfinishedImport[]> {
    const records = (await this.executor.readQuery(cypher.UNFINISHED_IMPORTS)).map(toUnfinishedImport);
    if (records.length === 0) return records;
    // The record of the import holding the lock is that running import's own: a store partly
    // written by a running import is the normal state. A holder that cannot be seen (SHOW
    // TRANSACTIONS refused) leaves every record reported.
    const holder = await importLockHolder(this.executor);
    if (holder?.heldFor !== 'import') return records;
    return records.filter((r) => `pid ${r.pid} on ${r.host}` !== holder.heldBy);
  }

  async forgetUnfinishedImport(bundle: string, onWait?: (holder: string) => void): Promise<boolean> {
    // Under the import lock: an import of the same folder running meanwhile would otherwise lose
    // the record it made of itself, and, cut off, leave the store silent about it.
    const lock = await takeImportLock(this.executor, this.location, onWait, 'forget');
    try {
      const [row] = await this.executor.writeQuery(cypher.REMOVE_UNFINISHED_IMPORT, {
        bundle: path.resolve(bundle),
      });
      return toCount(row?.get('removed'), 'count of records removed') > 0;
    } finally {
      await lock.release();
    }
  }

  async clear(): Promise<void> {
    // An import's batches commit one by one: cleared between two of them, it would end having
    // written only the batches after, and say it had imported the bundle. So a clear waits for a
    // running import, as another import does, and an import waits for a clear.
    const lock = await takeImportLock(this.executor, this.location, undefined, 'clear');
    try {
      // Each statement commits on its own: one run after the lock was lost could remove what an
      // import that has taken it since is writing.
      for (const clearing of [
        cypher.CLEAR_RELATIONSHIPS,
        cypher.CLEAR_NODES,
        cypher.REMOVE_UNFINISHED_IMPORTS,
      ]) {
        await ensureHeld(
          lock,
          this.location,
          'clearing it',
          'the store may be cleared in part: clear it again',
        );
        await this.executor.autoCommit(clearing);
      }
    } finally {
      await lock.release();
    }
  }

  /** Nodes first, then the relationships between them, all in the caller's transaction. */
  private async writeIn(tx: Transaction, batch: RecordBatch): Promise<void> {
    const stored = await this.kindsIn(tx, idsToLookUp(batch));
    const staysByType = resolveBatch(batch, stored);
    const run = async <T>(
      statement: string,
      rows: readonly T[] | undefined,
      toRow: (r: T) => object,
    ): Promise<void> => {
      for (const chunk of chunks(rows ?? [])) await tx.query(statement, { rows: chunk.map(toRow) });
    };
    await run(cypher.MERGE_PLACES, batch.places, placeRow);
    await run(cypher.MERGE_PERSONS, batch.persons, personRow);
    await run(cypher.MERGE_BOATS, batch.boats, boatRow);
    await run(cypher.MERGE_ITEMS, batch.items, itemRow);
    for (const [type, stays] of staysByType) await run(cypher.MERGE_STAYS[type], stays, stayRow);
    await run(cypher.MERGE_CONTACTS, batch.contacts, contactRow);
    await run(cypher.MERGE_HANDLINGS, batch.handlings, handlingRow);
    await run(cypher.MERGE_SAMPLES, batch.samples, sampleRow);
    await run(cypher.MERGE_CASES, batch.cases, caseRow);
  }

  private async kindsIn(tx: Transaction, ids: readonly Id[]): Promise<Map<Id, EntityKind>> {
    const kinds = new Map<Id, EntityKind>();
    for (const chunk of chunks(ids)) {
      for (const record of await tx.query(cypher.ENTITY_LABELS, { ids: chunk })) {
        const kind = (record.get('labels') as string[])
          .map((label) => KIND_OF_LABEL[label])
          .find((k) => k !== undefined);
        if (kind !== undefined) kinds.set(record.get('id') as Id, kind);
      }
    }
    return kinds;
  }

  // ---- lookups by id ------------------------------------------------------------------------

  async entityKinds(ids: readonly Id[]): Promise<(EntityKind | null)[]> {
    if (ids.length === 0) return [];
    const kinds = await this.executor.read((tx) => this.kindsIn(tx, unique(ids)));
    return ids.map((id) => kinds.get(id) ?? null);
  }

  persons(ids: readonly Id[]): Promise<(Person | null)[]> {
    return this.byId(cypher.PERSONS_BY_ID, ids, toPerson, (p) => p.id);
  }

  places(ids: readonly Id[]): Promise<(Place | null)[]> {
    return this.byId(cypher.PLACES_BY_ID, ids, toPlace, (p) => p.id);
  }

  boats(ids: readonly Id[]): Promise<(Boat | null)[]> {
    return this.byId(cypher.BOATS_BY_ID, ids, toBoat, (b) => b.id);
  }

  items(ids: readonly Id[]): Promise<(ColdChainItem | null)[]> {
    return this.byId(cypher.ITEMS_BY_ID, ids, toItem, (i) => i.id);
  }

  casesOf(personIds: readonly Id[]): Promise<(Case | null)[]> {
    return this.byId(cypher.CASES_OF_PERSONS, personIds, toCase, (c) => c.personId);
  }

  async samplesByKey(keys: readonly SampleKey[]): Promise<(Sample | null)[]> {
    if (keys.length === 0) return [];
    const wanted = keys.map((k) => ({
      subjectId: k.subjectId,
      sampledAt: integer(k.sampledAt),
      method: k.method,
    }));
    const rows = await this.executor.readQuery(cypher.SAMPLES_BY_KEY, { keys: wanted });
    const byKey = new Map(records(rows, toSample).map((s) => [sampleKeyText(s), s]));
    return keys.map((key) => byKey.get(sampleKeyText(key)) ?? null);
  }

  /** One query for the distinct ids; answers in key order, repeats kept, null where missing. */
  private async byId<T>(
    statement: string,
    ids: readonly Id[],
    convert: (f: Row) => T,
    keyOf: (r: T) => Id,
  ): Promise<(T | null)[]> {
    if (ids.length === 0) return [];
    const found = new Map<Id, T>();
    for (const row of records(await this.executor.readQuery(statement, { ids: unique(ids) }), convert))
      found.set(keyOf(row), row);
    return ids.map((id) => found.get(id) ?? null);
  }

  // ---- neighbourhood reads for analysis -----------------------------------------------------

  async listCases(asOf?: Instant): Promise<Case[]> {
    return records(await this.executor.readQuery(cypher.LIST_CASES, { asOf: asOfParameter(asOf) }), toCase);
  }

  async samplesOf(subjectIds: readonly Id[], asOf?: Instant): Promise<Sample[]> {
    if (subjectIds.length === 0) return [];
    const rows = await this.executor.readQuery(cypher.SAMPLES_OF_SUBJECTS, {
      ids: unique(subjectIds),
      asOf: asOfParameter(asOf),
    });
    return records(rows, toSample);
  }

  async positiveEnvironmentalSamples(asOf?: Instant): Promise<Sample[]> {
    return records(
      await this.executor.readQuery(cypher.POSITIVE_ENVIRONMENTAL_SAMPLES, { asOf: asOfParameter(asOf) }),
      toSample,
    );
  }

  staysOfSubjects(windows: readonly WindowedId[]): Promise<Stay[]> {
    return this.windowed(cypher.STAYS_OF_SUBJECTS, windows, toStay);
  }

  async staysAwayAtNight(windows: readonly HomeWindow[], nights: NightHours): Promise<Stay[]> {
    if (windows.length === 0) return [];
    const homeOf = new Map(windows.map((w) => [w.id, w.homeId]));
    const daytime = daytimeBetween(nights);
    const rows = await this.executor.readQuery(cypher.STAYS_AWAY_AT_NIGHT, {
      groups: windowGroups(windows).map((g) => ({ ...g, homeId: homeOf.get(g.id) ?? null })),
      offset: integer(daytime.offset),
      day: integer(DAY),
      daytimeFrom: integer(daytime.from),
      daytimeTo: integer(daytime.to),
    });
    return records(rows, toStay);
  }

  staysAtHosts(windows: readonly WindowedId[]): Promise<Stay[]> {
    return this.windowed(cypher.STAYS_AT_HOSTS, windows, toStay, { earliest: lowerBound(-Infinity) });
  }

  async residentsOf(homeIds: readonly Id[]): Promise<Person[]> {
    if (homeIds.length === 0) return [];
    return records(await this.executor.readQuery(cypher.RESIDENTS_OF, { ids: unique(homeIds) }), toPerson);
  }

  async residentCounts(homeIds: readonly Id[]): Promise<ResidentCount[]> {
    if (homeIds.length === 0) return [];
    return records(
      await this.executor.readQuery(cypher.RESIDENT_COUNTS, { ids: unique(homeIds) }),
      (row) => ({
        homeId: String(row.get('homeId')),
        residents: toCount(row.get('residents'), 'count of residents'),
      }),
    );
  }

  contactsOf(windows: readonly WindowedId[]): Promise<Contact[]> {
    return this.windowed(cypher.CONTACTS_OF, windows, toContact);
  }

  handlingsBy(windows: readonly WindowedId[]): Promise<Handling[]> {
    return this.windowed(cypher.HANDLINGS_BY, windows, toHandling);
  }

  handlingsOf(windows: readonly WindowedId[]): Promise<Handling[]> {
    return this.windowed(cypher.HANDLINGS_OF, windows, toHandling);
  }

  /** A read over windows grouped by id (`$groups`), with any further parameters the statement takes. */
  private async windowed<T>(
    statement: string,
    windows: readonly WindowedId[],
    convert: (f: Row) => T,
    parameters: Record<string, unknown> = {},
  ): Promise<T[]> {
    if (windows.length === 0) return [];
    return records(
      await this.executor.readQuery(statement, { ...parameters, groups: windowGroups(windows) }),
      convert,
    );
  }

  async placesOfKind(kinds: readonly string[]): Promise<Place[]> {
    if (kinds.length === 0) return [];
    return records(await this.executor.readQuery(cypher.PLACES_OF_KIND, { kinds: [...kinds] }), toPlace);
  }

  async searchPersons(text: string, limit: number): Promise<Person[]> {
    const count = Math.floor(limit);
    if (!(count > 0)) return [];
    const rows = await this.executor.readQuery(cypher.SEARCH_PERSONS, {
      text: text.toLowerCase(),
      limit: integer(count),
    });
    return records(rows, toPerson);
  }

  async counts(): Promise<Counts> {
    const [row] = await this.executor.readQuery(cypher.COUNTS);
    return Object.fromEntries(
      COUNT_KEYS.map((key) => [key, toCount(row!.get(key), `count of ${key}`)]),
    ) as Counts;
  }

  // ---- streaming reads for export -----------------------------------------------------------

  scan<K extends keyof RecordBatch>(kind: K, pageSize: number): AsyncIterable<NonNullable<RecordBatch[K]>> {
    if (!Number.isInteger(pageSize) || pageSize <= 0) {
      throw new RangeError(`scan page size must be a positive whole number, not ${pageSize}`);
    }
    return this.pages(kind, pageSize) as AsyncIterable<NonNullable<RecordBatch[K]>>;
  }

  /** Keyset pages: each query starts strictly after the last key of the page before. */
  private async *pages(kind: keyof RecordBatch, pageSize: number): AsyncGenerator<unknown[]> {
    const query = cypher.SCANS[kind];
    const convert = SCAN_CONVERTERS[kind] as (f: Row) => unknown;
    let after: unknown[] | null = null;
    for (;;) {
      const rows: Neo4jRecord[] = await this.executor.readQuery(query.cypher, {
        from: after?.[0] ?? '',
        after,
        limit: integer(pageSize),
      });
      if (rows.length === 0) return;
      yield records(rows, convert);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.get('key') as unknown[];
    }
  }
}

function asOfParameter(asOf: Instant | undefined): ReturnType<typeof upperBound> | null {
  return asOf === undefined ? null : upperBound(asOf);
}

/** Opens the Neo4j store; it connects lazily, so ping() or migrate() report an unreachable server. */
export async function openNeo4jStore(config: Neo4jConnection): Promise<TraceStore> {
  return new Neo4jStore(createNeo4jExecutor(config), config);
}
