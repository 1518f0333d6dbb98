/**
 * The cases' infectious windows, worked out once per analysis (`caseWindows`,
 * src/analysis/infectious-window.ts) and handed to each step that reads one: each step reads the
 * table it is given, and an analysis works the windows out once, with the results each step gives
 * working them out itself.
 */
import { simulate, snapshot } from '../../bench/validation/simulate';
import { analyseData } from '../../src/analysis/analyse';
import { buildChains } from '../../src/analysis/chains';
import { computeExposures } from '../../src/analysis/exposures';
import * as infectiousWindowModule from '../../src/analysis/infectious-window';
import { caseWindows, type CaseWindows } from '../../src/analysis/infectious-window';
import { inferInfectors } from '../../src/analysis/infector';
import { riskAreas } from '../../src/analysis/risk-areas';
import { assignTiers } from '../../src/analysis/tiers';
import { resolveParameters } from '../../src/domain/parameters';
import { evidence, inference } from './infector-fixtures';
import { aug, confirmedCase, outbreak, person, place, positive, stay } from './outbreak-fixtures';

const params = resolveParameters();

/**
 * A (onset 5 August, confirmed 6 August 10:00: infectious from 3 August) at restaurant R1 with B
 * on 4 August, which makes B a close contact; B (onset 9 August, confirmed 10 August: infectious
 * from 7 August) met X on 6 August, before its window opened.
 */
function restaurantOutbreak() {
  return outbreak({
    asOf: aug(12),
    cases: [confirmedCase('A', aug(5), aug(6, '10:00')), confirmedCase('B', aug(9), aug(10))],
    samples: [positive('A', aug(6, '08:00')), positive('B', aug(10, '08:00'))],
    persons: [person('A', 'HA'), person('B', 'HB'), person('X', 'HX')],
    places: [place('HA', 'home'), place('HB', 'home'), place('HX', 'home'), place('R1', 'restaurant')],
    stays: [
      stay('A', 'R1', aug(4, '09:00'), aug(4, '10:00')),
      stay('B', 'R1', aug(4, '09:00'), aug(4, '10:00')),
    ],
    contacts: [
      { personA: 'B', personB: 'X', start: aug(6, '12:00'), end: aug(6, '13:00'), setting: 'social' },
    ],
  });
}

/** `windows` with the window of `personId` changed by `change`. */
function withWindow(
  windows: CaseWindows,
  personId: string,
  change: { from?: number; to?: number },
): CaseWindows {
  const changed = new Map(windows);
  changed.set(personId, { ...windows.get(personId)!, ...change, basis: 'given' });
  return changed;
}

describe('each step reads the windows it is given', () => {
  const data = restaurantOutbreak();
  const windows = caseWindows(data, params);
  /** A's window opened after the restaurant. */
  const openedLater = withWindow(windows, 'A', { from: aug(5) });

  test('the table is the cases’ windows, by person id', () => {
    expect([...windows.keys()]).toEqual(['A', 'B']);
    expect(windows.get('A')).toMatchObject({ from: aug(3), to: aug(6, '10:00') });
    expect(windows.get('B')).toMatchObject({ from: aug(7), to: aug(10) });
  });

  test('exposures', () => {
    const toA = (exposures: ReturnType<typeof computeExposures>) =>
      exposures.filter((e) => e.sourceId === 'A').map((e) => [e.personId, e.hostId]);
    expect(toA(computeExposures(data, params))).toEqual([['B', 'R1']]);
    expect(toA(computeExposures(data, params, {}, windows))).toEqual([['B', 'R1']]);
    expect(toA(computeExposures(data, params, {}, openedLater))).toEqual([]);
  });

  test('risk areas', () => {
    const restaurant = (given?: CaseWindows) =>
      riskAreas(data, params, {}, given).find((area) => area.placeId === 'R1')?.caseIds;
    expect(restaurant()).toEqual(['A']);
    expect(restaurant(windows)).toEqual(['A']);
    expect(restaurant(openedLater)).toBeUndefined();
  });

  test('chains: the consistency flags', () => {
    const inferences = [
      inference('A', []),
      inference('B', [['A', 'case', 0.9]], aug(1), [evidence(aug(4, '09:00'), aug(4, '10:00'))]),
    ];
    const flags = (given?: CaseWindows) =>
      buildChains(data, inferences, params, data.asOf, {}, given).chains.flatMap((c) =>
        c.links.map((l) => l.flags),
      );
    expect(flags()).toEqual([[]]);
    expect(flags(windows)).toEqual([[]]);
    expect(flags(openedLater)).toEqual([['exposure-outside-infectious-window']]);
    expect(flags(withWindow(windows, 'A', { to: aug(4, '08:00') }))).toEqual([['after-infector-isolation']]);
  });

  test('infectors: a case infects no one after its window closes', () => {
    const exposures = computeExposures(data, params);
    const infectorOfB = (given?: CaseWindows) =>
      inferInfectors(data, exposures, params, {}, given).find((i) => i.personId === 'B')!.best;
    expect(infectorOfB()).toMatchObject({ id: 'A', kind: 'case' });
    expect(infectorOfB(windows)).toEqual(infectorOfB());
    expect(infectorOfB(withWindow(windows, 'A', { to: aug(4, '08:00') }))).toMatchObject({ kind: 'unknown' });
  });

  test('tiers: a close contact turned positive upgrades those it met until its window opened', () => {
    const exposures = computeExposures(data, params);
    const tierOfX = (given?: CaseWindows) =>
      assignTiers(data, exposures, params, {}, given).find((e) => e.personId === 'X')?.tier;
    expect(tierOfX()).toBe('close_contact');
    expect(tierOfX(windows)).toBe('close_contact');
    // Had B's window opened on 5 August, the meeting would have been in it, not before it.
    expect(tierOfX(withWindow(windows, 'B', { from: aug(5) }))).toBeUndefined();
  });
});

describe('one analysis works out the windows once', () => {
  const sim = simulate({ seed: 'windows', source: 'boat', households: 120 }, params);
  const data = snapshot(sim, aug(20));

  test('the windows are worked out once, and every step gives what it gives on its own', () => {
    const spies = (
      ['caseWindows', 'windowsOfCases', 'infectiousWindow', 'isolationStaysOfCases'] as const
    ).map((name) => [name, jest.spyOn(infectiousWindowModule, name)] as const);
    let analysis;
    let calls;
    try {
      analysis = analyseData(data, params, { asOf: data.asOf });
      calls = spies.map(([name, spy]) => [name, spy.mock.calls.length]);
    } finally {
      for (const [, spy] of spies) spy.mockRestore();
    }
    // Calls from other modules: the table's own work (per case, isolation stays) is inside it.
    expect(calls).toEqual([
      ['caseWindows', 1],
      ['windowsOfCases', 0],
      ['infectiousWindow', 0],
      ['isolationStaysOfCases', 0],
    ]);
    expect(data.cases.length).toBeGreaterThan(5);
    expect(analysis.chains.chains.some((c) => c.links.length > 0)).toBe(true);
    expect(analysis.windows).toEqual(caseWindows(data, params));
    expect(analysis.exposures).toEqual(computeExposures(data, params));
    expect(analysis.tiers).toEqual(assignTiers(data, analysis.exposures, params));
    expect(analysis.inferences).toEqual(inferInfectors(data, analysis.exposures, params));
    expect(analysis.chains).toEqual(buildChains(data, analysis.inferences, params, data.asOf));
    expect(analysis.riskAreas).toEqual(riskAreas(data, params, { asOf: data.asOf }));
  });
});
