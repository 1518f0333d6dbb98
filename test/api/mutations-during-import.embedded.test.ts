/**
 * Mutations on the embedded store while an import in another process holds SQLite's write lock:
 * every write waits SQLite's busy timeout, then is refused with STORE_BUSY, writing nothing; once
 * the import has committed, the same write goes through. Over HTTP, as a client sees it.
 */
import path from 'node:path';
import { DISTRICT_COUNTS, smallDistrict } from '../store/fixtures';
import { importingProcess, type ImportingProcess } from '../store/importing-process';
import { serveRecords, type ServedStore } from './helpers';
import { errorCodes, postGraphQL } from './http';

jest.setTimeout(60_000);

const KEY = 'investigator-key-5b19c4';
const UPSERT_PERSON = `mutation ($id: ID!, $name: String) { upsertPersons(persons: [{ id: $id, name: $name }]) { id name } }`;
const ADD_STAY = `mutation ($stay: StayInput!) { addStays(stays: [$stay]) { start } }`;
const BUSY = 'An import or another write is holding the store; try again when it ends. Nothing was written.';

/** SQLite's busy timeout (src/store/embedded/connection.ts), less a margin for the clock. */
const WAITED_AT_LEAST_MS = 4_500;

describe('mutations on the embedded store while another process imports', () => {
  let served: ServedStore;
  let importer: ImportingProcess | undefined;

  beforeAll(async () => {
    served = await serveRecords(smallDistrict(), 'tracegraph-api-busy-', KEY);
  });
  afterAll(async () => {
    await importer?.kill();
    await served?.stop();
  });

  const mutate = (query: string, variables: Record<string, unknown>) =>
    postGraphQL(served.running.url, KEY, { query, variables });

  test('a write waits for the lock, then is refused with STORE_BUSY, writing nothing; once the import commits it goes through', async () => {
    const { store } = served.temp;
    importer = await importingProcess(path.dirname(store.location));

    const started = Date.now();
    const added = await mutate(UPSERT_PERSON, { id: 'P10', name: 'Wang' });
    const waited = Date.now() - started;
    expect(errorCodes(added.body)).toEqual(['STORE_BUSY']);
    expect(added.body.errors[0].message).toBe(BUSY);
    expect(waited).toBeGreaterThanOrEqual(WAITED_AT_LEAST_MS);
    // SQLite's lock holds back every write, not only those adding entities: a stay too.
    const stay = await mutate(ADD_STAY, {
      stay: {
        subjectId: 'P2',
        hostId: 'MKT',
        start: '2022-08-09T09:00:00+08:00',
        end: '2022-08-09T10:00:00+08:00',
      },
    });
    expect(errorCodes(stay.body)).toEqual(['STORE_BUSY']);
    expect(stay.body.errors[0].message).toBe(BUSY);

    await importer.commit();
    // What the import wrote (P9 and its 500 stays) is there; nothing of the refused writes.
    expect(await store.persons(['P9', 'P10'])).toEqual([
      expect.objectContaining({ id: 'P9', name: 'Zhou Jie' }),
      null,
    ]);
    expect((await store.counts()).stays).toBe(DISTRICT_COUNTS.stays + 500);

    const again = await mutate(UPSERT_PERSON, { id: 'P10', name: 'Wang' });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data).toEqual({ upsertPersons: [{ id: 'P10', name: 'Wang' }] });
  });
});
