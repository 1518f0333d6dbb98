/**
 * Mutations on the embedded store while an import in another process holds SQLite's write lock:
 * every write waits for the lock up to SQLite's busy timeout, on a timer, the server answering
 * other requests meanwhile, then is refused with STORE_BUSY, writing nothing; once the import has
 * committed (within the wait or after it), the write goes through. Over HTTP, as a client sees it.
 */
import path from 'node:path';
import { BUSY_TIMEOUT_MS } from '../../src/store/embedded/connection';
import { stateAfter } from '../setup/promise-state';
import { DISTRICT_COUNTS, smallDistrict } from '../store/fixtures';
import { importingProcess, type ImportingProcess } from '../store/importing-process';
import { serveRecords, type ServedStore } from './helpers';
import { errorCodes, postGraphQL } from './http';

jest.setTimeout(60_000);

const KEY = 'investigator-key-5b19c4';
const UPSERT_PERSON = `mutation ($id: ID!, $name: String) { upsertPersons(persons: [{ id: $id, name: $name }]) { id name } }`;
const ADD_STAY = `mutation ($stay: StayInput!) { addStays(stays: [$stay]) { start } }`;
const BUSY = 'An import or another write is holding the store; try again when it ends. Nothing was written.';
const PERSON = `query ($id: ID!) { person(id: $id) { id name } }`;

/** SQLite's busy timeout (src/store/embedded/connection.ts), less a margin for the clock. */
const WAITED_AT_LEAST_MS = 4_500;

describe('mutations on the embedded store while another process imports', () => {
  let served: ServedStore;
  let importer: ImportingProcess | undefined;

  beforeAll(async () => {
    served = await serveRecords(smallDistrict(), 'tracegraph-api-busy-', KEY);
  });
  afterEach(async () => {
    await importer?.kill();
  });
  afterAll(async () => {
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

  test('while a mutation waits for the lock, the server answers other requests', async () => {
    importer = await importingProcess(path.dirname(served.temp.store.location));
    const waiting = mutate(UPSERT_PERSON, { id: 'P11', name: 'Li' });
    // Time for the mutation to reach the server and begin waiting: SQLite's own busy wait would
    // hold the server's thread (and this test's, the server runs in it) until it gave up.
    expect(await stateAfter(waiting, 1_000)).toBe('waiting');
    const read = await postGraphQL(served.running.url, KEY, { query: PERSON, variables: { id: 'P1' } });
    expect(read.body).toEqual({ data: { person: { id: 'P1', name: expect.any(String) } } });
    // Answered while the mutation still waits.
    expect(await stateAfter(waiting, 0)).toBe('waiting');
    const refused = await waiting;
    expect(errorCodes(refused.body)).toEqual(['STORE_BUSY']);
    expect(refused.body.errors[0].message).toBe(BUSY);
    expect(await served.temp.store.persons(['P11'])).toEqual([null]);
  });

  test('mutations sent together each wait for the lock from when they were sent: all are refused after one busy timeout, not one after another', async () => {
    importer = await importingProcess(path.dirname(served.temp.store.location));
    const sent = Date.now();
    // Upserts of persons are checked and written one at a time (src/api/services/checked-writes.ts):
    // the second waits for the first to settle before it tries the lock.
    const answers = await Promise.all([
      mutate(UPSERT_PERSON, { id: 'P12', name: 'Sun' }),
      mutate(UPSERT_PERSON, { id: 'P13', name: 'Zhao' }),
      mutate(ADD_STAY, {
        stay: {
          subjectId: 'P2',
          hostId: 'MKT',
          start: '2022-08-11T09:00:00+08:00',
          end: '2022-08-11T10:00:00+08:00',
        },
      }),
    ]);
    const took = Date.now() - sent;
    for (const answer of answers) {
      expect(errorCodes(answer.body)).toEqual(['STORE_BUSY']);
      expect(answer.body.errors[0].message).toBe(BUSY);
    }
    // A time bound, as the server and this test share one thread (see the test above): waiting one
    // after another, the two upserts of persons take at least two busy timeouts (10 s), in turn;
    // waiting together, one (5 s). The bound leaves 4 s for a loaded machine.
    expect(took).toBeLessThan(2 * BUSY_TIMEOUT_MS - 1_000);
    expect(await served.temp.store.persons(['P12', 'P13'])).toEqual([null, null]);
  });

  test('a mutation waiting for the lock is written once the import commits within the wait', async () => {
    const { store } = served.temp;
    importer = await importingProcess(path.dirname(store.location));
    const waiting = mutate(UPSERT_PERSON, { id: 'P14', name: 'Chen' });
    expect(await stateAfter(waiting, 1_000)).toBe('waiting');
    await importer.commit();
    const written = await waiting;
    expect(written.body.errors).toBeUndefined();
    expect(written.body.data).toEqual({ upsertPersons: [{ id: 'P14', name: 'Chen' }] });
    expect(await store.persons(['P9', 'P14'])).toEqual([
      expect.objectContaining({ id: 'P9', name: 'Zhou Jie' }),
      expect.objectContaining({ id: 'P14', name: 'Chen' }),
    ]);
  });
});
