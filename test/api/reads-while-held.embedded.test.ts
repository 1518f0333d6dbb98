/**
 * Queries on the embedded store while another process holds its file whole, so that not even a
 * read gets through: a query waits for the store on a timer, the server answering other requests
 * meanwhile, until 5 s after it was asked; it is answered once the other process lets go within
 * that time, refused with STORE_BUSY if not. Over HTTP, as a client sees it. The store's file is
 * in rollback-journal mode, so that the other process can take it while the server has it open
 * (test/store/holdable-store.ts says why).
 */
import pino from 'pino';
import { startApiServer, type RunningApiServer } from '../../src/api';
import { BUSY_TIMEOUT_MS } from '../../src/store/embedded/connection';
import { stateAfter } from '../setup/promise-state';
import { smallDistrict } from '../store/fixtures';
import { holdableStoreWith, type HoldableStore } from '../store/holdable-store';
import { lockingProcess, type LockingProcess } from '../store/locking-process';
import { errorCodes, postGraphQL, type GraphQLHttpResult } from './http';

jest.setTimeout(60_000);

const KEY = 'investigator-key-e07a3d';
const PERSON = `query ($id: ID!) { person(id: $id) { id name } }`;
const BUSY = 'Another process is holding the store; nothing could be read: try again shortly.';

describe('queries on the embedded store while another process holds it whole', () => {
  let held: HoldableStore;
  let running: RunningApiServer;
  let holder: LockingProcess | undefined;

  beforeAll(async () => {
    held = await holdableStoreWith(smallDistrict(), 'tracegraph-api-held-');
    running = await startApiServer(
      {
        store: held.store,
        apiKeys: [{ key: KEY, role: 'investigator' }],
        logger: pino({ level: 'silent' }),
        closeStore: false,
      },
      { port: 0 },
    );
  });
  afterEach(async () => {
    await holder?.kill();
    holder = undefined;
  });
  afterAll(async () => {
    await running?.stop();
    await held?.dispose();
  });

  const askPerson = (id: string): Promise<GraphQLHttpResult> =>
    postGraphQL(running.url, KEY, { query: PERSON, variables: { id } });

  test('/health is answered while a query waits for the store, before it; the query is refused with STORE_BUSY 5 s after it was asked', async () => {
    holder = await lockingProcess(held.file, 'exclusive');
    const answered: string[] = [];
    const asked = Date.now();
    const reading = askPerson('P1').then((answer) => {
      answered.push('query');
      return answer;
    });
    // Time for the query to reach the server and begin waiting: SQLite's own busy wait would hold
    // the server's thread (and this test's, the server runs in it) until it gave up.
    expect(await stateAfter(reading, 1_000)).toBe('waiting');
    const health = await fetch(`${running.url}/health`).then(async (response) => {
      answered.push('health');
      return { status: response.status, body: await response.json() };
    });
    expect(health).toEqual({ status: 200, body: { status: 'ok' } });

    const refused = await reading;
    expect(answered).toEqual(['health', 'query']);
    expect(errorCodes(refused.body)).toEqual(['STORE_BUSY']);
    expect(refused.body.errors[0].message).toBe(BUSY);
    expect(refused.body.data).toEqual({ person: null });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(BUSY_TIMEOUT_MS);

    // Once the other process has let go, the same query is answered.
    await holder.release();
    const again = await askPerson('P1');
    expect(again.body).toEqual({ data: { person: { id: 'P1', name: expect.any(String) } } });
  });

  test('a query waiting for the store is answered with data once the other process lets go within the wait', async () => {
    holder = await lockingProcess(held.file, 'exclusive');
    const reading = askPerson('P2');
    expect(await stateAfter(reading, 1_000)).toBe('waiting');
    await holder.release();
    const answer = await reading;
    expect(answer.body).toEqual({ data: { person: { id: 'P2', name: expect.any(String) } } });
  });
});
