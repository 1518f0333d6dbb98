/**
 * Communities and centrality of the contact network, from its nodes and edges as numbers, or from
 * its records, one per exposure or link, merged into those edges here first (./network-records.ts,
 * as the analysis gives it: the merging then runs in the worker too): Louvain runs on the
 * exposures' edges (graphology-communities-louvain reading the numbers, ./numbered-graph.ts), then
 * centrality is measured on the whole network, the household and contact links included: PageRank
 * (the analysis's) from the numbers themselves (./pagerank.ts, graphology-metrics' numbers without
 * a graph to read them through), degree or betweenness with graphology-metrics on the graphology
 * graph built here. The input holds only typed arrays, so it can be
 * handed to a worker thread without copying (./network-in-worker.ts), where a large network (at
 * a million persons ~5.7M edges, about 4 s of work) is measured while the tiers run here.
 *
 * The graph (read as numbers or built) is the one `ExposureGraphBuilder` gives, node for node and
 * edge for edge, in the same order, keyed by the same numbers, with Louvain's `weight` on its
 * edges. So the communities and the centrality are those of that graph.
 */
import { UndirectedGraph } from 'graphology';
import betweenness from 'graphology-metrics/centrality/betweenness';
import { degreeCentrality } from 'graphology-metrics/centrality/degree';
import seedrandom from 'seedrandom';
import { isNetworkRecords, mergeNetworkRecords, type NetworkRecords } from './network-records';
import { addNumbered } from './node-pairs';
import { louvainOfNumbered } from './numbered-graph';
import { pagerankOfNumbered } from './pagerank';

/** The contact network as numbers: nodes 0 … nodes − 1, edge e between endA[e] and endB[e]. */
export interface NetworkInput {
  /** Nodes and edges of the exposures alone (numbered first), on which communities are found. */
  exposureNodes: number;
  exposureEdges: number;
  /** All nodes, links included. */
  nodes: number;
  endA: Int32Array;
  endB: Int32Array;
  /** Louvain's weight per edge (0 on an edge of links alone). */
  weights: Float64Array;
}

export type CentralityMethod = 'pagerank' | 'betweenness' | 'degree';

export interface NetworkMeasureOptions {
  /** Seed of Louvain's randomness (seedrandom), so that communities are reproducible. */
  seed: string;
  /** Louvain resolution (1 = classic modularity). */
  resolution: number;
  centrality: CentralityMethod;
}

/**
 * The network's phases, in the order they run (the analysis reports their seconds). 'network
 * edges' (the records merged into edges) runs only for a network given as records; 'contact
 * network' (the graphology graph, links included) only for a centrality measured on that graph
 * (degree, betweenness), not for PageRank.
 */
export const NETWORK_PHASES = ['network edges', 'communities', 'contact network', 'centrality'] as const;
export type NetworkPhase = (typeof NETWORK_PHASES)[number];

export interface NetworkMeasures {
  /** Louvain community of each node of the exposures' graph (by node number). */
  communityOf: Int32Array;
  modularity: number;
  /** Centrality of each node of the whole network (by node number). */
  centrality: Float64Array;
  /** Seconds each phase took. */
  phases: [NetworkPhase, number][];
}

function checkInput(input: NetworkInput): void {
  const { exposureNodes, exposureEdges, nodes, endA, endB, weights } = input;
  const edges = endA.length;
  if (endB.length !== edges || weights.length !== edges) {
    throw new RangeError('network measures: endA, endB and weights must have one entry per edge');
  }
  if (!(exposureNodes <= nodes && exposureEdges <= edges)) {
    throw new RangeError("network measures: the exposures' nodes and edges must be the first of all");
  }
  for (let e = 0; e < edges; e++) {
    const a = endA[e]!;
    const b = endB[e]!;
    const nodeLimit = e < exposureEdges ? exposureNodes : nodes;
    if (a === b || a < 0 || b < 0 || a >= nodeLimit || b >= nodeLimit) {
      throw new RangeError(`network measures: edge ${e} (${a}, ${b}) does not join two nodes of its graph`);
    }
  }
}

/** Nodes without attributes, edges with their weight (src/analysis/node-pairs.ts `addNumbered`). */
const weighted = ({ weights }: NetworkInput) => ({ edge: (edge: number) => ({ weight: weights[edge]! }) });

/** Runs `work`, noting its seconds under `phase`. */
function timed<T>(phases: [NetworkPhase, number][], phase: NetworkPhase, work: () => T): T {
  const started = performance.now();
  const result = work();
  phases.push([phase, (performance.now() - started) / 1000]);
  return result;
}

/** Louvain communities of the exposures' edges, then centrality of the whole network. */
export function measureNetwork(
  given: NetworkInput | NetworkRecords,
  options: NetworkMeasureOptions,
): NetworkMeasures {
  const phases: [NetworkPhase, number][] = [];
  // Records are merged into edges here, in the worker when there is one (./network-records.ts).
  const input = isNetworkRecords(given)
    ? timed(phases, 'network edges', () => mergeNetworkRecords(given))
    : given;
  checkInput(input);
  // Louvain reads the exposures' edges as numbers (./numbered-graph.ts): a graphology graph is
  // built only for a centrality that graphology-metrics measures on it.
  const { communityOf, modularity } = timed(phases, 'communities', () =>
    louvainOfNumbered(
      {
        nodes: input.exposureNodes,
        endA: input.endA.subarray(0, input.exposureEdges),
        endB: input.endB.subarray(0, input.exposureEdges),
        weights: input.weights.subarray(0, input.exposureEdges),
      },
      { resolution: options.resolution, rng: seedrandom(options.seed) },
    ),
  );
  if (options.centrality === 'pagerank') {
    const centrality = timed(phases, 'centrality', () =>
      pagerankOfNumbered(input.nodes, input.endA, input.endB),
    );
    return { communityOf, modularity, centrality, phases };
  }
  const graph = timed(phases, 'contact network', () => {
    const g = new UndirectedGraph<Record<string, never>, { weight: number }>({ allowSelfLoops: false });
    addNumbered(g, input, [0, input.nodes], [0, input.endA.length], weighted(input));
    return g;
  });
  const centrality = timed(phases, 'centrality', () => {
    const values = new Float64Array(input.nodes);
    if (graph.order === 0) return values;
    const byKey =
      options.centrality === 'degree' ? degreeCentrality(graph) : betweenness(graph, { getEdgeWeight: null });
    for (let node = 0; node < input.nodes; node++) values[node] = byKey[String(node)]!;
    return values;
  });
  return { communityOf, modularity, centrality, phases };
}
