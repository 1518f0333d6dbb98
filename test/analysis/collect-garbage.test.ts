import { analyseOutbreak, type AnalysisPhase } from '../../src/analysis/analyse';
import { latestCaseAsOf } from '../../src/analysis/as-of';
import {
  COLLECT_AFTER_LOAD_MIN_EXPOSURES,
  collectsAfterLoad,
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

describe('collectsAfterLoad', () => {
  test("collects from COLLECT_AFTER_LOAD_MIN_EXPOSURES up when 'auto' or not chosen, always when chosen, never when not", () => {
    const many = COLLECT_AFTER_LOAD_MIN_EXPOSURES;
    expect([collectsAfterLoad('auto', many), collectsAfterLoad(undefined, many)]).toEqual([true, true]);
    expect([collectsAfterLoad('auto', many - 1), collectsAfterLoad(undefined, many - 1)]).toEqual([
      false,
      false,
    ]);
    expect([collectsAfterLoad(true, 0), collectsAfterLoad(false, many)]).toEqual([true, false]);
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

describe('analyseOutbreak, collecting after the load', () => {
  let temp: TempStore;
  let store: TraceStore;
  beforeAll(async () => {
    temp = await embeddedStoreWith(threeCaseOutbreak(), 'tracegraph-collect-');
    store = temp.store;
  });
  afterAll(() => temp.dispose());

  async function analyse(collectAfterLoad: boolean | 'auto') {
    const phases: AnalysisPhase[] = [];
    const analysis = await analyseOutbreak(store, resolveParameters(), {
      asOf: await latestCaseAsOf(store),
      collectAfterLoad,
      onPhase: (phase) => phases.push(phase),
    });
    return { analysis, phases };
  }

  test("collects once, right after the load, when chosen; not on a small load left to 'auto'; the analysis is the same", async () => {
    const gc = jest.fn();
    scope.gc = gc;
    const collected = await analyse(true);
    expect(gc).toHaveBeenCalledTimes(1);
    expect(collected.phases.slice(0, 3)).toEqual(['load', 'load garbage', 'exposures']);

    const auto = await analyse('auto');
    expect(gc).toHaveBeenCalledTimes(1);
    expect(auto.phases).not.toContain('load garbage');
    expect(auto.analysis).toEqual(collected.analysis);
  });

  test('without a collector exposed, chosen or not, nothing is collected and the analysis runs', async () => {
    scope.gc = undefined;
    const { analysis, phases } = await analyse(true);
    expect(phases[0]).toBe('load');
    expect(phases).not.toContain('load garbage');
    expect(analysis.data.cases.length).toBeGreaterThan(0);
  });
});
