/**
 * `analyseOutbreak` with the infectors inferred in a worker: on a store that reads in this thread,
 * started as soon as the load knows the exposures, beside the rest of the load; on one that reads in
 * a server, after the load; the same analysis as in this thread either way; stopped when the load
 * fails after it started.
 */
import { analyseOutbreak, type AnalysisPhase } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import * as infectionTime from '../../src/analysis/infection-time';
import * as infectiousWindow from '../../src/analysis/infectious-window';
import * as infectorInWorker from '../../src/analysis/infector-in-worker';
import type { PendingWork } from '../../src/analysis/in-worker';
import type { InferencesFromWorker } from '../../src/analysis/infector-in-worker';
import { resolveParameters } from '../../src/domain/parameters';
import type { TraceStore } from '../../src/store/port';
import { threeCaseOutbreak } from '../api/outbreak-fixture';
import { embeddedStoreWith, type TempStore } from '../store/temp-store';

const params = resolveParameters();

/**
 * The store, with each call it is asked for written to `calls` by name, and `failing` (a method's
 * name) rejecting with an error of its own.
 */
function recording(
  store: TraceStore,
  calls: string[],
  failing: string | null = null,
  readsInThisThread = store.readsInThisThread,
): TraceStore {
  return new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'readsInThisThread') return readsInThisThread;
      const value: unknown = Reflect.get(target, name, receiver);
      if (typeof value !== 'function' || typeof name !== 'string') return value;
      return (...args: unknown[]): unknown => {
        calls.push(name);
        if (name === failing) return Promise.reject(new Error(`${name}: the store went away`));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Spies on the infector workers started, with each stop written to `stopped`. */
function spyOnInferenceWorkers(calls: string[]) {
  const started: PendingWork<InferencesFromWorker>[] = [];
  const stopped: PendingWork<InferencesFromWorker>[] = [];
  const original = infectorInWorker.inferInfectorsInWorker;
  const spy = jest.spyOn(infectorInWorker, 'inferInfectorsInWorker').mockImplementation((...args) => {
    calls.push('infector worker');
    const pending = original(...args);
    started.push(pending);
    return {
      result: pending.result,
      stop: () => {
        stopped.push(pending);
        pending.stop();
      },
    };
  });
  return { started, stopped, restore: () => spy.mockRestore() };
}

describe('analyseOutbreak with the infectors inferred in a worker', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-analyse-outbreak-');
  });
  afterAll(() => temp.dispose());

  test('the worker starts during the load, once its exposures are known, and the analysis is the one made in this thread', async () => {
    const asOf = await latestCaseAsOf(temp.store);
    const calls: string[] = [];
    const phases: AnalysisPhase[] = [];
    const workers = spyOnInferenceWorkers(calls);
    let inWorker;
    try {
      inWorker = await analyseOutbreak(recording(temp.store, calls), params, {
        asOf,
        infectorWorker: true,
        onPhase: (phase) => phases.push(phase),
      });
    } finally {
      workers.restore();
    }
    expect(workers.started).toHaveLength(1);
    expect(workers.stopped).toHaveLength(0);
    // Started after the reads the exposures come from, before the reads that follow them
    // (the exposed persons' homes), all before the load ended.
    const startedAt = calls.indexOf('infector worker');
    expect(calls.slice(0, startedAt)).toContain('staysAtHosts');
    expect(calls.slice(startedAt)).toContain('residentsOf');
    expect(calls.slice(startedAt)).toContain('placesOfKind');
    // Told as before: the seconds of the inference after the tiers, then the wait for it.
    expect(phases.indexOf('infectors')).toBe(phases.indexOf('tiers') + 1);
    expect(phases.indexOf('infectors wait')).toBe(phases.indexOf('infectors') + 1);

    const here = await analyseOutbreak(temp.store, params, { asOf, infectorWorker: false });
    expect(here.inferences.length).toBeGreaterThan(0);
    expect(here.inferences.some((i) => i.best.kind === 'case')).toBe(true);
    expect(inWorker).toEqual(here);
  });

  test('a load that fails after the worker started fails with its own error and stops the worker', async () => {
    const asOf = await latestCaseAsOf(temp.store);
    const calls: string[] = [];
    const workers = spyOnInferenceWorkers(calls);
    try {
      await expect(
        analyseOutbreak(recording(temp.store, calls, 'placesOfKind'), params, { asOf, infectorWorker: true }),
      ).rejects.toThrow('placesOfKind: the store went away');
    } finally {
      workers.restore();
    }
    expect(workers.started).toHaveLength(1);
    expect(workers.stopped).toEqual(workers.started);
  });

  test("on a store that reads in a server's thread, the worker starts after the load, and the analysis is the same", async () => {
    const asOf = await latestCaseAsOf(temp.store);
    const calls: string[] = [];
    const workers = spyOnInferenceWorkers(calls);
    let afterLoad;
    try {
      afterLoad = await analyseOutbreak(recording(temp.store, calls, null, false), params, {
        asOf,
        infectorWorker: true,
      });
    } finally {
      workers.restore();
    }
    expect(workers.started).toHaveLength(1);
    // Every read of the load came first.
    expect(calls.at(-1)).toBe('infector worker');
    expect(calls).toContain('placesOfKind');
    expect(afterLoad).toEqual(await analyseOutbreak(temp.store, params, { asOf, infectorWorker: false }));
  });

  test("left to 'auto', a small load infers in this thread: no worker, no wait", async () => {
    const asOf = await latestCaseAsOf(temp.store);
    const calls: string[] = [];
    const phases: AnalysisPhase[] = [];
    const workers = spyOnInferenceWorkers(calls);
    try {
      await analyseOutbreak(temp.store, params, { asOf, onPhase: (phase) => phases.push(phase) });
    } finally {
      workers.restore();
    }
    expect(workers.started).toHaveLength(0);
    expect(phases).toContain('infectors');
    expect(phases).not.toContain('infectors wait');
  });
});

