/**
 * Imports racing on a real Neo4j, where batches commit one by one: the second import waits for the
 * first, from before it validates, so the store never refuses a record of either half-way; the
 * loser of a conflict is refused by validation and writes nothing. An import that fails lets the
 * one waiting go on.
 */
import { ValidationError } from '../../src/domain/errors';
import type { RecordBatch } from '../../src/domain/types';
import { importBundle, type ImportSummary } from '../../src/import/import';
import type { ImportSession, TraceStore } from '../../src/store/port';
import { DISTRICT_COUNTS } from '../store/fixtures';
import { openMigrated, openTestNeo4j, suiteBundles } from './import-setup';
import { snapshot } from './store-snapshot';
import { stateAfter } from '../setup/promise-state';

jest.setTimeout(240_000);

const PERSONS_HEADER = 'id,name,sex,age,phone,id_number,home_id,occupation\n';
const PLACES_HEADER = 'id,name,kind,lat,lon,capacity\n';

/** The later district bundle with a place of its own, so that it writes places.csv before persons.csv. */
const LATER_WITH_A_PLACE = { 'places.csv': `${PLACES_HEADER}X1,Pier 9,checkpoint,,,\n` };
/** Another bundle making P5, a person in the later bundle, a place. */
const P5_A_PLACE = {
  'persons.csv': PERSONS_HEADER,
  'places.csv': `${PLACES_HEADER}P5,Pier 5,checkpoint,,,\n`,
};

/** The outcome of an import: its summary or its error. */
const outcome = (importing: Promise<ImportSummary>): Promise<ImportSummary | unknown> =>
  importing.catch((err: unknown) => err);

interface Held {
  store: TraceStore;
  /** Resolves when the import reaches the held point. */
  reached: Promise<void>;
  /** Lets it go on (or fail, with `failWith`). */
  release(): void;
}

/**
 * The store with an import held at one point until released: its first lookup of kinds
 * (validation) or its first batch write; `failWith` makes that batch fail once released.
 */
