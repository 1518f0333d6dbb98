import fc from 'fast-check';
import type { InfectionTimePosterior } from '../../src/analysis/infection-time';
import {
  attackSettingOf,
  generationDensities,
  WholeStepDensities,
  inferInfectors,
  isWholeStepGrid,
  ratePerHour,
} from '../../src/analysis/infector';
import { computeExposures } from '../../src/analysis/exposures';
import { density } from '../../src/domain/distributions';
import type { Exposure } from '../../src/analysis/model';
import { DAY, HOUR } from '../../src/domain/time';
import type { Case, Sample } from '../../src/domain/types';
import {
  asymptomatic,
  day,
  exposure,
  lot,
  outbreak,
  params,
  positive,
  symptomatic,
  twoCandidateCases,
  withPathogen,
} from './infector-fixtures';

const noOutside = { unknownWeight: 0 };

/** Case I (onset day 10) and two possible infectors A and B with the same timing. */
function twoCandidates() {
  const { cases, exposures } = twoCandidateCases();
  return { data: outbreak({ asOf: day(20), cases }), exposures };
}

const probabilityOf = (inf: { distribution: { id: string; probability: number }[] }, id: string): number =>
  inf.distribution.find((d) => d.id === id)?.probability ?? NaN;

describe('inferInfectors', () => {
  test('throws on invalid input', () => {
    const { data, exposures } = twoCandidates();
    expect(() => inferInfectors(data, [{ ...exposures[0]!, end: day(1) }], params)).toThrow(
      /exposures\[0\].*"end" is before "start"/,
    );
    expect(() => inferInfectors(data, [{ ...exposures[0]!, minutes: -1 }], params)).toThrow(
      /exposures\[0\].*"minutes"/,
    );
    expect(() => inferInfectors(data, [{ ...exposures[0]!, sourceId: 'nobody' }], params)).toThrow(
      /names no case/,
    );
    expect(() => inferInfectors(data, [{ ...exposures[0]!, sourceId: 'I' }], params)).toThrow(
      /is the exposed person/,
    );
    expect(() =>
      inferInfectors(data, [{ ...exposures[0]!, sourceKind: 'ghost' as Exposure['sourceKind'] }], params),
    ).toThrow(/sourceKind/);
    expect(() => inferInfectors(data, exposures, params, { threshold: 1.5 })).toThrow(/threshold/);
    expect(() => inferInfectors(data, exposures, params, { unknownWeight: -1 })).toThrow(/unknownWeight/);
    expect(() =>
      inferInfectors({ ...data, cases: [...data.cases, data.cases[0]!] }, exposures, params),
    ).toThrow(/cases\[3\].*repeats case I/);
    expect(() => inferInfectors({ ...data, asOf: Number.NaN }, exposures, params)).toThrow(/asOf/);
    // Exposures of persons who are not cases are checked too.
    const ofContact = { ...exposures[0]!, personId: 'contact', sourceId: 'A' };
    expect(() => inferInfectors(data, [...exposures, { ...ofContact, minutes: -1 }], params)).toThrow(
      /exposures\[2\] \(A to contact\).*"minutes"/,
    );
    expect(() => inferInfectors(data, [...exposures, { ...ofContact, sourceId: 'contact' }], params)).toThrow(
      /is the exposed person/,
    );
  });

  test('empty input, and a case with no exposure is infected from outside', () => {
    expect(inferInfectors(outbreak({ asOf: day(20) }), [], params)).toEqual([]);
    const [only] = inferInfectors(
      outbreak({ asOf: day(20), cases: [symptomatic('A', day(5), day(6))] }),
      [],
      params,
    );
    expect(only!.best).toMatchObject({ id: 'unknown', kind: 'unknown', probability: 1 });
    expect(only!.distribution).toEqual([{ id: 'unknown', kind: 'unknown', probability: 1 }]);
  });

  test('equal timing, settings with equal typical hours: probabilities in the ratio of the attack rates', () => {
    const { data, exposures } = twoCandidates();
    const hours = {
      household: 10,
      boat: 10,
      work: 10,
      social: 10,
      care: 10,
      transport: 10,
      cold_chain: 10,
      casual: 10,
    };
    const [i] = inferInfectors(data, exposures, withPathogen({ attackRateHours: hours }), noOutside);
    expect(i!.personId).toBe('I');
    // household 42.7% against social (restaurant) 5.9%.
    expect(probabilityOf(i!, 'A')).toBeCloseTo(0.427 / (0.427 + 0.059), 12);
    expect(probabilityOf(i!, 'B')).toBeCloseTo(0.059 / (0.427 + 0.059), 12);
    expect(probabilityOf(i!, 'unknown')).toBe(0);
    expect(i!.best.id).toBe('A');
  });

  test('with the default typical hours, the rates per hour decide: 42.7%/60 h against 5.9%/3 h', () => {
    const { data, exposures } = twoCandidates();
    const [i] = inferInfectors(data, exposures, params, noOutside);
    const household = 0.427 / 60;
    const social = 0.059 / 3;
    expect(probabilityOf(i!, 'A')).toBeCloseTo(household / (household + social), 12);
    expect(i!.best).toMatchObject({ id: 'B', kind: 'case' });
    // Same timing: the same expected gap between the infections.
    const [b, a] = i!.candidates;
    expect(a!.gapDays).toBeCloseTo(b!.gapDays!, 12);
    expect(a!.gapDays!).toBeGreaterThan(0);
    expect(a!.evidence).toEqual([
      {
        setting: 'household',
        hostId: 'H',
        placeKind: 'home',
        contactSetting: null,
        start: day(5),
        end: day(9),
        minutes: 4 * 24 * 60,
        attackSetting: 'household',
        attackRate: 0.427,
        ratePerHour: household,
        daysBeforeOnset: 5,
      },
    ]);
  });

  test('a candidate isolated before the exposure gets 0', () => {
    const { data, exposures } = twoCandidates();
    // A confirmed (isolated) on day 4, before the exposure of days 5-9.
    const isolated = {
      ...data,
      cases: data.cases.map((c) => (c.personId === 'A' ? { ...c, confirmedAt: day(4) } : c)),
    };
    const [i] = inferInfectors(isolated, exposures, params, noOutside);
    expect(probabilityOf(i!, 'A')).toBe(0);
    expect(probabilityOf(i!, 'B')).toBe(1);
    // Isolated half-way through: it keeps a share, less than before.
    const halfway = {
      ...data,
      cases: data.cases.map((c) => (c.personId === 'A' ? { ...c, confirmedAt: day(7) } : c)),
    };
    const [j] = inferInfectors(halfway, exposures, params, noOutside);
    const [k] = inferInfectors(data, exposures, params, noOutside);
    expect(probabilityOf(j!, 'A')).toBeGreaterThan(0);
    expect(probabilityOf(j!, 'A')).toBeLessThan(probabilityOf(k!, 'A'));
  });

  test("a reported contact ending as the source's window opens is no evidence (regression, audit D2)", () => {
    // C1: onset day 5, so infectious from day 3 00:00. C2's social contact with C1 ends exactly
    // then; C3's lasts one minute longer. The zero-minute overlap weighed as a whole typical
    // episode made C1 C2's infector at 0.958, against 0.113 for C3's minute.
    const cases = [
      symptomatic('C1', day(5), day(6, 10)),
      symptomatic('C2', day(6), day(7, 10)),
      symptomatic('C3', day(6), day(7, 10)),
    ];
    const data = {
      ...outbreak({ asOf: day(8), cases }),
      contacts: [
        { personA: 'C1', personB: 'C2', start: day(2, 21), end: day(3), setting: 'social' as const },
        { personA: 'C1', personB: 'C3', start: day(2, 21), end: day(3) + 60_000, setting: 'social' as const },
      ],
    };
    const inferences = inferInfectors(data, computeExposures(data, params), params);
    const of = (id: string) => inferences.find((i) => i.personId === id)!;
    expect(of('C2').distribution.map((d) => d.id)).toEqual(['unknown']);
    expect(probabilityOf(of('C3'), 'C1')).toBeGreaterThan(0);
    expect(probabilityOf(of('C3'), 'C1')).toBeLessThan(0.5);
  });

  test('a reported contact recorded as an instant in the window weighs one typical episode of its setting', () => {
    const cases = [symptomatic('C1', day(5), day(6, 10)), symptomatic('C2', day(7), day(8))];
    const at = day(5, 12);
    const instant = exposure('C2', 'C1', at, at, {
      setting: 'contact',
      contactSetting: 'social',
      minutes: 0,
    });
    const episode = exposure('C2', 'C1', at, at + 3 * HOUR, {
      setting: 'contact',
      contactSetting: 'social',
      minutes: 180,
    });
    // Three hours are the social setting's typical episode: about the same weight (the instant's
    // all in one cell of the infection-time grid, the episode's spread over it).
    const data = outbreak({ asOf: day(9), cases });
    const [, byInstant] = inferInfectors(data, [instant], params);
    const [, byEpisode] = inferInfectors(data, [episode], params);
    expect(params.pathogen.attackRateHours.social).toBe(3);
    expect(probabilityOf(byInstant!, 'C1')).toBeCloseTo(probabilityOf(byEpisode!, 'C1'), 1);
    expect(probabilityOf(byInstant!, 'C1')).toBeGreaterThan(0.5);
  });

  test('a candidate infected after the case cannot be its infector', () => {
    const cases = [symptomatic('I', day(10), day(11)), symptomatic('C', day(40), day(41))];
    const [i] = inferInfectors(
      outbreak({ asOf: day(45), cases }),
      [exposure('I', 'C', day(5), day(9), { setting: 'household' })],
      params,
      {
        unknownWeight: 0.001,
      },
    );
    expect(probabilityOf(i!, 'C')).toBe(0);
    expect(i!.best.id).toBe('unknown');
  });

  test('environmental sources weigh their contamination, fading from the positive sample', () => {
    // Two lots handled at the same instant, 45 h before onset (a cell midpoint on the 6-hour grid);
    // L1 sampled positive then (contamination 1), L2 seven days later (1 − 7/14 = 1/2).
    const handledAt = day(10) - 45 * HOUR;
    const samples: Sample[] = [positive('L1', handledAt), positive('L2', handledAt + 7 * DAY)];
    const data = outbreak({
      asOf: day(20),
      cases: [symptomatic('I', day(10), day(11))],
      samples,
      items: [lot('L1'), lot('L2')],
    });
    const handled = (itemId: string): Exposure =>
      exposure('I', itemId, handledAt, handledAt, { sourceKind: 'item', setting: 'cold_chain', minutes: 0 });
    const [i] = inferInfectors(data, [handled('L1'), handled('L2')], params, noOutside);
    expect(probabilityOf(i!, 'L1')).toBeCloseTo(2 / 3, 12);
    expect(probabilityOf(i!, 'L2')).toBeCloseTo(1 / 3, 12);
    expect(i!.best).toMatchObject({ id: 'L1', kind: 'item', gapDays: null });
  });

  test('probabilities sum to 1, most likely first; only candidates at or above the threshold are listed', () => {
    const { data, exposures } = twoCandidates();
    const [i] = inferInfectors(data, exposures, params, { threshold: 0.3 });
    const total = i!.distribution.reduce((s, d) => s + d.probability, 0);
    expect(total).toBeCloseTo(1, 14);
    expect(i!.distribution.map((d) => d.id)).toEqual(['B', 'A', 'unknown']);
    expect(i!.candidates.map((c) => c.id)).toEqual(['B']);
    expect(i!.best).toEqual(i!.candidates[0]);
  });

  test('attack settings: places by kind, reported contacts by setting, environments as cold chain', () => {
    expect(attackSettingOf(exposure('I', 'A', 0, 1, { setting: 'place', placeKind: 'market' }))).toBe(
      'casual',
    );
    expect(attackSettingOf(exposure('I', 'A', 0, 1, { setting: 'place', placeKind: 'cold_storage' }))).toBe(
      'work',
    );
    expect(attackSettingOf(exposure('I', 'A', 0, 1, { setting: 'contact', contactSetting: 'care' }))).toBe(
      'care',
    );
    expect(attackSettingOf(exposure('I', 'A', 0, 1, { setting: 'contact', contactSetting: 'other' }))).toBe(
      'casual',
    );
    expect(attackSettingOf(exposure('I', 'B1', 0, 1, { sourceKind: 'boat', setting: 'boat' }))).toBe(
      'cold_chain',
    );
    expect(ratePerHour('boat', params.pathogen)).toBeCloseTo(0.85 / 48, 15);
  });
});

