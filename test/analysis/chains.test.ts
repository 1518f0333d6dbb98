import fc from 'fast-check';
import { buildChains } from '../../src/analysis/chains';
import type { InfectorInference } from '../../src/analysis/infector';
import { HOUR } from '../../src/domain/time';
import { day, evidence, inference, outbreak, params, symptomatic } from './infector-fixtures';

/** A (root) infected B and C; B infected D; E came from outside. */
function fiveCases() {
  const cases = [
    symptomatic('A', day(1), day(3)),
    symptomatic('B', day(4), day(6)),
    symptomatic('C', day(5), day(7)),
    symptomatic('D', day(8), day(9)),
    symptomatic('E', day(2), day(20)),
  ];
  const inferences = [
    inference('A', [['unknown', 'unknown', 1]]),
    inference('B', [['A', 'case', 0.9]]),
    inference('C', [
      ['A', 'case', 0.8],
      ['B', 'case', 0.1],
    ]),
    inference('D', [
      ['B', 'case', 0.7],
      ['C', 'case', 0.2],
    ]),
    inference('E', [['unknown', 'unknown', 1]]),
  ];
  return { data: outbreak({ asOf: day(30), cases }), inferences };
}

/** Follows parent links; false if a case is reached twice (its own ancestor). */
function acyclic(cases: { personId: string; parentId: string | null }[]): boolean {
  const parent = new Map(cases.map((c) => [c.personId, c.parentId]));
  for (const c of cases) {
    const seen = new Set<string>();
    let node: string | null = c.personId;
    while (node !== null) {
      if (seen.has(node)) return false;
      seen.add(node);
      node = parent.get(node) ?? null;
    }
  }
  return true;
}

