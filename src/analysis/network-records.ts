/**
 * The contact network as records: one per exposure, then one per link (a reported contact, two
 * residents of a home in the network), each naming its two ends by node number and carrying its
 * Louvain weight. `networkRecords` numbers the nodes where the exposures are (this thread);
 * `mergeNetworkRecords` merges the records between the same two nodes into edges where the network
 * is measured (its worker, at scale). At a million persons the merging, a hash table of 5.7M node
 * pairs, took 5 of the 12 seconds the numbering held this thread for.
 *
 * Merged, the records give the network of the graph `ExposureGraphBuilder` builds from the same
 * exposures and links (src/analysis/exposure-graph.ts), number for number: nodes numbered in the
 * order first seen (a
 * person, then their source, exposure by exposure; then the links' ends), edges in the order their
 * first record comes, each from the end its first record gives first, weights summed in record
 * order.
 */
import type { Id } from '../domain/types';
import { Interner } from './co-presence';
import { forEachLink, type ExposureGraphOptions } from './exposure-graph';
import type { Exposure, OutbreakData } from './model';
import type { NetworkInput } from './network-measures';
import { grownTo, NodePairs } from './node-pairs';

export interface NetworkRecords {
  /** Nodes of the exposures alone (numbered first), on which communities are found. */
  exposureNodes: number;
  /** All nodes, links included. */
  nodes: number;
  /** The records before this one are the exposures', the rest links. */
  exposureRecords: number;
  /** Per record, its two ends (node numbers), in the order given. */
  recordA: Int32Array;
  recordB: Int32Array;
  /** Per record, its Louvain weight: an exposure's minutes, at least 1; 0 for a link. */
  recordWeights: Float64Array;
}

/** Whether `input` is the network as records rather than as merged edges. */
export function isNetworkRecords(input: NetworkInput | NetworkRecords): input is NetworkRecords {
  return 'recordA' in input;
}

/** Records filled one at a time into typed arrays, grown by half when full. */
class RecordList {
  length = 0;
  a: Int32Array;
  b: Int32Array;
  weights: Float64Array;

  constructor(capacity: number) {
    this.a = new Int32Array(capacity);
    this.b = new Int32Array(capacity);
    this.weights = new Float64Array(capacity);
  }

  push(a: number, b: number, weight: number): void {
    if (this.length === this.a.length) {
      const capacity = Math.ceil(this.length * 1.5) + 16;
      this.a = grownTo(this.a, capacity);
      this.b = grownTo(this.b, capacity);
      this.weights = grownTo(this.weights, capacity);
    }
    this.a[this.length] = a;
    this.b[this.length] = b;
    this.weights[this.length] = weight;
    this.length += 1;
  }
}

/**
 * The network of `exposures` (those of the contact network, src/analysis/network-exposures.ts)
 * with the links of `data`, as records, and the node ids by number. The records' arrays are views
 * of buffers of their own, which the caller may move to a worker.
 */
export function networkRecords(
  exposures: readonly Exposure[],
  data: OutbreakData,
  options: Partial<ExposureGraphOptions> = {},
): { records: NetworkRecords; nodeIds: Id[] } {
  const nodes = new Interner();
  const node = (id: Id): number => nodes.numberOf(id);
  // Room for the links too: at a million persons they are 4% more than the exposures.
  const list = new RecordList(Math.ceil(exposures.length * 1.05) + 1024);
  // Exposures come person by person (src/analysis/exposures.ts sorts them so): a person is
  // numbered once per run of their exposures.
  let runPerson: Id | undefined;
  let person = -1;
  exposures.forEach((e, i) => {
    if (e.personId === e.sourceId) {
      throw new RangeError(`contact network: exposures[${i}]: person ${e.personId} is their own source`);
    }
    if (e.personId !== runPerson) person = node((runPerson = e.personId));
    list.push(person, node(e.sourceId), Math.max(1, e.minutes));
  });
  const exposureNodes = nodes.texts.length;
  const exposureRecords = list.length;

  forEachLink(
    data,
    options,
    (id) => nodes.has(id),
    (a, b) => {
      const first = node(a);
      list.push(first, node(b), 0);
    },
  );
  const records: NetworkRecords = {
    exposureNodes,
    nodes: nodes.texts.length,
    exposureRecords,
    recordA: list.a.subarray(0, list.length),
    recordB: list.b.subarray(0, list.length),
    recordWeights: list.weights.subarray(0, list.length),
  };
  return { records, nodeIds: nodes.texts };
}

/** The records merged into the network's edges, numbered in the order their first record comes. */
export function mergeNetworkRecords(records: NetworkRecords): NetworkInput {
  const { recordA, recordB, recordWeights, exposureRecords } = records;
  const count = recordA.length;
  if (recordB.length !== count || recordWeights.length !== count || !(exposureRecords <= count)) {
    throw new RangeError('contact network: the records must have two ends and a weight each');
  }
  const pairs = new NodePairs(count);
  // No more edges than records.
  const weights = new Float64Array(count);
  let exposureEdges = 0;
  for (let r = 0; r < count; r++) {
    if (r === exposureRecords) exposureEdges = pairs.pairCount;
    const a = recordA[r]!;
    const b = recordB[r]!;
    if (a === b) throw new RangeError(`contact network: record ${r} joins node ${a} to itself`);
    weights[pairs.pair(a, b)] += recordWeights[r]!;
  }
  if (exposureRecords === count) exposureEdges = pairs.pairCount;
  const edges = pairs.pairCount;
  return {
    exposureNodes: records.exposureNodes,
    exposureEdges,
    nodes: records.nodes,
    endA: pairs.endA.subarray(0, edges),
    endB: pairs.endB.subarray(0, edges),
    weights: weights.subarray(0, edges),
  };
}
