/**
 * Analyses in worker threads: the Analysis a worker sends back is the one computed in-process
 * (both stores), store failures come back as StoreUnavailableError (the API's UNAVAILABLE), a read
 * refused while another process holds the store as StoreBusyError (STORE_BUSY), the server keeps answering /health, /ready and record queries while an analysis runs in a worker,
 * and its stop terminates a running worker.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { analyseOutbreak } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import { AuditLog } from '../../src/api/audit-log';
import { createContext } from '../../src/api/context.type';
import { isStoreUnavailable } from '../../src/api/errors';
import { buildApiSchema } from '../../src/api/schema';
import { startApiServer, type RunningApiServer } from '../../src/api/server';
import { AnalysisService } from '../../src/api/services/analysis.service';
import { AnalysisWorkers } from '../../src/api/services/analysis-workers';
import { resolveParameters } from '../../src/domain/parameters';
import type { StoreConfig } from '../../src/store';
import { openEmbeddedStore } from '../../src/store/embedded';
import { openNeo4jStore } from '../../src/store/neo4j';
import type { TraceStore } from '../../src/store/port';
import { neo4jTestConfig } from '../setup/neo4j';
import { smallDistrict } from '../store/fixtures';
import { lockingProcess } from '../store/locking-process';
import { codes, run, suiteTempDirs } from './helpers';
import { postGraphQL } from './http';

const freshDir = suiteTempDirs();

const params = resolveParameters();

/**
 * The constructors of every object reachable from `value`; structured clone keeps plain
 * objects, arrays, Maps and Sets, and drops the class of anything else.
 */
function classesIn(value: unknown, seen = new Set<unknown>(), found = new Set<string>()): Set<string> {
  if (typeof value === 'function') {
    found.add('Function');
    return found;
  }
  if (value === null || typeof value !== 'object' || seen.has(value)) return found;
  seen.add(value);
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name: string } } | null;
  found.add(prototype?.constructor?.name ?? 'null-prototype');
  const children =
    value instanceof Map
      ? [...value.keys(), ...value.values()]
      : value instanceof Set
        ? [...value]
        : Object.values(value);
  for (const child of children) classesIn(child, seen, found);
  return found;
}

/** A store configuration and the store opened from it, holding the small district. */
const setups: [string, () => Promise<{ config: StoreConfig; store: TraceStore }>][] = [
  [
    'embedded',
    async () => {
      const config: StoreConfig = { dataDir: freshDir('tracegraph-worker-'), neo4j: null };
      return { config, store: await openEmbeddedStore(config.dataDir) };
    },
  ],
  [
    'neo4j',
    async () => {
      const config: StoreConfig = { dataDir: '', neo4j: { ...neo4jTestConfig(), database: 'neo4j' } };
      return { config, store: await openNeo4jStore(config.neo4j!) };
    },
  ],
];

describe.each(setups)('an analysis in a worker thread on the %s store', (_kind, setup) => {
  let config: StoreConfig;
  let store: TraceStore;

  beforeAll(async () => {
    ({ config, store } = await setup());
    await store.migrate();
    await store.clear();
    await store.write(smallDistrict());
  });
  afterAll(async () => {
    await store?.close();
  });

  test('deep-equals the analysis computed in-process, Maps and all', async () => {
    const asOf = await latestCaseAsOf(store);
    const workers = new AnalysisWorkers({ storeConfig: config });
    const [inWorker, inProcess] = await Promise.all([
      workers.analyse(store, params, { asOf, capacity: 3 }),
      analyseOutbreak(store, params, { asOf, capacity: 3 }),
    ]);
    // Not an empty analysis: the fixture has cases, windows and exposures.
    expect(inProcess.windows.size).toBeGreaterThan(0);
    expect(inProcess.exposures.length).toBeGreaterThan(0);
    // The worker's objects come from Node's own realm, not the test sandbox's: compare by shape,
    // and check separately that nothing in the analysis has a class that a clone would lose. Tier
    // evidence writes its reason when read, through an own enumerable accessor: a clone copies the
    // reason as a plain field, and that is all the class holds.
    expect(Object.prototype.toString.call(inWorker.windows)).toBe('[object Map]');
    expect(inWorker).toEqual(inProcess);
    expect(classesIn(inProcess)).toEqual(new Set(['Object', 'Array', 'Map', 'LazyReasonEvidence']));
    const reasons = (a: typeof inProcess) => a.tiers.flatMap((t) => t.evidence.map((e) => e.reason));
    expect(reasons(inProcess).length).toBeGreaterThan(0);
    expect(reasons(inWorker)).toEqual(reasons(inProcess));
    expect(workers.size).toBe(0);
  });
});

