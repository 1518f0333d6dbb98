/**
 * Louvain communities of an undirected simple graph given as numbers (nodes 0 … nodes − 1, edge e
 * between endA[e] and endB[e] with weight weights[e]), by graphology-communities-louvain itself,
 * without building the graphology graph: the communities, modularity and moves are those of
 * `louvain.detailed` on the graph `addNumbered` builds from the same numbers
 * (src/analysis/node-pairs.ts), for the same seed.
 *
 * Why: Louvain reads its graph once, to build an index of typed arrays (graphology-indices'
 * `UndirectedLouvainIndex`), and works on that index alone. At a million persons the contact
 * network's 5.7M edges as a graphology graph took 15–20 s to build and about 2 GB of heap, held
 * beside the analysis's own (the peak of the whole run), only to be read that once.
 *
 * The view below answers exactly what the index reads, in the order graphology would: the nodes
 * by number (graphology lists nodes in the order added), each node's degree, then each edge by
 * number (the order added) with its ends as given. Nodes are keyed by their numbers, so
 * `communities` is keyed "0", "1", … as on the graph. Anything else a graphology graph offers
 * throws: a change of graphology-communities-louvain that reads more fails loudly, and
 * test/analysis/numbered-graph.test.ts compares the two on random graphs and a simulated
 * district's network.
 */
import louvain from 'graphology-communities-louvain';
import type { AbstractGraph } from 'graphology-types';

export interface NumberedEdges {
  nodes: number;
  endA: ArrayLike<number>;
  endB: ArrayLike<number>;
  /** Per edge; Louvain's weight. */
  weights: ArrayLike<number>;
}

export interface LouvainOptions {
  resolution: number;
  /** Louvain's randomness (e.g. seedrandom(seed)). */
  rng: () => number;
}

export interface NumberedCommunities {
  /** Community of each node, by number. */
  communityOf: Int32Array;
  modularity: number;
}

type EdgeCallback = (
  edge: number,
  attributes: undefined,
  source: number,
  target: number,
  sourceAttributes: undefined,
  targetAttributes: undefined,
  undirected: boolean,
) => void;

function readOnly(method: string): () => never {
  return () => {
    throw new Error(`numbered graph view: ${method} is not supported (the view is read-only)`);
  };
}

/** The part of a graphology undirected simple graph that graphology-communities-louvain reads. */
export function numberedGraphView(input: NumberedEdges): AbstractGraph {
  const { nodes, endA, endB } = input;
  const edges = endA.length;
  const degrees = new Int32Array(nodes);
  for (let e = 0; e < edges; e++) {
    degrees[endA[e]!]!++;
    degrees[endB[e]!]!++;
  }
  const view = {
    type: 'undirected',
    multi: false,
    allowSelfLoops: false,
    order: nodes,
    size: edges,
    directedSize: 0,
    undirectedSize: edges,
    selfLoopCount: 0,
    directedSelfLoopCount: 0,
    undirectedSelfLoopCount: 0,
    forEachNode(callback: (node: number, attributes: undefined) => void): void {
      for (let node = 0; node < nodes; node++) callback(node, undefined);
    },
    undirectedDegreeWithoutSelfLoops(node: number): number {
      return degrees[node]!;
    },
    forEachEdge(callback: EdgeCallback): void {
      for (let e = 0; e < edges; e++) callback(e, undefined, endA[e]!, endB[e]!, undefined, undefined, true);
    },
    // What makes graphology-utils' isGraph accept the view; never called by Louvain's detailed run.
    addUndirectedEdgeWithKey: readOnly('addUndirectedEdgeWithKey'),
    dropNode: readOnly('dropNode'),
    setNodeAttribute: readOnly('setNodeAttribute'),
  };
  return view as unknown as AbstractGraph;
}

/** Louvain's communities of the numbered graph (see above). */
export function louvainOfNumbered(input: NumberedEdges, options: LouvainOptions): NumberedCommunities {
  const communityOf = new Int32Array(input.nodes);
  if (input.nodes === 0) return { communityOf, modularity: 0 };
  const { weights } = input;
  const detailed = louvain.detailed(numberedGraphView(input), {
    // By edge number: the edge's weight, as the graph's `weight` attribute would give it.
    getEdgeWeight: (edge: string) => weights[edge as unknown as number]!,
    resolution: options.resolution,
    rng: options.rng,
  });
  for (let node = 0; node < input.nodes; node++) communityOf[node] = detailed.communities[node]!;
  return { communityOf, modularity: detailed.modularity };
}