// ---- properties --------------------------------------------------------------------------------

const SETTINGS: Partial<Exposure>[] = [
  { setting: 'household', placeKind: 'home' },
  { setting: 'boat' },
  { setting: 'place', placeKind: 'workplace' },
  { setting: 'place', placeKind: 'market' },
  { setting: 'contact', contactSetting: 'social' },
];

const outbreakArbitrary = fc
  .record({
    people: fc.array(
      fc.record({
        symptomatic: fc.boolean(),
        onsetHour: fc.integer({ min: 48, max: 15 * 24 }),
        confirmDelayHours: fc.integer({ min: 0, max: 96 }),
      }),
      { minLength: 2, maxLength: 6 },
    ),
    links: fc.array(
      fc.record({
        a: fc.nat(),
        b: fc.nat(),
        startHour: fc.integer({ min: 0, max: 18 * 24 }),
        hours: fc.integer({ min: 0, max: 72 }),
        setting: fc.integer({ min: 0, max: SETTINGS.length - 1 }),
      }),
      { maxLength: 12 },
    ),
  })
  .map(({ people, links }) => {
    const cases: Case[] = people.map((p, k) => {
      const onset = day(0, p.onsetHour);
      const confirmedAt = onset + p.confirmDelayHours * HOUR;
      return p.symptomatic ? symptomatic(`P${k}`, onset, confirmedAt) : asymptomatic(`P${k}`, confirmedAt);
    });
    const samples = cases
      .filter((c) => c.onset === null)
      .map((c) => positive(c.personId, c.confirmedAt! - 6 * HOUR));
    const exposures: Exposure[] = [];
    for (const l of links) {
      const i = l.a % cases.length;
      const j = l.b % cases.length;
      if (i === j) continue;
      const start = day(0, l.startHour);
      exposures.push(exposure(`P${i}`, `P${j}`, start, start + l.hours * HOUR, SETTINGS[l.setting]));
    }
    return { data: outbreak({ asOf: day(25), cases, samples }), exposures };
  });

