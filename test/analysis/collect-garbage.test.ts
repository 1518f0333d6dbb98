import { analyseOutbreak, type AnalysisPhase } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import {
  COLLECT_GARBAGE_MIN_EXPOSURES,
  collectsGarbage,
  exposedCollector,
} from '../../src/analysis/collect-garbage';
import { resolveParameters } from '../../src/domain/parameters';
import type { TraceStore } from '../../src/store/port';
import { embeddedStoreWith, type TempStore } from '../store/temp-store';
import { threeCaseOutbreak } from '../api/outbreak-fixture';

const scope = globalThis as { gc?: unknown };
const ownCollector = scope.gc;
afterEach(() => {
  scope.gc = ownCollector;
});

describe('collectsGarbage', () => {
  test("collects from COLLECT_GARBAGE_MIN_EXPOSURES up when 'auto' or not chosen, always when chosen, never when not", () => {
    const many = COLLECT_GARBAGE_MIN_EXPOSURES;
    expect([collectsGarbage('auto', many), collectsGarbage(undefined, many)]).toEqual([true, true]);
    expect([collectsGarbage('auto', many - 1), collectsGarbage(undefined, many - 1)]).toEqual([false, false]);
    expect([collectsGarbage(true, 0), collectsGarbage(false, many)]).toEqual([true, false]);
  });
});

describe('exposedCollector', () => {
  test('is the gc node exposes with --expose-gc, or null when there is none', () => {
    const gc = jest.fn();
    scope.gc = gc;
    expect(exposedCollector()).toBe(gc);
    scope.gc = undefined;
    expect(exposedCollector()).toBeNull();
    scope.gc = 'not a function';
    expect(exposedCollector()).toBeNull();
  });
});

describe('analyseOutbreak, collecting during and after the load and after the analysis', () => {
  let temp: TempStore;
  let store: TraceStore;
  beforeAll(async () => {
    temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-collect-');
    store = temp.store;
  });
  afterAll(() => temp.dispose());

  /** The phases told so far, at each collection. */
  let phases: AnalysisPhase[] = [];

  async function analyse(collectGarbage: boolean | 'auto') {
    phases = [];
    const analysis = await analyseOutbreak(store, resolveParameters(), {
      asOf: await latestCaseAsOf(store),
      collectGarbage,
      onPhase: (phase) => phases.push(phase),
    });
    return { analysis, phases };
  }

  test("collects halfway through the load, right after it and after the last phase when chosen; not on a small load left to 'auto'; the analysis is the same", async () => {
    const toldAtCollection: AnalysisPhase[][] = [];
    const gc = jest.fn(() => void toldAtCollection.push([...phases]));
    scope.gc = gc;
    const collected = await analyse(true);
    expect(gc).toHaveBeenCalledTimes(3);
    expect(collected.phases.slice(0, 3)).toEqual(['load', 'load garbage', 'exposures']);
    expect(collected.phases.slice(-2)).toEqual(['clusters', 'analysis garbage']);
    // Once the load has its exposures (before it ends), as it ends, and after the last phase.
    expect(toldAtCollection).toEqual([[], ['load'], collected.phases.slice(0, -1)]);

    const auto = await analyse('auto');
    expect(gc).toHaveBeenCalledTimes(3);
    expect(auto.phases).not.toContain('load garbage');
    expect(auto.phases).not.toContain('analysis garbage');
    expect(auto.analysis).toEqual(collected.analysis);
  });

  test('without a collector exposed, chosen or not, nothing is collected and the analysis runs', async () => {
    scope.gc = undefined;
    const { analysis, phases } = await analyse(true);
    expect(phases[0]).toBe('load');
    expect(phases).not.toContain('load garbage');
    expect(phases).not.toContain('analysis garbage');
    expect(analysis.data.cases.length).toBeGreaterThan(0);
  });
});