describe('buildChains', () => {
  test('throws on invalid input', () => {
    const { data, inferences } = fiveCases();
    expect(() => buildChains(data, [...inferences, inference('Z', [])], params, day(30))).toThrow(
      /inferences\[5\].*names no case \(Z\)/,
    );
    expect(() => buildChains(data, [inference('A', [['Q', 'case', 1]])], params, day(30))).toThrow(
      /"best.id" names no case \(Q\)/,
    );
    expect(() => buildChains(data, inferences, params, Number.NaN)).toThrow(/asOf/);
    expect(() => buildChains(data, inferences, params, day(30), { serialIntervalLowQuantile: 0.99 })).toThrow(
      /0 < low < high < 1/,
    );
  });

  test('empty input', () => {
    expect(buildChains(outbreak({ asOf: day(30) }), [], params, day(30))).toEqual({
      chains: [],
      cases: [],
      cutLinks: [],
      rByGeneration: [],
    });
  });

  test('trees of most-likely links with generations, size, length, duration, activity and R by generation', () => {
    const { data, inferences } = fiveCases();
    const result = buildChains(data, inferences, params, day(30));
    expect(result.chains.map((c) => c.id)).toEqual(['chain-A', 'chain-E']);
    const [a, e] = result.chains;
    expect(a).toMatchObject({
      rootId: 'A',
      rootSource: { id: 'unknown', kind: 'unknown', probability: 1, setting: null },
      caseIds: ['A', 'B', 'C', 'D'],
      size: 4,
      length: 2,
      firstAt: day(1),
      lastAt: day(9),
      durationDays: 8,
      // Last confirmation on day 9: 21 days before asOf, more than chainActiveDays (14).
      active: false,
      lastConfirmedAt: day(9),
      rByGeneration: [
        { generation: 0, cases: 1, meanOffspring: 2 },
        { generation: 1, cases: 2, meanOffspring: 0.5 },
        { generation: 2, cases: 1, meanOffspring: 0 },
      ],
    });
    expect(
      a!.links.map((l) => [l.infectorId, l.infecteeId, l.probability, l.serialIntervalDays, l.flags]),
    ).toEqual([
      ['A', 'B', 0.9, 3, []],
      ['A', 'C', 0.8, 4, []],
      ['B', 'D', 0.7, 4, []],
    ]);
    // Confirmed on day 20: 10 days before asOf.
    expect(e).toMatchObject({
      caseIds: ['E'],
      size: 1,
      length: 0,
      durationDays: 18,
      active: true,
      links: [],
    });
    const byId = new Map(result.cases.map((c) => [c.personId, c]));
    expect(result.cases.map((c) => c.personId)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(byId.get('A')).toMatchObject({ chainId: 'chain-A', parentId: null, generation: 0, offspring: 2 });
    expect(byId.get('A')!.expectedOffspring).toBeCloseTo(1.7, 12);
    expect(byId.get('B')).toMatchObject({ parentId: 'A', generation: 1, offspring: 1 });
    expect(byId.get('B')!.expectedOffspring).toBeCloseTo(0.8, 12);
    expect(byId.get('C')!.expectedOffspring).toBeCloseTo(0.2, 12);
    expect(byId.get('D')).toMatchObject({ parentId: 'B', generation: 2, offspring: 0, expectedOffspring: 0 });
    expect(result.rByGeneration).toEqual([
      { generation: 0, cases: 2, meanOffspring: 1 },
      { generation: 1, cases: 2, meanOffspring: 0.5 },
      { generation: 2, cases: 1, meanOffspring: 0 },
    ]);
    expect(result.cutLinks).toEqual([]);
  });

  test('a cycle of most-likely links is cut at its weakest link', () => {
    const cases = [
      symptomatic('X', day(3), day(6)),
      symptomatic('Y', day(4), day(6)),
      symptomatic('Z', day(7), day(9)),
    ];
    const inferences = [
      inference('X', [['Y', 'case', 0.6]]),
      inference('Y', [['X', 'case', 0.55]]),
      inference('Z', [['X', 'case', 0.9]]),
    ];
    const result = buildChains(outbreak({ asOf: day(10), cases }), inferences, params, day(10));
    expect(result.cutLinks.map((l) => [l.infectorId, l.infecteeId, l.probability])).toEqual([
      ['X', 'Y', 0.55],
    ]);
    // The cut link says so among its flags (the report shows them on the infectee).
    expect(result.cutLinks[0]!.flags).toContain('cut-to-break-cycle');
    expect(result.cases.find((c) => c.personId === 'Y')!.parentId).toBeNull();
    expect(result.chains.map((c) => [c.id, c.caseIds])).toEqual([['chain-Y', ['Y', 'X', 'Z']]]);
    expect(result.chains[0]!.rootSource.id).toBe('unknown');
    expect(result.chains[0]!.rootSource.probability).toBeCloseTo(0.45, 12);
    expect(acyclic(result.cases)).toBe(true);
  });

  test('consistency flags: onset order, serial interval, infectious window, isolation', () => {
    // P: onset day 5, confirmed (isolated) day 8: infectious window days 3-8.
    const cases = [
      symptomatic('P', day(5), day(8)),
      symptomatic('Q', day(3), day(9)),
      symptomatic('R', day(25), day(26)),
      symptomatic('S', day(7), day(9)),
    ];
    const inferences = [
      inference('P', []),
      inference('Q', [['P', 'case', 0.6]], day(0), [evidence(day(4), day(4, 2))]),
      inference('R', [['P', 'case', 0.6]], day(0), [evidence(day(9), day(10))]),
      inference('S', [['P', 'case', 0.6]], day(0), [evidence(day(1), day(1, 2))]),
    ];
    const [chain] = buildChains(outbreak({ asOf: day(30), cases }), inferences, params, day(30)).chains;
    const flags = Object.fromEntries(chain!.links.map((l) => [l.infecteeId, l.flags]));
    // Serial interval −2 days: reversed, and below the 1st percentile (0.25 d) of gamma(2.7, 1.8).
    expect(flags.Q).toEqual(['onset-order-reversed', 'implausible-serial-interval']);
    // 20 days: above the 99th percentile (8.5 d); met only after P's isolation.
    expect(flags.R).toEqual(['implausible-serial-interval', 'after-infector-isolation']);
    // 2 days: plausible; but met on day 1, before P's window opened.
    expect(flags.S).toEqual(['exposure-outside-infectious-window']);
    expect(chain!.links.find((l) => l.infecteeId === 'Q')!.setting).toBe('household');
  });

  test('a root from an environmental source names it', () => {
    const cases = [symptomatic('A', day(3), day(5, 12))];
    const [chain] = buildChains(
      outbreak({ asOf: day(10), cases }),
      [inference('A', [['L1', 'item', 0.7]])],
      params,
      day(10),
    ).chains;
    // A candidate without evidence (made by hand) says no setting.
    expect(chain!.rootSource).toEqual({ id: 'L1', kind: 'item', probability: 0.7, setting: null });
    expect(chain!.lastConfirmedAt).toBe(day(5) + 12 * HOUR);
  });

  test("a root from a place says how it met it, as its candidate's evidence does", () => {
    const cases = [symptomatic('A', day(3), day(5, 12))];
    const atPort = evidence(day(1), day(1, 3), {
      setting: 'place',
      hostId: 'PORT',
      placeKind: 'fishing_port',
    });
    const [fromPlace] = buildChains(
      outbreak({ asOf: day(10), cases }),
      [inference('A', [['PORT', 'place', 0.6]], day(0), [atPort])],
      params,
      day(10),
    ).chains;
    expect(fromPlace!.rootSource).toEqual({
      id: 'PORT',
      kind: 'place',
      probability: 0.6,
      setting: 'place:fishing_port',
    });
  });
});

describe('buildChains properties', () => {
  test('no case is its own ancestor; every case is in exactly one chain at parent generation + 1', () => {
    const arbitrary = fc.array(
      fc.record({ parent: fc.nat(), toCase: fc.boolean(), p: fc.double({ min: 0.01, max: 1, noNaN: true }) }),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(arbitrary, (links) => {
        const n = links.length;
        const cases = links.map((_, k) => symptomatic(`C${k}`, day(k + 1), day(k + 2)));
        const inferences: InfectorInference[] = links.map((l, k) =>
          l.toCase && l.parent % n !== k
            ? inference(`C${k}`, [[`C${l.parent % n}`, 'case', l.p]])
            : inference(`C${k}`, []),
        );
        const result = buildChains(outbreak({ asOf: day(20), cases }), inferences, params, day(20));
        if (!acyclic(result.cases)) return false;
        const members = result.chains.flatMap((c) => c.caseIds);
        if (members.length !== n || new Set(members).size !== n) return false;
        const byId = new Map(result.cases.map((c) => [c.personId, c]));
        return result.cases.every((c) =>
          c.parentId === null ? c.generation === 0 : byId.get(c.parentId)!.generation + 1 === c.generation,
        );
      }),
      { numRuns: 150 },
    );
  });
});
