import { evaluate } from '../../bench/validation/evaluate';
import { simulate } from '../../bench/validation/simulate';
import { resolveParameters } from '../../src/domain/parameters';

/**
 * A small version of the validation bench (bench/validation/run.ts): six simulated outbreaks in a
 * district of 250 households, fixed seeds, alternating a contaminated lot and a boat as the source.
 * The engine must name the true infector more often than "the co-present case with the most shared
 * hours", rank the true source higher than "the host most visited by cases", and its quarantine
 * list (drawn up 3 days after the first confirmation) catch more of the later cases than "the
 * people with the most hours shared with cases".
 */
describe('engine against naive baselines on simulated outbreaks', () => {
  const params = resolveParameters();
  const results = ['s1', 's2', 's3', 's4', 's5', 's6'].map((seed, i) =>
    evaluate(simulate({ seed, source: i % 2 ? 'boat' : 'item', households: 250 }, params), params),
  );
  const scored = results.reduce((s, r) => s + r.scoredCases, 0);
  const right = (accuracy: (r: (typeof results)[number]) => number): number =>
    results.reduce((s, r) => s + (r.scoredCases ? accuracy(r) * r.scoredCases : 0), 0);

  test('the outbreaks are not trivial', () => {
    expect(scored).toBeGreaterThanOrEqual(50);
    expect(results.filter((r) => r.cases > 0).length).toBeGreaterThanOrEqual(3);
  });

  test('top-1 infector accuracy beats the most-shared-hours baseline', () => {
    const engine = right((r) => r.infectorAccuracy) / scored;
    const baseline = right((r) => r.baselineInfectorAccuracy) / scored;
    expect(engine).toBeGreaterThan(baseline + 0.03);
  });

  test('the true source ranks higher than with the most-visited baseline', () => {
    const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const engine = mean(results.map((r) => r.sourceRank));
    const baseline = mean(results.map((r) => r.baselineSourceRank));
    expect(engine).toBeLessThan(baseline);
    expect(results.filter((r) => r.sourceRank === 1).length).toBeGreaterThan(
      results.filter((r) => r.baselineSourceRank === 1).length,
    );
  });

  test('the quarantine list catches more later cases than the most-shared-hours list', () => {
    const caught = (share: (r: (typeof results)[number]) => number): number =>
      results.reduce((s, r) => s + (r.laterCases ? Math.round(share(r) * r.laterCases) : 0), 0);
    const later = results.reduce((s, r) => s + r.laterCases, 0);
    expect(later).toBeGreaterThanOrEqual(30);
    expect(caught((r) => r.quarantineCatch)).toBeGreaterThan(caught((r) => r.baselineQuarantineCatch));
  });
});
