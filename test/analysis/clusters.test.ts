import seedrandom from 'seedrandom';
import { buildChains } from '../../src/analysis/chains';
import {
  caseComponents,
  caseGraph,
  exposureCommunities,
  graphCommunities,
  topSpreaders,
} from '../../src/analysis/clusters';
import { ExposureGraphBuilder } from '../../src/analysis/exposure-graph';
import { day, exposure, inference, outbreak, params, person, symptomatic } from './infector-fixtures';

/** A -> B, A -> C, A -> D, B -> E (most likely links), and F alone; D -> F only at 0.05. */
function star() {
  const ids = ['A', 'B', 'C', 'D', 'E', 'F'];
  const cases = ids.map((id, k) => symptomatic(id, day(k + 1), day(k + 2)));
  const inferences = [
    inference('A', []),
    inference('B', [['A', 'case', 0.9]]),
    inference('C', [['A', 'case', 0.8]]),
    inference('D', [['A', 'case', 0.7]]),
    inference('E', [['B', 'case', 0.6]]),
    inference('F', [['D', 'case', 0.05]]),
  ];
  const data = outbreak({ asOf: day(20), cases });
  return { data, inferences, chains: buildChains(data, inferences, params, day(20)) };
}

describe('clusters', () => {
  test('throws on invalid input', () => {
    const { inferences, chains } = star();
    expect(() => caseComponents(inferences, { threshold: 2 })).toThrow(/threshold/);
    expect(() => caseComponents([{ personId: 'A' } as never])).toThrow(/inferences\[0\]/);
    expect(() => exposureCommunities([], new Set())).toThrow(/rng/);
    expect(() => exposureCommunities([], new Set(), { rng: seedrandom('1'), resolution: 0 })).toThrow(
      /resolution/,
    );
    expect(() =>
      exposureCommunities([{ ...exposure('A', 'B', 0, 1), minutes: -5 }], new Set(), {
        rng: seedrandom('1'),
      }),
    ).toThrow(/exposures\[0\]/);
    expect(() => topSpreaders(chains, inferences, { limit: -1 })).toThrow(/limit/);
  });

  test('empty input', () => {
    expect(caseComponents([])).toEqual([]);
    expect(exposureCommunities([], new Set(), { rng: seedrandom('1') })).toEqual({
      communities: [],
      modularity: 0,
    });
    const empty = outbreak({ asOf: day(1) });
    expect(topSpreaders(buildChains(empty, [], params, day(1)), [])).toEqual({
      byOffspring: [],
      byBetweenness: [],
      byPagerank: [],
    });
  });

  test('connected components of the case graph keep links at or above the threshold', () => {
    const { inferences } = star();
    expect(caseGraph(inferences).size).toBe(4);
    expect(caseComponents(inferences).map((c) => [c.id, c.memberIds])).toEqual([
      ['component-A', ['A', 'B', 'C', 'D', 'E']],
      ['component-F', ['F']],
    ]);
    expect(caseComponents(inferences, { threshold: 0.01 })[0]!.memberIds).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
    ]);
    expect(caseComponents(inferences, { threshold: 0.75 }).map((c) => c.memberIds)).toEqual([
      ['A', 'B', 'C'],
      ['D'],
      ['E'],
      ['F'],
    ]);
  });

  test('Louvain communities of the exposure graph: two separate triangles, modularity 1/2', () => {
    // Two triangles of equal weights: Q = 2 · (3/6 − (6/12)²) = 1/2.
    const triangle = (a: string, b: string, c: string) => [
      exposure(a, b, day(1), day(1, 1)),
      exposure(b, c, day(1), day(1, 1)),
      exposure(c, a, day(1), day(1, 1)),
    ];
    const exposures = [...triangle('A', 'B', 'C'), ...triangle('X', 'Y', 'Z')];
    const result = exposureCommunities(exposures, new Set(['A', 'X']), { rng: seedrandom('42') });
    expect(result.communities.map((c) => [c.id, c.memberIds, c.caseCount])).toEqual([
      ['community-A', ['A', 'B', 'C'], 1],
      ['community-X', ['X', 'Y', 'Z'], 1],
    ]);
    expect(result.modularity).toBeCloseTo(0.5, 12);
    // The same seed gives the same communities.
    expect(exposureCommunities(exposures, new Set(['A', 'X']), { rng: seedrandom('42') })).toEqual(result);
  });

  test('communities of a graph built already are those of its exposures; links added after are not weighed', () => {
    // Two triangles joined by one short exposure; P2 and Q2 live together (a link, no exposure).
    const exposures = [
      exposure('P1', 'A', day(1), day(1, 2)),
      exposure('P2', 'A', day(1), day(1, 2)),
      exposure('P1', 'P2', day(1), day(1, 2)),
      exposure('Q1', 'X', day(1), day(1, 2)),
      exposure('Q2', 'X', day(1), day(1, 2)),
      exposure('Q1', 'Q2', day(1), day(1, 2)),
      exposure('P1', 'Q1', day(1), day(1, 0.1)),
    ];
    const caseIds = new Set(['A', 'X']);
    const data = outbreak({
      asOf: day(20),
      persons: [person('P2', 'H1'), person('Q2', 'H1'), person('R1', 'H1')],
    });
    const builder = new ExposureGraphBuilder(exposures, caseIds);
    const graph = builder.exposures();
    const before = graphCommunities(graph, caseIds, { rng: seedrandom('7') });
    expect(before).toEqual(exposureCommunities(exposures, caseIds, { rng: seedrandom('7') }));
    expect(before.communities.map((c) => c.memberIds)).toEqual([
      ['A', 'P1', 'P2'],
      ['Q1', 'Q2', 'X'],
    ]);
    // With the household links in, R1 (no exposure) would be a member: they belong after Louvain.
    builder.withLinks(data);
    const after = graphCommunities(graph, caseIds, { rng: seedrandom('7') });
    expect(after.communities.flatMap((c) => c.memberIds)).toContain('R1');
  });

  test('top spreaders by offspring, betweenness and PageRank', () => {
    const { inferences, chains } = star();
    const { byOffspring, byBetweenness, byPagerank } = topSpreaders(chains, inferences, { limit: 3 });
    expect(byOffspring.map((s) => [s.personId, s.offspring])).toEqual([
      ['A', 3],
      ['B', 1],
      // Ties broken by expected offspring: D may have infected F (0.05).
      ['D', 0],
    ]);
    expect(byOffspring[0]!.expectedOffspring).toBeCloseTo(2.4, 12);
    // Only A -> E passes through B: 1 / ((n − 1)(n − 2)) with n = 6 cases.
    expect(byBetweenness[0]!.personId).toBe('B');
    expect(byBetweenness[0]!.betweenness).toBeCloseTo(1 / 20, 12);
    expect(byBetweenness[1]!.betweenness).toBe(0);
    // Infectees point at their infector: A collects the most rank, then B.
    expect(byPagerank.map((s) => s.personId).slice(0, 2)).toEqual(['A', 'B']);
    expect(byPagerank[0]!.pagerank).toBeGreaterThan(byPagerank[1]!.pagerank);
  });

  test('PageRank follows a weak link only as far as its probability (regression: a 12 % link passed on all the rank)', () => {
    // A infected B and C. D came from outside (88 %) or from E (12 %), whom D most likely infected:
    // D's one link to a case passed on all of D's rank, so D and E, feeding each other, came out
    // above A.
    const ids = ['A', 'B', 'C', 'D', 'E'];
    const data = outbreak({
      asOf: day(20),
      cases: ids.map((id, k) => symptomatic(id, day(k + 1), day(k + 2))),
    });
    const inferences = [
      inference('A', []),
      inference('B', [['A', 'case', 0.9]]),
      inference('C', [['A', 'case', 0.9]]),
      inference('D', [['E', 'case', 0.12]]),
      inference('E', [['D', 'case', 0.9]]),
    ];
    const { byPagerank } = topSpreaders(buildChains(data, inferences, params, day(20)), inferences);
    expect(byPagerank.map((s) => s.personId)).toEqual(['A', 'D', 'E', 'B', 'C']);
    expect(byPagerank.reduce((sum, s) => sum + s.pagerank, 0)).toBeCloseTo(1, 9);
  });
});
