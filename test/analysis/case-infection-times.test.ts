/**
 * The cases' infection times, worked out once (`infectionTimesOfCases`,
 * src/analysis/infection-time.ts): by the load, where backward tracing starts, and read by the
 * inference (src/analysis/infector.ts) rather than worked out again.
 */
import {
  inferInfectionTime,
  infectionTimesOfCases,
  type CaseInfectionTimes,
  type InfectionTimePosterior,
} from '../../src/analysis/infection-time';
import { samplesOfCases } from '../../src/analysis/infectious-window';
import { caseExposures, inferFromCaseExposures, type InfectorOptions } from '../../src/analysis/infector';
import { HOUR } from '../../src/domain/time';
import {
  asymptomatic,
  day,
  negative,
  params,
  positive,
  symptomatic,
  twoCandidateCases,
} from './infector-fixtures';

describe('infectionTimesOfCases', () => {
  const cases = [symptomatic('A', day(10), day(11)), asymptomatic('B', day(8))];
  const samples = [
    negative('B', day(4)),
    positive('A', day(11)),
    positive('L1', day(3)), // a lot's
    positive('B', day(7)),
    negative('A', day(25)), // after asOf
  ];
  const asOf = day(20);

  test('none for no cases', () => {
    expect(infectionTimesOfCases([], samples, params, asOf)).toEqual(new Map());
  });

  test("one posterior per case, in the cases' order, each from the case's own samples", () => {
    const times = infectionTimesOfCases(cases, samples, params, asOf);
    expect([...times.keys()]).toEqual(['A', 'B']);
    expect(times.get('A')).toEqual(inferInfectionTime(cases[0]!, [positive('A', day(11))], params, asOf));
    expect(times.get('B')).toEqual(
      inferInfectionTime(cases[1]!, [negative('B', day(4)), positive('B', day(7))], params, asOf),
    );
    // B's: found by screening, between the negative and the positive.
    expect(times.get('B')!.latest).toBe(day(7));
    expect(times.get('B')!.basis).toContain('not yet positive at the last negative sample');
  });

  test('the samples in any order give the same posteriors (a store returns rows in its own)', () => {
    const times = infectionTimesOfCases(cases, samples, params, asOf);
    expect(infectionTimesOfCases(cases, [...samples].reverse(), params, asOf)).toEqual(times);
  });

  test('the samples grouped by case already (the load groups them once) give the same posteriors', () => {
    const grouped = samplesOfCases(cases, samples);
    expect(infectionTimesOfCases(cases, grouped, params, asOf)).toEqual(
      infectionTimesOfCases(cases, samples, params, asOf),
    );
    // A case's entry is read as it is: without its samples, B is placed from its confirmation alone.
    const withoutB = new Map(grouped).set('B', []);
    expect(infectionTimesOfCases(cases, withoutB, params, asOf).get('B')).toEqual(
      inferInfectionTime(cases[1]!, [], params, asOf),
    );
  });
});

describe('the inference reads the infection times it is given', () => {
  // I (onset day 10) exposed to A at home and to B at a restaurant, days 5 to 9.
  const { cases, exposures } = twoCandidateCases();
  const asOf = day(20);
  const noOutside: Partial<InfectorOptions> = { unknownWeight: 0 };
  const worked = infectionTimesOfCases(cases, [], params, asOf);
  /** I infected on day 2 for certain: before any exposure. */
  const early: InfectionTimePosterior = {
    personId: 'I',
    times: [day(2)],
    probabilities: [1],
    stepMs: 6 * HOUR,
    latest: day(2, 3),
    mean: day(2),
    lower: day(2),
    upper: day(2),
    basis: 'given',
  };
  const infectionOfI = (infectionTimes?: CaseInfectionTimes, options = noOutside) => {
    const input = { cases, samples: [], asOf, ...(infectionTimes ? { infectionTimes } : {}) };
    return inferFromCaseExposures(caseExposures(input, exposures, options), params, options)[0]!;
  };

  test('the same inference as when it works them out', () => {
    expect(infectionOfI(worked)).toEqual(infectionOfI());
    expect(infectionOfI().best.kind).toBe('case');
  });

  test('a case infected before every exposure was infected from outside', () => {
    const given = new Map(worked).set('I', early);
    expect(infectionOfI(given).best).toMatchObject({ id: 'unknown', kind: 'unknown', probability: 1 });
    expect(infectionOfI(given).infectionTime).toEqual({
      mean: day(2),
      lower: day(2),
      upper: day(2),
      basis: 'given',
    });
  });

  test('on another grid than the default they are worked out again', () => {
    const given = new Map(worked).set('I', early);
    const twelveHours = { ...noOutside, infectionTime: { stepHours: 12 } };
    expect(infectionOfI(given, twelveHours)).toEqual(infectionOfI(undefined, twelveHours));
    expect(infectionOfI(given, twelveHours).best.kind).toBe('case');
  });
});