describe('analyses queued past maxConcurrent', () => {
  test('a second analysis starts its worker only when the first has ended', async () => {
    const dataDir = freshDir('tracegraph-worker-queue-');
    const store = await openEmbeddedStore(dataDir);
    await store.write(smallDistrict());
    const hold = new Int32Array(new SharedArrayBuffer(8));
    const workers = new AnalysisWorkers({
      storeConfig: { dataDir, neo4j: null },
      maxConcurrent: 1,
      holdForTests: hold,
    });
    try {
      const asOf = await latestCaseAsOf(store);
      const first = workers.analyse(store, params, { asOf });
      const second = workers.analyse(store, params, { asOf, capacity: 1 });
      while (Atomics.load(hold, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(workers.size).toBe(1);
      Atomics.store(hold, 0, 1);
      Atomics.notify(hold, 0);
      const [one, two] = await Promise.all([first, second]);
      expect(Atomics.load(hold, 1)).toBe(2);
      expect(one.quarantine).not.toEqual(two.quarantine);
    } finally {
      await workers.close();
      await store.close();
    }
  });
});

describe('failures in the worker', () => {
  test('an embedded store that cannot be opened: StoreUnavailableError naming the directory', async () => {
    const notADirectory = path.join(freshDir('tracegraph-worker-file-'), 'plain-file');
    writeFileSync(notADirectory, 'not a directory');
    const workers = new AnalysisWorkers({ storeConfig: { dataDir: notADirectory, neo4j: null } });
    const failed = workers.analyse({} as TraceStore, params, { asOf: 0 });
    await expect(failed).rejects.toMatchObject({
      name: 'StoreUnavailableError',
      message: expect.stringContaining(notADirectory),
    });
    expect(isStoreUnavailable(await failed.catch((err: unknown) => err))).toBe(true);
  });

  /** The outbreak summary asked through the API by an investigator, on `service`'s analyses. */
  const askSummary = (store: TraceStore, service: AnalysisService) =>
    run(
      buildApiSchema(),
      createContext({
        store,
        viewer: { keyId: 'key-i', role: 'investigator' },
        audit: new AuditLog(),
        analysis: service,
      }),
      '{ outbreakSummary { cases } }',
    );

  test('an unreachable Neo4j: UNAVAILABLE through the API, and not remembered', async () => {
    const storeConfig: StoreConfig = {
      dataDir: '',
      neo4j: { uri: 'bolt://127.0.0.1:1', user: 'neo4j', password: 'x', database: 'neo4j' },
    };
    const store = await openEmbeddedStore(freshDir('tracegraph-worker-down-'));
    await store.write(smallDistrict());
    const service = new AnalysisService(store, { worker: { storeConfig } });
    try {
      expect(service.inWorkers).toBe(true);
      const result = await askSummary(store, service);
      expect(codes(result)).toEqual(['UNAVAILABLE']);
      await expect(service.get()).rejects.toMatchObject({ name: 'StoreUnavailableError' });
      expect(service.computations).toBe(2);
    } finally {
      await service.close();
      await store.close();
    }
  });

  test('an embedded store another process holds whole: the read is refused, STORE_BUSY through the API (try again), and not remembered', async () => {
    // The worker reads a store of its own, which another process holds in exclusive locking mode:
    // opening it, the worker's first read meets SQLITE_BUSY. (The server's store is another: a
    // connection open on the held file would keep the other process from locking it whole.)
    const storeConfig: StoreConfig = { dataDir: freshDir('tracegraph-worker-busy-'), neo4j: null };
    const held = await openEmbeddedStore(storeConfig.dataDir);
    await held.write(smallDistrict());
    await held.close();
    const holder = await lockingProcess(path.join(storeConfig.dataDir, 'tracegraph.db'), 'exclusive');
    const store = await openEmbeddedStore(freshDir('tracegraph-worker-busy-api-'));
    await store.write(smallDistrict());
    const service = new AnalysisService(store, { worker: { storeConfig } });
    try {
      const result = await askSummary(store, service);
      expect(codes(result)).toEqual(['STORE_BUSY']);
      expect(result.errors![0]!.message).toBe(
        'Another process is holding the store; nothing could be read: try again shortly.',
      );
      await expect(service.get()).rejects.toMatchObject({ name: 'StoreBusyError', refused: 'read' });
      expect(service.computations).toBe(2);
    } finally {
      await holder.kill();
      await service.close();
      await store.close();
    }
  }, 60_000);
});

describe('the server while an analysis runs in a worker (embedded store)', () => {
  const apiKeys = [{ key: 'investigator-key-9d1c', role: 'investigator' as const }];
  const key = apiKeys[0]!.key;
  const SUMMARY = { query: '{ outbreakSummary { cases closeContacts } }' };

  async function serverWithHeldWorker(): Promise<{ running: RunningApiServer; hold: Int32Array }> {
    const storeConfig: StoreConfig = { dataDir: freshDir('tracegraph-worker-api-'), neo4j: null };
    const store = await openEmbeddedStore(storeConfig.dataDir);
    await store.write(smallDistrict());
    const hold = new Int32Array(new SharedArrayBuffer(8));
    const running = await startApiServer(
      {
        store,
        storeConfig,
        apiKeys,
        logger: pino({ level: 'silent' }),
        analysis: { worker: { storeConfig, holdForTests: hold } },
      },
      { port: 0, shutdownTimeoutMs: 200 },
    );
    return { running, hold };
  }

  /** Resolves once a worker has started and is holding its thread. */
  async function workerStarted(hold: Int32Array): Promise<void> {
    while (Atomics.load(hold, 1) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  test('a store configuration alone makes the server analyse in workers', async () => {
    const storeConfig: StoreConfig = { dataDir: freshDir('tracegraph-worker-default-'), neo4j: null };
    const store = await openEmbeddedStore(storeConfig.dataDir);
    const running = await startApiServer(
      { store, storeConfig, apiKeys, logger: pino({ level: 'silent' }) },
      { port: 0 },
    );
    const inProcess = await startApiServer(
      {
        store,
        storeConfig,
        apiKeys,
        logger: pino({ level: 'silent' }),
        analysis: { inProcess: true },
        closeStore: false,
      },
      { port: 0 },
    );
    try {
      expect(running.api.analysis.inWorkers).toBe(true);
      expect(inProcess.api.analysis.inWorkers).toBe(false);
    } finally {
      await inProcess.stop();
      await running.stop();
    }
  });

  test('/health, /ready and a record query answer before the analysis finishes', async () => {
    const { running, hold } = await serverWithHeldWorker();
    try {
      let analysisDone = false;
      const analysis = postGraphQL(running.url, key, SUMMARY).finally(() => (analysisDone = true));
      await workerStarted(hold);

      const health = await fetch(`${running.url}/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      const ready = await fetch(`${running.url}/ready`);
      expect(ready.status).toBe(200);
      const person = await postGraphQL(running.url, key, { query: '{ person(id: "P3") { id name } }' });
      expect(person.body).toEqual({ data: { person: { id: 'P3', name: 'Li Wei' } } });
      expect(analysisDone).toBe(false);

      Atomics.store(hold, 0, 1);
      Atomics.notify(hold, 0);
      const answered = await analysis;
      expect(answered.body.errors).toBeUndefined();
      expect(answered.body.data.outbreakSummary.cases).toBe(smallDistrict().cases.length);
      expect(running.api.analysis.computations).toBe(1);
    } finally {
      Atomics.store(hold, 0, 1);
      Atomics.notify(hold, 0);
      await running.stop();
    }
  });

  test('stop terminates an analysis still running in its worker', async () => {
    const { running, hold } = await serverWithHeldWorker();
    const analysis = postGraphQL(running.url, key, SUMMARY).then(
      (result) => ({ answered: result.body as unknown }),
      (err: { message?: unknown }) => ({ failed: String(err.message) }),
    );
    await workerStarted(hold);
    expect(running.api.analysis.runningWorkers).toBe(1);
    await running.stop();
    // The worker was never released: only terminate() can have ended it.
    expect(Atomics.load(hold, 0)).toBe(0);
    expect(running.api.analysis.runningWorkers).toBe(0);
    // The request outlived the shutdown timeout: its connection was cut before the worker ended.
    expect(await analysis).toEqual({ failed: 'fetch failed' });
  });
});
