import fc from 'fast-check';
import { UndirectedGraph } from 'graphology';
import louvain from 'graphology-communities-louvain';
import seedrandom from 'seedrandom';
import { simulate, snapshot } from '../../bench/validation/simulate';
import { computeExposures } from '../../src/analysis/exposures';
import { addNumbered } from '../../src/analysis/node-pairs';
import { louvainOfNumbered, numberedGraphView, type NumberedEdges } from '../../src/analysis/numbered-graph';
import { resolveParameters } from '../../src/domain/parameters';
import { aug } from './outbreak-fixtures';
import { networkOf } from './network-fixtures';

/** The graphology graph `addNumbered` builds from the numbers, each edge with its `weight`. */
function graphOf({ nodes, endA, endB, weights }: NumberedEdges): UndirectedGraph {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  addNumbered(graph, { endA, endB }, [0, nodes], [0, endA.length], {
    edge: (edge) => ({ weight: weights[edge]! }),
  });
  return graph;
}

/** Louvain's detailed result on the graph and on the view, with the same seed. */
function bothRuns(input: NumberedEdges, seed: string, resolution = 1) {
  const onGraph = louvain.detailed(graphOf(input), { resolution, rng: seedrandom(seed) });
  const onView = louvain.detailed(numberedGraphView(input), {
    getEdgeWeight: (edge: string) => input.weights[edge as unknown as number]!,
    resolution,
    rng: seedrandom(seed),
  });
  return { onGraph, onView };
}

/** A simple weighted graph: distinct pairs of distinct nodes, ends in random order. */
const arbGraph = fc.integer({ min: 1, max: 40 }).chain((nodes) =>
  fc
    .uniqueArray(
      fc.tuple(
        fc.integer({ min: 0, max: nodes - 1 }),
        fc.integer({ min: 0, max: nodes - 1 }),
        // Whole and fractional weights, as the exposures' minutes give.
        fc.oneof(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0.01, max: 50, noNaN: true })),
      ),
      { maxLength: 160, selector: ([a, b]) => (a < b ? `${a}-${b}` : `${b}-${a}`) },
    )
    .map((pairs) => pairs.filter(([a, b]) => a !== b))
    .map((pairs): NumberedEdges => ({
      nodes,
      endA: Int32Array.from(pairs, ([a]) => a),
      endB: Int32Array.from(pairs, ([, b]) => b),
      weights: Float64Array.from(pairs, ([, , w]) => w),
    })),
);

describe('louvainOfNumbered', () => {
  test("graphology-communities-louvain's detailed result on the view is the graph's, on random graphs", () => {
    fc.assert(
      fc.property(arbGraph, fc.string(), fc.constantFrom(0.5, 1, 2), (input, seed, resolution) => {
        const { onGraph, onView } = bothRuns(input, seed, resolution);
        // Every field: communities, modularity, dendrogram, moves, levels, counts.
        expect(onView).toEqual(onGraph);
        expect(Object.is(onView.modularity, onGraph.modularity)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  test("the communities of a simulated district's contact network, by number", () => {
    const params = resolveParameters();
    const data = snapshot(simulate({ seed: 'louvain', source: 'boat', households: 1500 }, params), aug(20));
    const { input } = networkOf(computeExposures(data, params), data);
    const edges: NumberedEdges = {
      nodes: input.exposureNodes,
      endA: input.endA.subarray(0, input.exposureEdges),
      endB: input.endB.subarray(0, input.exposureEdges),
      weights: input.weights.subarray(0, input.exposureEdges),
    };
    expect(edges.endA.length).toBeGreaterThan(1000);
    const { onGraph, onView } = bothRuns(edges, 'district');
    expect(onView).toEqual(onGraph);

    const ours = louvainOfNumbered(edges, { resolution: 1, rng: seedrandom('district') });
    expect(Array.from(ours.communityOf)).toEqual(
      Array.from({ length: edges.nodes }, (_, node) => onGraph.communities[String(node)]),
    );
    expect(ours.modularity).toBe(onGraph.modularity);
    // Not one community, not one per node: a real partition.
    const count = new Set(ours.communityOf).size;
    expect(count).toBeGreaterThan(3);
    expect(count).toBeLessThan(edges.nodes / 2);
  });

  test('nodes without edges: each its own community, as on the graph; no nodes: nothing', () => {
    const lonely: NumberedEdges = {
      nodes: 3,
      endA: new Int32Array(0),
      endB: new Int32Array(0),
      weights: new Float64Array(0),
    };
    const { onGraph, onView } = bothRuns(lonely, 'x');
    expect(onView).toEqual(onGraph);
    const ours = louvainOfNumbered(lonely, { resolution: 1, rng: seedrandom('x') });
    expect(Array.from(ours.communityOf)).toEqual([0, 1, 2]);
    expect(louvainOfNumbered({ ...lonely, nodes: 0 }, { resolution: 1, rng: seedrandom('x') })).toEqual({
      communityOf: new Int32Array(0),
      modularity: 0,
    });
  });

  test('the view is read-only', () => {
    const view = numberedGraphView({
      nodes: 2,
      endA: Int32Array.of(0),
      endB: Int32Array.of(1),
      weights: Float64Array.of(1),
    });
    expect(() => view.dropNode('0')).toThrow('numbered graph view: dropNode is not supported');
    expect(() => view.setNodeAttribute('0', 'community', 1)).toThrow(/read-only/);
    expect([view.order, view.size, view.type, view.multi]).toEqual([2, 1, 'undirected', false]);
  });
});
