/**
 * The analysis service: one computation per (asOf, capacity) shared by concurrent requests,
 * least recently used dropped, too old recomputed, failures remembered briefly (unless the store
 * was down), everything dropped after a write through the API; the default as-of instant from the
 * latest case.
 */
import { GraphQLError } from 'graphql';
import type { Analysis } from '../../src/analysis/analyse';
import { AuditLog } from '../../src/api/audit-log';
import { createContext } from '../../src/api/context.type';
import { buildApiSchema } from '../../src/api/schema';
import { AnalysisService, type Analyse } from '../../src/api/services/analysis.service';
import { StoreUnavailableError } from '../../src/domain/errors';
import type { Case } from '../../src/domain/types';
import type { TraceStore } from '../../src/store/port';
import { t } from '../store/fixtures';
import { embeddedStoreWith, run, type Json, type TempStore } from './helpers';
import { threeCaseOutbreak } from './outbreak-fixture';

/** A store that only lists cases (all the service itself reads). */
function casesStore(cases: Case[]): TraceStore {
  return { listCases: async () => cases } as unknown as TraceStore;
}

/** An engine whose runs are recorded and finished by hand. */
function manualEngine() {
  const runs: { asOf: number; capacity: number | null; finish(): void; fail(err: Error): void }[] = [];
  const analyse: Analyse = (_store, _params, options) =>
    new Promise<Analysis>((resolve, reject) => {
      runs.push({
        asOf: options.asOf,
        capacity: options.capacity ?? null,
        finish: () => resolve({ asOf: options.asOf } as Analysis),
        fail: reject,
      });
    });
  return { analyse, runs };
}

const CASES: Case[] = [
  {
    personId: 'A',
    classification: 'confirmed',
    onset: t('2022-08-01'),
    confirmedAt: t('2022-08-02T20:00:00+08:00'),
  },
  { personId: 'B', classification: 'asymptomatic', onset: null, confirmedAt: t('2022-08-04T09:00:00+08:00') },
];
const END_OF_4_AUG = t('2022-08-05') - 1;

