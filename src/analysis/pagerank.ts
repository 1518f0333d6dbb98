/**
 * PageRank of an undirected simple graph given as numbers (nodes 0 … nodes − 1, edge e between
 * endA[e] and endB[e]), every edge of weight 1: the numbers graphology-metrics' `pagerank(graph,
 * { getEdgeWeight: null })` gives on the graphology graph `addNumbered` builds from the same
 * numbers (src/analysis/node-pairs.ts), bit for bit.
 *
 * Why not that function itself: before iterating, it indexes the graph's neighbourhoods by reading
 * every edge through the graph's maps of keys, twice (`opposite`, `getEdgeAttributes`). On the
 * contact network of a million-person district (5.7M edges, links included) that took 20 s of the
 * analysis's critical path, and the links had to be added to the graph first (3 s), only for this.
 * Here the same index is built from the numbers with two counting passes.
 *
 * What makes the results identical: graph.nodes() gives the nodes in the order added (by number);
 * each iteration below is graphology-metrics' own arithmetic in its own order, node by node, so
 * each node's rank gains its neighbours' shares in order of neighbour, whatever the order in which
 * a node's own neighbours are listed. test/analysis/pagerank.test.ts compares the two on random
 * graphs and a simulated district's network.
 */

export interface PagerankOptions {
  /** Damping factor. */
  alpha: number;
  maxIterations: number;
  /** Error tolerance per node of the convergence test. */
  tolerance: number;
}

/** graphology-metrics' defaults. */
export const DEFAULTS: PagerankOptions = { alpha: 0.85, maxIterations: 100, tolerance: 1e-6 };

/** Each node's neighbours, as compressed rows (in the order of the edges). */
function neighbourhoods(
  nodes: number,
  endA: ArrayLike<number>,
  endB: ArrayLike<number>,
): { starts: Int32Array; neighbours: Int32Array } {
  const edges = endA.length;
  const starts = new Int32Array(nodes + 1);
  for (let e = 0; e < edges; e++) {
    starts[endA[e]! + 1]!++;
    starts[endB[e]! + 1]!++;
  }
  for (let node = 0; node < nodes; node++) starts[node + 1]! += starts[node]!;
  const next = starts.slice(0, nodes);
  const neighbours = new Int32Array(2 * edges);
  for (let e = 0; e < edges; e++) {
    const a = endA[e]!;
    const b = endB[e]!;
    neighbours[next[a]!++] = b;
    neighbours[next[b]!++] = a;
  }
  return { starts, neighbours };
}

/**
 * PageRank of each node (by number). Throws, as graphology-metrics does, when the iterations do not
 * converge within `maxIterations`.
 */
export function pagerankOfNumbered(
  nodes: number,
  endA: ArrayLike<number>,
  endB: ArrayLike<number>,
  options: Partial<PagerankOptions> = {},
): Float64Array {
  const { alpha, maxIterations, tolerance } = { ...DEFAULTS, ...options };
  if (endB.length !== endA.length)
    throw new RangeError('pagerank: endA and endB must have one entry per edge');
  for (let e = 0; e < endA.length; e++) {
    const a = endA[e]!;
    const b = endB[e]!;
    if (
      a === b ||
      !(a >= 0 && a < nodes && b >= 0 && b < nodes) ||
      !Number.isInteger(a) ||
      !Number.isInteger(b)
    )
      throw new RangeError(`pagerank: edge ${e} (${a}, ${b}) does not join two nodes of the graph`);
  }
  const N = nodes;
  if (N === 0) return new Float64Array(0);
  const p = 1 / N;
  const { starts, neighbours } = neighbourhoods(nodes, endA, endB);

  let x = new Float64Array(N);
  // Every edge weighs 1: a node's out-degree is its number of neighbours, each edge's normalised
  // weight 1 / degree (graphology-metrics sums the 1s and divides each, the same numbers).
  const normalizedEdgeWeights = new Float64Array(neighbours.length);
  const danglingNodes: number[] = [];
  for (let i = 0; i < N; i++) {
    x[i] = p;
    const l = starts[i + 1]!;
    const d = l - starts[i]!;
    if (d === 0) danglingNodes.push(i);
    for (let j = starts[i]!; j < l; j++) normalizedEdgeWeights[j] = 1 / d;
  }

  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const xLast = x;
    x = new Float64Array(N);
    let dangleSum = 0;
    for (const node of danglingNodes) dangleSum += xLast[node]!;
    dangleSum *= alpha;
    for (let i = 0; i < N; i++) {
      const l = starts[i + 1]!;
      for (let j = starts[i]!; j < l; j++) {
        const neighbour = neighbours[j]!;
        x[neighbour]! += alpha * xLast[i]! * normalizedEdgeWeights[j]!;
      }
      x[i]! += dangleSum * p + (1 - alpha) * p;
    }
    let error = 0;
    for (let i = 0; i < N; i++) error += Math.abs(x[i]! - xLast[i]!);
    if (error < N * tolerance) return x;
  }
  throw new Error('pagerank: failed to converge');
}
