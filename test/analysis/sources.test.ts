import { buildChains } from '../../src/analysis/chains';
import { rankSources } from '../../src/analysis/sources';
import type { Contact, ContactSetting } from '../../src/domain/types';
import {
  day,
  handling,
  inference,
  lot,
  outbreak,
  params,
  person,
  place,
  positive,
  stay,
  symptomatic,
} from './infector-fixtures';

const contact = (
  personA: string,
  personB: string,
  start: number,
  end: number,
  setting: ContactSetting,
): Contact => ({
  personA,
  personB,
  start,
  end,
  setting,
});

/**
 * Chain A -> B, A -> C: A, B and C all handled lot L in the days before onset, A and B also went
 * to market M; L tested positive. E, on its own, went to M too.
 */
function coldChainOutbreak() {
  const cases = [
    symptomatic('A', day(5), day(6)),
    symptomatic('B', day(8), day(9)),
    symptomatic('C', day(9), day(10)),
    symptomatic('E', day(6), day(7)),
  ];
  const data = outbreak({
    asOf: day(20),
    cases,
    persons: ['A', 'B', 'C', 'E'].map((id) => person(id)),
    places: [place('M', 'market')],
    items: [lot('L')],
    samples: [positive('L', day(6))],
    handlings: [handling('A', 'L', day(1)), handling('B', 'L', day(3)), handling('C', 'L', day(4))],
    stays: [
      stay('A', 'M', day(2, 10), day(2, 11)),
      stay('B', 'M', day(4, 10), day(4, 11)),
      stay('E', 'M', day(4, 10), day(4, 11)),
    ],
  });
  const inferences = [
    inference('A', [['L', 'item', 0.6]], day(2)),
    inference('B', [['A', 'case', 0.9]], day(5)),
    inference('C', [['A', 'case', 0.8]], day(6)),
    inference('E', [], day(3)),
  ];
  return { data, inferences, chains: buildChains(data, inferences, params, day(20)) };
}

/**
 * Chain A -> B in one home H with X, who is no case: both cases report household contacts with X.
 * A also went to market M (positive on day 3) and had a work contact with Y, who lives elsewhere.
 */
function householdOutbreak() {
  const cases = [symptomatic('A', day(5), day(6)), symptomatic('B', day(8), day(9))];
  const data = {
    ...outbreak({
      asOf: day(20),
      cases,
      persons: [person('A', 'H'), person('B', 'H'), person('X', 'H'), person('Y', 'H2')],
      places: [place('H', 'home'), place('H2', 'home'), place('M', 'market')],
      samples: [positive('M', day(3))],
      stays: [stay('A', 'M', day(2, 10), day(2, 11))],
    }),
    contacts: [
      contact('A', 'X', day(1), day(6), 'household'),
      contact('B', 'X', day(1), day(8), 'household'),
      contact('A', 'Y', day(3, 9), day(3, 10), 'work'),
    ],
  };
  const inferences = [inference('A', [], day(2)), inference('B', [['A', 'case', 0.9]], day(5))];
  return { data, inferences, chains: buildChains(data, inferences, params, day(20)) };
}

