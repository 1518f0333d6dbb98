/**
 * Numbering of nodes and of unordered node pairs in the order first seen: lets a graph whose
 * edges merge many records (exposures between the same two nodes) be summed in plain arrays first
 * and then built once, each node and edge added once, in the order that adding them record by
 * record would have given (src/analysis/exposure-graph.ts).
 */
import type { AbstractGraph, Attributes } from 'graphology-types';
import type { Id } from '../domain/types';
import { Interner } from './co-presence';

export class NodePairs {
  private readonly nodes = new Interner();
  /**
   * Per pair, its two ends (node numbers) in the order first given, as in graph.addEdge(a, b): the
   * first `pairCount` items (the arrays grow ahead, see `capacity`).
   */
  endA: Int32Array;
  endB: Int32Array;
  private pairs = 0;
  /**
   * Pair numbers by their ends: an open-addressing hash table of (smaller node, larger node,
   * pair number + 1) triples, 0 marking a free slot, at most three quarters full. One flat typed
   * array rather than a Map per node (or one Map keyed by smaller · N + larger, whose keys pass
   * 2^31 and become heap numbers): at 1M persons the millions of pairs then cost no object each.
   */
  private slots: Int32Array;
  private slotMask: number;

  /**
   * `expectedPairs`: about how many pairs there will be. The table is made for that many, and the
   * ends' arrays a quarter longer (a caller may add pairs of another kind later); both grow past it
   * all the same. At a million persons the table doubled 13 times on the way to 5.7M pairs, and
   * those copies took 1.5 s.
   */
  constructor(expectedPairs = 0) {
    let slots = 1024;
    while (4 * expectedPairs > 3 * slots) slots *= 2;
    this.slots = new Int32Array(SLOT_WIDTH * slots);
    this.slotMask = slots - 1;
    this.endA = new Int32Array(Math.ceil(expectedPairs * 1.25) + 1024);
    this.endB = new Int32Array(this.endA.length);
  }

  /** Node ids by number. */
  get ids(): readonly Id[] {
    return this.nodes.texts;
  }

  get nodeCount(): number {
    return this.nodes.texts.length;
  }

  get pairCount(): number {
    return this.pairs;
  }

  /** How many pairs the ends' arrays hold room for: a caller's own per-pair arrays grow to it too. */
  get capacity(): number {
    return this.endA.length;
  }

  /** Whether the node has a number already. */
  has(id: Id): boolean {
    return this.nodes.has(id);
  }

  /** The node's number, numbering it first if new. */
  node(id: Id): number {
    return this.nodes.numberOf(id);
  }

  /** The number of the pair {a, b} (node numbers, a ≠ b), numbering it first if new. */
  pair(a: number, b: number): number {
    const low = a < b ? a : b;
    const high = a < b ? b : a;
    const slots = this.slots;
    let slot = slotOf(low, high, this.slotMask);
    for (;;) {
      const at = slot * SLOT_WIDTH;
      const numberPlusOne = slots[at + 2]!;
      if (numberPlusOne === 0) break;
      if (slots[at] === low && slots[at + 1] === high) return numberPlusOne - 1;
      slot = (slot + 1) & this.slotMask;
    }
    const n = this.pairs;
    if (n === this.endA.length) {
      // Half as long again: pairs numbered past the expected ones (the links added to a network's
      // exposures) need far less than doubling.
      const length = Math.ceil(n * 1.5) + 16;
      this.endA = grownTo(this.endA, length);
      this.endB = grownTo(this.endB, length);
    }
    this.endA[n] = a;
    this.endB[n] = b;
    this.pairs = n + 1;
    const at = slot * SLOT_WIDTH;
    slots[at] = low;
    slots[at + 1] = high;
    slots[at + 2] = n + 1;
    if (4 * (n + 1) > 3 * (this.slotMask + 1)) this.grow();
    return n;
  }

  /** Doubles the table, putting every pair back in its slot for the new size. */
  private grow(): void {
    const old = this.slots;
    const mask = this.slotMask * 2 + 1;
    const slots = new Int32Array(SLOT_WIDTH * (mask + 1));
    for (let at = 0; at < old.length; at += SLOT_WIDTH) {
      if (old[at + 2] === 0) continue;
      const low = old[at]!;
      const high = old[at + 1]!;
      let slot = slotOf(low, high, mask);
      while (slots[slot * SLOT_WIDTH + 2] !== 0) slot = (slot + 1) & mask;
      const to = slot * SLOT_WIDTH;
      slots[to] = low;
      slots[to + 1] = high;
      slots[to + 2] = old[at + 2]!;
    }
    this.slots = slots;
    this.slotMask = mask;
  }
}

/** A copy `length` long, the items kept and the rest zero. */
export function grownTo<T extends Int32Array | Float64Array | Uint8Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

/** Smaller node, larger node, pair number + 1. */
const SLOT_WIDTH = 3;

/** The home slot of the pair (low, high) in a table of mask + 1 slots. */
function slotOf(low: number, high: number, mask: number): number {
  let hash = Math.imul(low, 0x9e3779b1) ^ high;
  hash = Math.imul(hash ^ (hash >>> 16), 0x45d9f3b);
  return (hash ^ (hash >>> 16)) & mask;
}

/**
 * Adds nodes [fromNode, toNode) and pairs [fromPair, toPair) of a numbering to a graph, in number
 * order, each keyed by its number ("0", "1", …) and each pair from its end A to its end B. Every
 * graph made from a numbering is built by this, so graphs built apart from the same numbering
 * (the exposure graph, the contact network a worker measures) have the same nodes and edges in the
 * same order, and algorithms whose result depends on that order (Louvain, PageRank) agree on them.
 */
export function addNumbered<N extends Attributes, E extends Attributes>(
  graph: AbstractGraph<N, E>,
  ends: { endA: ArrayLike<number>; endB: ArrayLike<number> },
  [fromNode, toNode]: [number, number],
  [fromPair, toPair]: [number, number],
  attributes: { node?: (node: number) => N; edge: (pair: number) => E },
): void {
  const { endA, endB } = ends;
  for (let node = fromNode; node < toNode; node++) {
    if (attributes.node) graph.addNode(String(node), attributes.node(node));
    else graph.addNode(String(node));
  }
  for (let pair = fromPair; pair < toPair; pair++) {
    graph.addEdgeWithKey(String(pair), String(endA[pair]!), String(endB[pair]!), attributes.edge(pair));
  }
}
