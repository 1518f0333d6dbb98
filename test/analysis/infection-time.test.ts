import { inferInfectionTime } from '../../src/analysis/infection-time';
import { DAY, HOUR } from '../../src/domain/time';
import type { Case } from '../../src/domain/types';
import {
  asymptomatic,
  day,
  negative,
  params,
  positive,
  symptomatic,
  withPathogen,
} from './infector-fixtures';

// A lognormal with median 1.5 days and sdlog ln 3: its density at e^μ and e^(μ+σ) (1.5 and 4.5
// days) are in the ratio e^(σ + 1/2) = 3√e, and its cdf at 0.5, 1.5, 2.5 and 4.5 days is
// Φ(−1), 1/2, Φ(ln(5/3)/ln 3) and Φ(1).
const wide = { family: 'lognormal' as const, meanlog: Math.log(1.5), sdlog: Math.log(3) };
const PHI_MINUS_1 = 0.15865525393145707;
const PHI_1 = 0.8413447460685429;
const PHI_Z = 0.6790247904379199; // Φ(0.46497...)
const daily = { stepHours: 24 };

/** Probability of the cell whose midpoint is `delayDays` before `latest`. */
function at(posterior: ReturnType<typeof inferInfectionTime>, delayDays: number): number {
  const i = posterior.times.findIndex((t) => Math.abs(posterior.latest - t - delayDays * DAY) < 1000);
  if (i < 0) throw new Error(`no cell ${delayDays} days before the bound`);
  return posterior.probabilities[i]!;
}

describe('inferInfectionTime', () => {
  test('throws on invalid input', () => {
    const bad: Case = { personId: 'A', classification: 'confirmed', onset: Number.NaN, confirmedAt: null };
    expect(() => inferInfectionTime(bad, [], params, day(20))).toThrow(/case A: field "onset"/);
    expect(() => inferInfectionTime({ ...bad, personId: '' }, [], params, day(20))).toThrow(/personId/);
    const ok = symptomatic('A', day(5));
    expect(() => inferInfectionTime(ok, [], params, Number.NaN)).toThrow(/asOf/);
    expect(() => inferInfectionTime(ok, [], params, day(20), { stepHours: 0 })).toThrow(/stepHours/);
    expect(() => inferInfectionTime(ok, [], params, day(20), { lookbackQuantile: 1 })).toThrow(
      /lookbackQuantile/,
    );
    expect(() =>
      inferInfectionTime(ok, [{ ...positive('A', day(4)), sampledAt: Number.NaN }], params, day(20)),
    ).toThrow(/samples\[0\]\.sampledAt/);
  });

  test('no onset, sample or confirmation: a flat grid ending at asOf', () => {
    const posterior = inferInfectionTime(asymptomatic('A'), [], params, day(20));
    expect(posterior.latest).toBe(day(20));
    const n = posterior.times.length;
    expect(posterior.probabilities.every((p) => Math.abs(p - 1 / n) < 1e-15)).toBe(true);
    expect(posterior.basis).toMatch(/no onset, sample or confirmation/);
  });

  test('onset only: cells one step apart before onset, weighed by the incubation density', () => {
    const p = withPathogen({ incubation: wide });
    const posterior = inferInfectionTime(symptomatic('A', day(10)), [], p, day(20), daily);
    expect(posterior.latest).toBe(day(10));
    expect(posterior.times.at(-1)).toBe(day(10) - 12 * HOUR);
    expect(posterior.stepMs).toBe(DAY);
    expect(posterior.times.every((t, i) => i === 0 || t - posterior.times[i - 1]! === DAY)).toBe(true);
    expect(posterior.probabilities.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12);
    expect(at(posterior, 1.5) / at(posterior, 4.5)).toBeCloseTo(3 * Math.sqrt(Math.E), 10);
    expect(posterior.lower).toBeLessThanOrEqual(posterior.mean);
    expect(posterior.mean).toBeLessThanOrEqual(posterior.upper);
  });

  test('a first positive found by screening: positive by then, less likely the longer ago', () => {
    const p = withPathogen({ infectionToPositive: wide, pcrPositiveDays: 14 });
    const posterior = inferInfectionTime(
      asymptomatic('A', day(10, 12)),
      [positive('A', day(10))],
      p,
      day(20),
      daily,
    );
    expect(posterior.latest).toBe(day(10));
    // F(4.5)·(1 − 4.5/14) against F(1.5)·(1 − 1.5/14).
    expect(at(posterior, 4.5) / at(posterior, 1.5)).toBeCloseTo(
      (PHI_1 * (1 - 4.5 / 14)) / (0.5 * (1 - 1.5 / 14)),
      4,
    );
    // Nothing 14 days or more before the sample.
    expect(at(posterior, 14.5)).toBe(0);
  });

  test('a negative sample before the first positive: the delay ended between the two', () => {
    const p = withPathogen({ infectionToPositive: wide, pcrPositiveDays: 14 });
    const samples = [negative('A', day(8)), positive('A', day(10))];
    const posterior = inferInfectionTime(asymptomatic('A', day(10, 12)), samples, p, day(20), daily);
    // After the negative the weight is F(p − t)·(1 − (p − t)/14); before it, [F(p − t) − F(s − t)]·(...).
    const after = 0.5 * (1 - 1.5 / 14);
    const before = (PHI_Z - PHI_MINUS_1) * (1 - 2.5 / 14);
    expect(at(posterior, 2.5) / at(posterior, 1.5)).toBeCloseTo(before / after, 4);
    expect(posterior.basis).toMatch(/not yet positive at the last negative sample/);
  });

  test('a negative before onset down-weighs earlier infection by the chance the delay had ended', () => {
    const p = withPathogen({ incubation: wide, infectionToPositive: wide });
    const plain = inferInfectionTime(symptomatic('A', day(10)), [], p, day(20), daily);
    const tested = inferInfectionTime(symptomatic('A', day(10)), [negative('A', day(9))], p, day(20), daily);
    // Cells after the negative keep their ratio; a cell 1.5 days before the negative (2.5 before
    // onset) loses 1 − F(1.5) = 1/2 relative to them.
    // (The cdf is tabulated every 15 minutes: agreement to about 1e-5.)
    expect(at(tested, 0.5) / at(tested, 2.5)).toBeCloseTo((at(plain, 0.5) / at(plain, 2.5)) * 2, 3);
  });

  test('a positive after onset bounds but does not time; other subjects and later samples are ignored', () => {
    const p = withPathogen({ incubation: wide });
    const plain = inferInfectionTime(symptomatic('A', day(10)), [], p, day(20), daily);
    const withOthers = inferInfectionTime(
      symptomatic('A', day(10)),
      [positive('A', day(11)), negative('B', day(9)), negative('A', day(25))],
      p,
      day(20),
      daily,
    );
    expect(withOthers.probabilities).toEqual(plain.probabilities);
    expect(withOthers.times).toEqual(plain.times);
  });
});