describe('the analysis service', () => {
  test('concurrent requests for one key share one computation; another capacity is another', async () => {
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(CASES), { analyse: engine.analyse });
    const first = service.get();
    const second = service.get({ capacity: null });
    const third = service.get({ asOf: END_OF_4_AUG, capacity: 5 });
    await new Promise((resolve) => setImmediate(resolve));
    // The run with its instant given starts first: the default instant is read from the store.
    expect(engine.runs.map((r) => [r.asOf, r.capacity])).toEqual([
      [END_OF_4_AUG, 5],
      [END_OF_4_AUG, null],
    ]);
    engine.runs.forEach((r) => r.finish());
    const [a, b, c] = await Promise.all([first, second, third]);
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a.key).toEqual({ asOf: END_OF_4_AUG, capacity: null });
    expect(c.key).toEqual({ asOf: END_OF_4_AUG, capacity: 5 });
    expect(service.computations).toBe(2);
    expect(await service.get()).toBe(a);
    expect(service.computations).toBe(2);
  });

  test('invalidate() drops every analysis and the default as-of instant', async () => {
    const cases = [...CASES];
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(cases), { analyse: engine.analyse });
    const before = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[0]!.finish();
    await before;
    cases.push({ personId: 'C', classification: 'confirmed', onset: t('2022-08-06'), confirmedAt: null });
    expect((await service.keyOf()).asOf).toBe(END_OF_4_AUG);
    service.invalidate();
    expect((await service.keyOf()).asOf).toBe(t('2022-08-07') - 1);
    const after = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[1]!.finish();
    expect((await after).key.asOf).toBe(t('2022-08-07') - 1);
    expect(service.computations).toBe(2);
  });

  test('a computation that failed because the store was down is not kept', async () => {
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(CASES), { analyse: engine.analyse });
    const failing = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[0]!.fail(new StoreUnavailableError('connection refused'));
    await expect(failing).rejects.toThrow('connection refused');
    const retry = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[1]!.finish();
    await expect(retry).resolves.toMatchObject({ key: { asOf: END_OF_4_AUG } });
    expect(service.computations).toBe(2);
  });

  test('a failure other than the store being down is remembered for failureMaxAgeMs, then tried again', async () => {
    let now = 1_000;
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(CASES), {
      analyse: engine.analyse,
      failureMaxAgeMs: 30_000,
      now: () => now,
    });
    const failing = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    now += 5_000; // the run took 5 s: the failure is remembered from when it failed
    engine.runs[0]!.fail(new RangeError('engine broke'));
    await expect(failing).rejects.toThrow('engine broke');
    now += 30_000;
    await expect(service.get()).rejects.toThrow('engine broke');
    await expect(service.get({ capacity: null })).rejects.toThrow('engine broke');
    expect(service.computations).toBe(1);
    now += 1;
    const retry = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[1]!.finish();
    await expect(retry).resolves.toMatchObject({ key: { asOf: END_OF_4_AUG } });
    expect(service.computations).toBe(2);
  });

  test('a remembered failure is dropped by a write (invalidate)', async () => {
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(CASES), { analyse: engine.analyse });
    const failing = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[0]!.fail(new Error('engine broke'));
    await expect(failing).rejects.toThrow('engine broke');
    await expect(service.get()).rejects.toThrow('engine broke');
    expect(service.computations).toBe(1);
    service.invalidate();
    const retry = service.get();
    await new Promise((resolve) => setImmediate(resolve));
    engine.runs[1]!.finish();
    await expect(retry).resolves.toBeDefined();
    expect(service.computations).toBe(2);
  });

  test('least recently used dropped past maxEntries; older than maxAgeMs computed again', async () => {
    let now = 1_000;
    const engine = manualEngine();
    const service = new AnalysisService(casesStore(CASES), {
      analyse: engine.analyse,
      maxEntries: 2,
      maxAgeMs: 60_000,
      now: () => now,
    });
    const settle = async (asOf: number) => {
      const p = service.get({ asOf });
      await new Promise((resolve) => setImmediate(resolve));
      engine.runs.at(-1)!.finish();
      return p;
    };
    await settle(1);
    await settle(2);
    await service.get({ asOf: 1 }); // 1 is now the most recently used
    await settle(3); // drops 2
    expect(service.computations).toBe(3);
    await service.get({ asOf: 1 });
    await service.get({ asOf: 3 });
    expect(service.computations).toBe(3);
    await settle(2);
    expect(service.computations).toBe(4);
    now += 60_001;
    await settle(2);
    expect(service.computations).toBe(5);
  });

  test('the default as-of instant: the end of the day of the latest onset or confirmation; now without cases', async () => {
    expect((await new AnalysisService(casesStore(CASES)).keyOf()).asOf).toBe(END_OF_4_AUG);
    const empty = new AnalysisService(casesStore([]), { now: () => 42 });
    expect(await empty.keyOf()).toEqual({ asOf: 42, capacity: null });
  });

  test('a capacity that is not a bed count is refused', async () => {
    const service = new AnalysisService(casesStore(CASES));
    for (const capacity of [-1, 2.5]) {
      const refused = service.keyOf({ capacity });
      await expect(refused).rejects.toBeInstanceOf(GraphQLError);
      await expect(refused).rejects.toMatchObject({
        message: 'capacity: must be a whole number of beds (0 or more)',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });

  test('an instant outside the years 1900 to 2199 is refused before any analysis runs', async () => {
    const service = new AnalysisService(casesStore(CASES));
    for (const [asOf, text] of [
      [Date.UTC(9999, 11, 31, 23, 59, 59), '9999-12-31T23:59:59.000Z'],
      [Date.UTC(1899, 11, 31), '1899-12-31T00:00:00.000Z'],
    ] as const) {
      const refused = service.get({ asOf });
      await expect(refused).rejects.toBeInstanceOf(GraphQLError);
      await expect(refused).rejects.toMatchObject({
        message: `asOf: ${text} is outside the years 1900 to 2199`,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    expect(service.computations).toBe(0);
    // The last instant of 2199 in the district's time is taken.
    const last = Date.parse('2199-12-31T23:59:59.999+08:00');
    expect((await service.keyOf({ asOf: last })).asOf).toBe(last);
  });
});

describe('the cache behind the schema', () => {
  const schema = buildApiSchema();
  let temp: TempStore;
  let store: TraceStore;

  beforeAll(async () => {
    temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-api-cache-');
    store = temp.store;
  });
  afterAll(() => temp.dispose());

  test('queries share the analysis until a mutation writes; a refused mutation keeps it', async () => {
    const service = new AnalysisService(store);
    const audit = new AuditLog();
    const ctx = () =>
      createContext({ store, viewer: { keyId: 'key-i', role: 'investigator' }, audit, analysis: service });
    const SUMMARY = '{ outbreakSummary { asOf cases } case(personId: "E") { generation infector { id } } }';

    const [one, two] = await Promise.all([run(schema, ctx(), SUMMARY), run(schema, ctx(), SUMMARY)]);
    expect(one.data).toEqual(two.data);
    expect((one.data as Json).outbreakSummary).toEqual({ asOf: '2022-08-07T15:59:59.999Z', cases: 3 });
    expect((one.data as Json).case).toBeNull();
    expect(service.computations).toBe(1);
    await run(schema, ctx(), '{ transmissionChains { totalCount } riskAreas { placeId } }');
    expect(service.computations).toBe(1);

    const refused = await run(
      schema,
      ctx(),
      'mutation { upsertCases(cases: [{ personId: "E", classification: ASYMPTOMATIC, onset: "2022-08-05" }]) { personId } }',
    );
    expect(refused.errors?.[0]?.message).toBe('cases[0].onset: an asymptomatic case has no onset');
    await run(schema, ctx(), '{ outbreakSummary { cases } }');
    expect(service.computations).toBe(1);

    // E, venue-exposed by B at the market on 2 Aug, is confirmed on 5 Aug.
    const written = await run(
      schema,
      ctx(),
      'mutation { upsertCases(cases: [{ personId: "E", classification: ASYMPTOMATIC, confirmedAt: "2022-08-05T10:00:00+08:00" }]) { personId } }',
    );
    expect(written.errors).toBeUndefined();
    const after = await run(schema, ctx(), SUMMARY);
    expect(service.computations).toBe(2);
    expect((after.data as Json).outbreakSummary).toEqual({ asOf: '2022-08-07T15:59:59.999Z', cases: 4 });
    expect((after.data as Json).case).toMatchObject({ generation: 2, infector: { id: 'B' } });
  });
});
