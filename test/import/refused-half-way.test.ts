/**
 * An import refused after some of its batches were written (a bundle file changed while it was
 * imported) says what became of them as the store's import session tells
 * (`ImportSession.keepsWrittenBatchesOnAbort`), not by which store it is: that part of the bundle
 * was written where the session keeps them, that nothing was where the abort undoes them. Both on
 * the embedded store here, once through a session that commits each batch as it is written, as
 * Neo4j's does (unfinished-import.neo4j.test.ts imports into Neo4j itself).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../../src/domain/errors';
import { importBundle } from '../../src/import/import';
import { openEmbeddedStore } from '../../src/store/embedded';
import type { ImportSession, TraceStore } from '../../src/store/port';
import { DISTRICT_COUNTS } from '../store/fixtures';
import { openMigrated, suiteBundles } from './import-setup';
import { suiteTemps } from './temp-bundle';
import { withImportWrites } from './watched-writes';

/** A stays.csv whose one row no longer parses: what a file changed while it is imported reads as. */
const BROKEN_STAYS = 'subject_id,host_id,start,end\nP1,MKT,not a time,2022-08-03T10:30:00+08:00\n';

const bundle = suiteBundles();
const dataDir = suiteTemps('tracegraph-data-');

/** `text` as a regular expression matching it alone. */
const literal = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Imports the district bundle into `store` through the import sessions `begin` makes; once the
 * first batch (places.csv) is written, its stays.csv changes so that it no longer parses. Returns
 * the import's error.
 */
async function importChangedAfterFirstBatch(
  store: TraceStore,
  begin: (dir: string) => Promise<ImportSession>,
): Promise<unknown> {
  const dir = bundle('district');
  let written = 0;
  const changing = withImportWrites(
    store,
    async (batch, write) => {
      await write(batch);
      if (++written === 1) writeFileSync(path.join(dir, 'stays.csv'), BROKEN_STAYS);
    },
    { begin },
  );
  return importBundle(changing, dir).then(
    () => undefined,
    (err: unknown) => err,
  );
}

describe('an import refused after some of its batches were written', () => {
  let store: TraceStore;
  beforeEach(async () => {
    store = await openMigrated(() => openEmbeddedStore(dataDir()));
  });
  afterEach(async () => {
    await store?.close();
  });

  test('through a session that keeps written batches on abort, it says part of the bundle was written', async () => {
    const error = await importChangedAfterFirstBatch(store, async () => ({
      keepsWrittenBatchesOnAbort: true,
      write: (batch) => store.write(batch),
      commit: async () => undefined,
      abort: async () => undefined,
    }));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      expect.objectContaining({ file: 'stays.csv', line: 2, column: 'start' }),
    ]);
    expect((error as ValidationError).message).toMatch(
      new RegExp(
        `^1 problem found; part of the bundle was written into ${literal(store.location)} before it was refused`,
      ),
    );
    expect(await store.counts()).toMatchObject({ places: DISTRICT_COUNTS.places, stays: 0 });
  });

  test("through the embedded store's own session, which undoes them on abort, it says nothing was written", async () => {
    const error = await importChangedAfterFirstBatch(store, (dir) => store.beginImport(dir));

    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      expect.objectContaining({ file: 'stays.csv', line: 2, column: 'start' }),
    ]);
    expect((error as ValidationError).message).toMatch(
      /^1 problem found; nothing was written:\n {2}stays\.csv:2: /,
    );
    expect(Object.values(await store.counts()).every((n) => n === 0)).toBe(true);
  });
});