describe('analyseOutbreak does not work out again what the load has', () => {
  let temp: TempStore;
  beforeAll(async () => {
    temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-analyse-once-');
  });
  afterAll(() => temp.dispose());

  test("the infection times once, by the load; the cases' windows once in the analysis", async () => {
    const asOf = await latestCaseAsOf(temp.store);
    const spied = [
      ...(['infectionTimesOfCases', 'inferInfectionTime'] as const).map(
        (name) => [name, jest.spyOn(infectionTime, name)] as const,
      ),
      ...(
        [
          'caseWindows',
          'windowsOfCases',
          'infectiousWindow',
          'isolationStaysOfCases',
          'samplesOfCases',
        ] as const
      ).map((name) => [name, jest.spyOn(infectiousWindow, name)] as const),
    ];
    let analysis;
    let calls;
    try {
      analysis = await analyseOutbreak(temp.store, params, { asOf, infectorWorker: false });
      calls = spied.map(([name, spy]) => [name, spy.mock.calls.length]);
    } finally {
      for (const [, spy] of spied) spy.mockRestore();
    }
    // Calls from other modules: the tables' own work, case by case, is inside them.
    expect(calls).toEqual([
      ['infectionTimesOfCases', 1],
      ['inferInfectionTime', 0],
      // The analysis's table.
      ['caseWindows', 1],
      // The load's: from the samples alone, to know what to fetch; then with the stays fetched,
      // for its exposures.
      ['windowsOfCases', 2],
      ['infectiousWindow', 0],
      ['isolationStaysOfCases', 1],
      // The load's, grouping its early samples once for its windows, infection times and
      // backward tracing (the chains are given the table, and group none).
      ['samplesOfCases', 1],
    ]);
    expect(analysis.inferences.some((i) => i.best.kind === 'case')).toBe(true);
  });
});
