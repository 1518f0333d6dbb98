/**
 * Mutations on Neo4j while an import holds the store's import lock: a mutation adding persons,
 * places, boats or lots could make the import refuse a record half-way, so it waits a few seconds
 * and is refused with STORE_BUSY, writing nothing; writes of records already stored go on.
 * Mutations sent together wait from when they were sent, not each a wait of its own in turn.
 */
import { buildApiSchema } from '../../src/api/schema';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { barePerson } from '../bare-records';
import { stateAfter } from '../setup/promise-state';
import { smallDistrict } from '../store/fixtures';
import { codes, contextFor, run } from './helpers';

jest.setTimeout(120_000);

const open = (): Promise<TraceStore> => openNeo4jStore({ ...neo4jTestConfig(), database: 'neo4j' });
const schema = buildApiSchema();

const UPSERT_PERSON = `mutation ($id: ID!, $name: String) { upsertPersons(persons: [{ id: $id, name: $name }]) { id name } }`;

describe('mutations on Neo4j while an import runs', () => {
  let api: TraceStore;
  /** The importing process's store: another driver, as another process would have. */
  let importer: TraceStore;

  beforeAll(async () => {
    api = await open();
    await api.migrate();
    await api.clear();
    await api.write(smallDistrict());
    importer = await open();
  });
  afterAll(async () => {
    await api?.close();
    await importer?.close();
  });

  const mutate = (variables: Record<string, unknown>) =>
    run(schema, contextFor(api, 'investigator'), UPSERT_PERSON, variables);

  test('adding a person is refused with STORE_BUSY, nothing written; renaming a known one goes through', async () => {
    const importing = await importer.lockImports();
    try {
      const added = await mutate({ id: 'P9', name: 'Wang' });
      expect(codes(added)).toEqual(['STORE_BUSY']);
      expect(added.errors?.[0]?.message).toMatch(
        /^An import has been writing to the store since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; persons, places, boats and lots not yet in it can be added when it ends\. Nothing was written\.$/,
      );
      expect(await api.persons(['P9'])).toEqual([null]);

      const renamed = await mutate({ id: 'P1', name: 'Chen Daming' });
      expect(renamed.errors).toBeUndefined();
      expect(renamed.data).toEqual({ upsertPersons: [{ id: 'P1', name: 'Chen Daming' }] });
    } finally {
      await importing.release();
    }

    const addedAfter = await mutate({ id: 'P9', name: 'Wang' });
    expect(addedAfter.errors).toBeUndefined();
    expect((await api.persons(['P9']))[0]?.name).toBe('Wang');
  });

  test('mutations adding persons sent together are all refused after one wait from when they were sent, not one wait after another; nothing written', async () => {
    const importing = await importer.lockImports();
    try {
      const settled: string[] = [];
      // Upserts of persons are checked and written one at a time (src/api/services/checked-writes.ts):
      // the second store write waits for the first to be refused, with the same start of its wait.
      const sent = [mutate({ id: 'P20', name: 'Sun' }), mutate({ id: 'P21', name: 'Zhao' })].map(
        (answer, i) => answer.finally(() => settled.push(`mutation ${i + 1}`)),
      );
      expect(await stateAfter(Promise.all(sent), 2_500)).toBe('waiting');
      // A write starting its own whole wait 2.5 s after the mutations were sent: it ends 2.5 s after
      // theirs, and 2.5 s before the second mutation's would end if it had a whole wait of its own.
      const later = api
        .write({ persons: [barePerson('P22')] })
        .catch((err: unknown) => err)
        .finally(() => settled.push('later write'));
      const answers = await Promise.all(sent);
      await later;

      expect(settled).toEqual(['mutation 1', 'mutation 2', 'later write']);
      for (const answer of answers) {
        expect(codes(answer)).toEqual(['STORE_BUSY']);
        expect(answer.errors?.[0]?.message).toMatch(/ Nothing was written\.$/);
      }
      expect(await api.persons(['P20', 'P21', 'P22'])).toEqual([null, null, null]);
    } finally {
      await importing.release();
    }
  });
});