describe('inferInfectors properties', () => {
  test('every case gets probabilities in [0, 1] that sum to 1, the best first', () => {
    fc.assert(
      fc.property(outbreakArbitrary, ({ data, exposures }) => {
        for (const inf of inferInfectors(data, exposures, params)) {
          const total = inf.distribution.reduce((s, d) => s + d.probability, 0);
          if (Math.abs(total - 1) > 1e-12) return false;
          if (inf.distribution.some((d) => !(d.probability >= 0 && d.probability <= 1))) return false;
          if (inf.distribution.some((d) => d.probability > inf.best.probability)) return false;
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });

  test('a person isolated before every exposure to a case cannot have infected that case', () => {
    fc.assert(
      fc.property(outbreakArbitrary, ({ data, exposures }) => {
        const isolation = new Map(data.cases.map((c) => [c.personId, c.confirmedAt!]));
        for (const inf of inferInfectors(data, exposures, params)) {
          for (const d of inf.distribution) {
            if (d.kind !== 'case') continue;
            const theirs = exposures.filter((e) => e.personId === inf.personId && e.sourceId === d.id);
            if (theirs.every((e) => e.start >= isolation.get(d.id)!) && d.probability !== 0) return false;
          }
        }
        return true;
      }),
      { numRuns: 60 },
    );
  });
});

describe('generationDensities', () => {
  const g = (ms: number): number => density(params.pathogen.generationInterval, ms / DAY);
  const grid = (latest: number, probabilities: number[], stepMs = 6 * HOUR): InfectionTimePosterior => {
    const times = probabilities.map((_, k) => latest - (probabilities.length - 1 - k + 0.5) * stepMs);
    return { personId: 'X', times, probabilities, stepMs, latest, mean: 0, lower: 0, upper: 0, basis: '' };
  };
  const arbGrid = fc
    .record({
      latestMinutes: fc.integer({ min: 0, max: 60 * 24 * 40 }),
      weights: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), {
        minLength: 1,
        maxLength: 30,
      }),
    })
    .map(({ latestMinutes, weights }) => grid(day(0) + latestMinutes * 60_000, weights));

  test('by distance between cells on whole-step grids: the same numbers as cell by cell', () => {
    fc.assert(
      fc.property(arbGrid, arbGrid, (infectee, source) => {
        expect(isWholeStepGrid(infectee) && isWholeStepGrid(source)).toBe(true);
        const byDistance = generationDensities(infectee, source, g, true);
        const byCell = generationDensities(infectee, source, g, false);
        expect([...byDistance.densities]).toEqual([...byCell.densities]);
        expect([...byDistance.meanGap]).toEqual([...byCell.meanGap]);
      }),
      { numRuns: 300 },
    );
    const some = generationDensities(grid(day(12), [0.5, 0.5]), grid(day(8), [0.3, 0.7]), g, true);
    expect(some.densities.every((v) => v > 0)).toBe(true);
    expect(some.meanGap.every((gap) => gap > 3 * DAY && gap < 5 * DAY)).toBe(true);
  });

  test('a table shared by many pairs of grids gives each pair the numbers of its own', () => {
    // Grids of a few anchors and lengths, so that pairs share offsets, over spans that grow.
    const arbGrids = fc.array(
      fc
        .record({
          latestHours: fc.constantFrom(0, 6, 13, 30, 54, 97),
          weights: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0, max: 1, noNaN: true })), {
            minLength: 1,
            maxLength: 12,
          }),
        })
        .map(({ latestHours, weights }) => grid(day(20) + latestHours * HOUR, weights)),
      { minLength: 2, maxLength: 8 },
    );
    const arbNeeded = fc.array(fc.constantFrom(0, 0, 1), { minLength: 12, maxLength: 12 });
    let shared = 0;
    fc.assert(
      fc.property(arbGrids, fc.array(arbNeeded, { minLength: 64, maxLength: 64 }), (grids, masks) => {
        const table = new WholeStepDensities(g, 6 * HOUR);
        const offsets = new Set<number>();
        let pair = 0;
        for (const infectee of grids) {
          for (const source of grids) {
            const needed = masks[pair++ % masks.length]!.slice(0, infectee.times.length);
            const offset = infectee.times[0]! - source.times[0]!;
            if (offsets.has(offset)) shared += 1;
            offsets.add(offset);
            const withTable = generationDensities(infectee, source, g, true, needed, table);
            const alone = generationDensities(infectee, source, g, true, needed);
            const byCell = generationDensities(infectee, source, g, false, needed);
            for (const other of [alone, byCell]) {
              expect([...withTable.densities]).toEqual([...other.densities]);
              expect([...withTable.meanGap]).toEqual([...other.meanGap]);
            }
          }
        }
      }),
      { numRuns: 100 },
    );
    // The property ran over offsets met before, where the table answers from what it holds.
    expect(shared).toBeGreaterThan(500);
  });

  test('a shared table widens its span of an offset as pairs ask, keeping what it holds', () => {
    let calls = 0;
    const counted = (ms: number) => {
      calls += 1;
      return g(ms);
    };
    const table = new WholeStepDensities(counted, 6 * HOUR);
    const first = 3 * DAY + 7 * HOUR;
    const expectSpan = (from: number, to: number) => {
      const { low, values } = table.span(first, from, to);
      for (let k = from; k <= to; k++) expect(values[k - low]).toBe(g(first + k * 6 * HOUR));
    };
    expectSpan(0, 3);
    expect(calls).toBe(4);
    expectSpan(1, 2);
    expect(calls).toBe(4);
    expectSpan(-5, 10);
    expect(calls).toBe(16);
    expectSpan(-5, 10);
    expect(calls).toBe(16);
    // Another offset has a span of its own.
    table.span(first + HOUR, 0, 0);
    expect(calls).toBe(17);
  });

  test('cell by cell when a grid is not on whole milliseconds or the steps differ', () => {
    const uneven = grid(day(10), [0.5, 0.5], HOUR / 7);
    expect(isWholeStepGrid(uneven)).toBe(false);
    expect(isWholeStepGrid({ ...grid(day(10), [0.5, 0.5]), times: [day(9), day(9) + 7 * HOUR] })).toBe(false);
    expect(isWholeStepGrid(grid(day(10), [0.2, 0.3, 0.5]))).toBe(true);
    // Steps of 6 and 3 hours: gaps are not a function of the distance between indices.
    const infectee = grid(day(12), [0.1, 0.2, 0.3, 0.4]);
    const source = grid(day(8), [0.25, 0.25, 0.25, 0.25], 3 * HOUR);
    const result = generationDensities(infectee, source, g, true);
    for (let a = 0; a < infectee.times.length; a++) {
      let sum = 0;
      for (let b = 0; b < source.times.length; b++)
        sum += source.probabilities[b]! * g(Math.round(infectee.times[a]! - source.times[b]!));
      expect(result.densities[a]).toBe(sum);
    }
  });

  test('only the needed cells: the same numbers there, 0 elsewhere, on either path', () => {
    const arbNeeded = fc.array(fc.constantFrom(0, 0, 1, 2.5), { minLength: 30, maxLength: 30 });
    fc.assert(
      fc.property(arbGrid, arbGrid, arbNeeded, fc.boolean(), (infectee, source, mask, wholeSteps) => {
        const needed = mask.slice(0, infectee.times.length);
        const all = generationDensities(infectee, source, g, wholeSteps);
        const some = generationDensities(infectee, source, g, wholeSteps, needed);
        for (let a = 0; a < infectee.times.length; a++) {
          expect(some.densities[a]).toBe(needed[a] === 0 ? 0 : all.densities[a]);
          expect(some.meanGap[a]).toBe(needed[a] === 0 ? 0 : all.meanGap[a]);
        }
      }),
      { numRuns: 300 },
    );
    const infectee = grid(day(12), [0.25, 0.25, 0.25, 0.25]);
    const source = grid(day(9), [0.5, 0.5]);
    const middle = generationDensities(infectee, source, g, true, [0, 1, 1, 0]);
    expect([...middle.densities].map((v) => v > 0)).toEqual([false, true, true, false]);
    expect([...generationDensities(infectee, source, g, true, [0, 0, 0, 0]).densities]).toEqual([0, 0, 0, 0]);
  });
});
