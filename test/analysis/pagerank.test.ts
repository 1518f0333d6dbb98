import fc from 'fast-check';
import { UndirectedGraph } from 'graphology';
import pagerank from 'graphology-metrics/centrality/pagerank';
import { simulate, snapshot } from '../../bench/validation/simulate';
import { computeExposures } from '../../src/analysis/exposures';
import { addNumbered } from '../../src/analysis/node-pairs';
import { pagerankOfNumbered } from '../../src/analysis/pagerank';
import { resolveParameters } from '../../src/domain/parameters';
import { aug } from './outbreak-fixtures';
import { networkOf } from './network-fixtures';

/** graphology-metrics' PageRank of the graph `addNumbered` builds from the same numbers, by number. */
function graphologyPagerank(nodes: number, endA: Int32Array, endB: Int32Array): number[] {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  addNumbered(graph, { endA, endB }, [0, nodes], [0, endA.length], { edge: () => ({}) });
  const byKey = pagerank(graph, { getEdgeWeight: null });
  return Array.from({ length: nodes }, (_, node) => byKey[String(node)]!);
}

/** A simple graph: distinct pairs of distinct nodes, each pair in a random order of its ends. */
const arbGraph = fc.integer({ min: 1, max: 40 }).chain((nodes) =>
  fc
    .uniqueArray(fc.tuple(fc.integer({ min: 0, max: nodes - 1 }), fc.integer({ min: 0, max: nodes - 1 })), {
      maxLength: 150,
      selector: ([a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`),
    })
    .map((pairs) => pairs.filter(([a, b]) => a !== b))
    .map((pairs) => ({
      nodes,
      endA: Int32Array.from(pairs, ([a]) => a),
      endB: Int32Array.from(pairs, ([, b]) => b),
    })),
);

describe('pagerankOfNumbered', () => {
  test("graphology-metrics' numbers, bit for bit, on random graphs (isolated nodes included)", () => {
    fc.assert(
      fc.property(arbGraph, ({ nodes, endA, endB }) => {
        const ours = Array.from(pagerankOfNumbered(nodes, endA, endB));
        const theirs = graphologyPagerank(nodes, endA, endB);
        expect(ours.length).toBe(theirs.length);
        ours.forEach((value, node) => expect(Object.is(value, theirs[node])).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  test("graphology-metrics' numbers on a simulated district's contact network", () => {
    const params = resolveParameters();
    const data = snapshot(simulate({ seed: 'pagerank', source: 'item', households: 250 }, params), aug(20));
    const { input } = networkOf(computeExposures(data, params), data);
    expect(input.endA.length).toBeGreaterThan(1000);
    const ours = Array.from(pagerankOfNumbered(input.nodes, input.endA, input.endB));
    const theirs = graphologyPagerank(input.nodes, input.endA, input.endB);
    expect(ours).toEqual(theirs);
    expect(ours.every((value, node) => Object.is(value, theirs[node]))).toBe(true);
    // Not uniform: the ranks tell nodes apart.
    expect(new Set(ours).size).toBeGreaterThan(10);
  });

  test('sums to 1; a node with more neighbours ranks higher in a star', () => {
    const star = pagerankOfNumbered(5, Int32Array.of(0, 0, 0, 0), Int32Array.of(1, 2, 3, 4));
    expect(star.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    expect(star[0]).toBeGreaterThan(star[1]!);
    expect(new Set(Array.from(star).slice(1)).size).toBe(1);
    expect(pagerankOfNumbered(0, [], [])).toEqual(new Float64Array(0));
  });

  test('throws on an edge that does not join two nodes, and when it does not converge', () => {
    expect(() => pagerankOfNumbered(2, [0], [2])).toThrow(/edge 0 \(0, 2\) does not join two nodes/);
    expect(() => pagerankOfNumbered(2, [1], [1])).toThrow(/edge 0 \(1, 1\)/);
    expect(() => pagerankOfNumbered(2, [0, 1], [1])).toThrow(/one entry per edge/);
    // A path of three nodes oscillates a while before it settles: one iteration is too few.
    expect(() => pagerankOfNumbered(3, [0, 1], [1, 2], { maxIterations: 1 })).toThrow(/failed to converge/);
  });
});