function heldAt(store: TraceStore, point: 'validation' | 'write', failWith?: Error): Held {
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  const holdFirst = async (): Promise<boolean> => {
    if (!first) return false;
    first = false;
    reach();
    await released;
    return true;
  };
  const watch = (session: ImportSession): ImportSession => ({
    keepsWrittenBatchesOnAbort: session.keepsWrittenBatchesOnAbort,
    write: async (batch: RecordBatch) => {
      if ((await holdFirst()) && failWith) throw failWith;
      await session.write(batch);
    },
    commit: () => session.commit(),
    abort: () => session.abort(),
  });
  const held = new Proxy(store, {
    get(target, property) {
      if (point === 'write' && property === 'beginImport')
        return async (dir: string) => watch(await target.beginImport(dir));
      if (point === 'validation' && property === 'entityKinds')
        return async (ids: string[]) => {
          await holdFirst();
          return target.entityKinds(ids);
        };
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store: held, reached, release };
}

describe('imports racing on Neo4j', () => {
  let store: TraceStore;
  /** Another connection to the same server, as another process importing would have. */
  let other: TraceStore;
  const bundle = suiteBundles();

  beforeAll(async () => {
    store = await openMigrated(openTestNeo4j);
    other = await openTestNeo4j();
  });
  beforeEach(async () => {
    await store.clear();
    await importBundle(store, bundle('district'));
  });
  afterAll(async () => {
    await store?.close();
    await other?.close();
  });

  /** What the store holds after importing these bundles one after the other into the district. */
  async function importedInTurn(...bundles: string[]): Promise<Awaited<ReturnType<typeof snapshot>>> {
    await store.clear();
    await importBundle(store, bundle('district'));
    for (const dir of bundles) await importBundle(store, dir);
    return snapshot(store);
  }

  /**
   * Imports `firstBundle` through `first` (held at its point) and, once it is held there,
   * `secondBundle` through the other connection; after 3 s the first is let go. What each import
   * ended with, whether the second was still waiting when the first was let go, and what it was
   * told of the holder.
   */
  async function race(first: ReturnType<typeof heldAt>, firstBundle: string, secondBundle: string) {
    const firstImport = outcome(importBundle(first.store, firstBundle));
    await first.reached;
    const notices: string[] = [];
    const secondImport = outcome(
      importBundle(other, secondBundle, { onWait: (holder) => notices.push(holder) }),
    );
    const secondWhileFirstHeld = await stateAfter(secondImport, 3_000);
    first.release();
    return { secondWhileFirstHeld, notices, firstDone: await firstImport, secondDone: await secondImport };
  }

  test('an import started while another writes waits for it, then is refused by validation and writes nothing', async () => {
    const later = bundle('district-later', LATER_WITH_A_PLACE);
    const racing = bundle(null, P5_A_PLACE);
    const { secondWhileFirstHeld, notices, firstDone, secondDone } = await race(
      heldAt(store, 'write'),
      later,
      racing,
    );

    expect(secondWhileFirstHeld).toBe('waiting');
    expect(notices).toEqual([
      expect.stringMatching(
        /^another import has been running on bolt:\/\/\S+\/neo4j since \S+Z \(pid \d+ on .+\)$/,
      ),
    ]);
    // The later bundle's 7 rows and its place.
    expect(firstDone).toMatchObject({ total: 8 });
    expect(secondDone).toBeInstanceOf(ValidationError);
    expect((secondDone as ValidationError).problems).toEqual([
      {
        file: 'places.csv',
        line: 2,
        column: 'id',
        reason: '"P5" is already a person in the store; ids are unique across bundles',
      },
    ]);
    // The first bundle is written whole and nothing of the second.
    const after = await snapshot(store);
    expect(after).toEqual(await importedInTurn(later));
  });

  test('an import waits while another validates: the first refused, the second goes on', async () => {
    const refused = bundle('district-later', {
      'stays.csv':
        'subject_id,host_id,start,end\nP9,MKT,2022-08-03T10:00:00+08:00,2022-08-03T10:30:00+08:00\n',
    });
    const racing = bundle(null, P5_A_PLACE);
    const { secondWhileFirstHeld, notices, firstDone, secondDone } = await race(
      heldAt(store, 'validation'),
      refused,
      racing,
    );

    expect(secondWhileFirstHeld).toBe('waiting');
    expect(notices).toHaveLength(1);
    expect(firstDone).toBeInstanceOf(ValidationError);
    expect(secondDone).toMatchObject({ total: 1 });
    expect(await snapshot(store)).toEqual(await importedInTurn(racing));
  });

  test('a clear started while an import writes waits for it to end, then removes everything', async () => {
    const later = bundle('district-later', LATER_WITH_A_PLACE);
    const importer = heldAt(store, 'write');
    const importing = outcome(importBundle(importer.store, later));
    await importer.reached;
    const clearing = other.clear();
    const clearWhileImportHeld = await stateAfter(clearing, 3_000);
    const countsWhileHeld = await other.counts();
    importer.release();
    const imported = await importing;
    await clearing;

    expect(clearWhileImportHeld).toBe('waiting');
    expect(countsWhileHeld).toEqual(DISTRICT_COUNTS);
    expect(imported).toMatchObject({ total: 8 });
    expect(Object.values(await store.counts()).every((n) => n === 0)).toBe(true);
  });

  test('an import whose write fails lets the one waiting validate and write', async () => {
    const later = bundle('district-later', LATER_WITH_A_PLACE);
    const racing = bundle(null, P5_A_PLACE);
    const lost = new Error('the connection to the store was lost');
    const { secondWhileFirstHeld, notices, firstDone, secondDone } = await race(
      heldAt(store, 'write', lost),
      later,
      racing,
    );

    expect(secondWhileFirstHeld).toBe('waiting');
    expect(notices).toHaveLength(1);
    expect(firstDone).toBe(lost);
    // The first wrote nothing before it failed (its first batch failed), so P5 was free.
    expect(secondDone).toMatchObject({ total: 1 });
    expect(await snapshot(store)).toEqual(await importedInTurn(racing));
  });
});