describe('rankSources', () => {
  test('throws on invalid input', () => {
    const { data, inferences, chains } = coldChainOutbreak();
    expect(() => rankSources(data, [], inferences, chains, { earlyCases: 0 })).toThrow(/earlyCases/);
    expect(() => rankSources(data, [], inferences, chains, { backwardDays: -1 })).toThrow(/backwardDays/);
    expect(() => rankSources(data, [], inferences, { ...chains, chains: undefined as never })).toThrow(
      /chains are required/,
    );
    expect(() => rankSources(undefined as never, [], inferences, chains)).toThrow(/data must have/);
  });

  test('an unlikely environmental infector is worded as such, its small chance not shown as nought', () => {
    const { data, chains } = coldChainOutbreak();
    const inferences = [
      inference('A', [['L', 'item', 0.003]], day(2)),
      inference('B', [['A', 'case', 0.9]], day(5)),
      inference('C', [['A', 'case', 0.8]], day(6)),
      inference('E', [], day(3)),
    ];
    const chainA = rankSources(data, [], inferences, chains).byChain.get('chain-A')!;
    expect(chainA.find((s) => s.id === 'L')!.reasons[0]).toBe('may have infected early case A (p < 0.01)');
    expect(chainA.find((s) => s.id === 'A')!.reasons).toEqual([
      'index case of chain-A, infected outside the records (p = 1.00)',
    ]);
  });

  test('empty input', () => {
    const empty = outbreak({ asOf: day(20) });
    expect(rankSources(empty, [], [], buildChains(empty, [], params, day(20)))).toEqual({
      overall: [],
      byChain: new Map(),
    });
  });

  test('scores by hand: inferred environmental infectors, backward tracing of early cases, positive samples', () => {
    const { data, inferences, chains } = coldChainOutbreak();
    const { overall, byChain } = rankSources(data, [], inferences, chains);
    // chain-A: L = 0.6 (infected A) + (1/2 + 1/2 + 1)·3/3 (handled by A, B, C) + 0.5 (positive) = 3.1;
    // M = (1/2 + 1/2)·2/3 = 2/3 (A and B); A itself = 0.4 (outside) · 0.5 = 0.2.
    const chainA = byChain.get('chain-A')!;
    expect(chainA.map((s) => s.id)).toEqual(['L', 'M', 'A']);
    expect(chainA[0]!.score).toBeCloseTo(3.1, 12);
    expect(chainA[1]!.score).toBeCloseTo(2 / 3, 12);
    expect(chainA[2]!.score).toBeCloseTo(0.2, 12);
    expect(chainA[0]!.reasons).toEqual([
      'likely infected early case A (p = 0.60)',
      '3 of 3 early cases (A, B, C) there in the 6 days before onset or since their likely infection',
      'positive environmental sample (1)',
    ]);
    // chain-E: M = 1 (E's only host), E itself = 0.5.
    const chainE = byChain.get('chain-E')!;
    expect(chainE.map((s) => [s.id, s.score])).toEqual([
      ['M', 1],
      ['E', 0.5],
    ]);
    // Overall: Σ over chains of chain size × share of the chain's total.
    const totalA = 3.1 + 2 / 3 + 0.2;
    expect(overall.map((s) => s.id)).toEqual(['L', 'M', 'E', 'A']);
    expect(overall[0]).toMatchObject({ id: 'L', kind: 'item', chainIds: ['chain-A'] });
    expect(overall[0]!.score).toBeCloseTo((3 * 3.1) / totalA, 12);
    expect(overall[1]).toMatchObject({ id: 'M', kind: 'place', chainIds: ['chain-A', 'chain-E'] });
    expect(overall[1]!.score).toBeCloseTo((3 * (2 / 3)) / totalA + 1 / 1.5, 12);
    expect(overall[2]!.score).toBeCloseTo(0.5 / 1.5, 12);
    expect(overall[3]).toMatchObject({ id: 'A', kind: 'person' });
    expect(overall[3]!.score).toBeCloseTo((3 * 0.2) / totalA, 12);
  });

  test('backward tracing looks back only so far: a visit long before onset does not count', () => {
    const { data, inferences, chains } = coldChainOutbreak();
    const late = { ...data, stays: [...data.stays, stay('C', 'M', day(1, 10), day(1, 11))] };
    // C's onset is day 9: day 1 is 8 days before, outside the 6-day look-back (and before C's likely infection).
    const { byChain } = rankSources(late, [], inferences, chains);
    expect(byChain.get('chain-A')!.find((s) => s.id === 'M')!.score).toBeCloseTo(2 / 3, 12);
    const wider = rankSources(late, [], inferences, chains, { backwardDays: 8 });
    // With 8 days, C counts at M too: M = (1/2 + 1/2 + 1/2)·3/3, L = 0.6 + (1/2 + 1/2 + 1/2) + 0.5.
    const chainA = wider.byChain.get('chain-A')!;
    expect(chainA.find((s) => s.id === 'M')!.score).toBeCloseTo(1.5, 12);
    expect(chainA.find((s) => s.id === 'L')!.score).toBeCloseTo(2.6, 12);
  });

  // Regression: every case of a household reports contacts with the others, so a housemate who was
  // never a case was "shared" by all the early cases at full weight, while their home counts a
  // quarter, and came out as a chain's likeliest source (the demo district's chain-P0000523).
  test('a housemate the early cases met weighs as their home; a person met elsewhere at full weight', () => {
    const { data, inferences, chains } = householdOutbreak();
    const chainA = rankSources(data, [], inferences, chains).byChain.get('chain-A')!;
    const score = (id: string) => chainA.find((s) => s.id === id)!.score;
    // A met M, X, Y and lived at H (a quarter each); B met X and lived at H (a half each).
    // X and H = 0.25 × (1/4 + 1/2) × 2/2; M = 1/4 × 1/2 + 0.5 (positive); Y = 1/4 × 1/2; A = 0.5.
    expect(chainA.map((s) => s.id)).toEqual(['M', 'A', 'H', 'X', 'Y']);
    expect(score('X')).toBeCloseTo(0.1875, 12);
    expect(score('H')).toBeCloseTo(0.1875, 12);
    expect(score('M')).toBeCloseTo(0.625, 12);
    expect(score('Y')).toBeCloseTo(0.125, 12);
    expect(chainA.find((s) => s.id === 'X')!.reasons).toEqual([
      'in contact with 2 of 2 early cases (A, B) in the 6 days before onset or since their likely infection; lives with A, B, so weighed as their home',
    ]);
    expect(chainA.find((s) => s.id === 'Y')!.reasons).toEqual([
      'in contact with 1 of 2 early cases (A) in the 6 days before onset or since their likely infection',
    ]);
  });
});
