/**
 * Numbering of nodes and of unordered node pairs in the order first seen: lets a graph whose
 * edges merge many records (exposures between the same two nodes) be summed in plain arrays first
 * and then built once, each node and edge added once, in the order that adding them record by
 * record would have given.
 */
import type { Id } from '../domain/types';

/** Node numbers below this fit, paired, in one exact number key (2^26 · 2^26 = 2^52 < 2^53). */
const MAX_NODES = 2 ** 26;

export class NodePairs {
  /** Node ids by number. */
  readonly ids: Id[] = [];
  /** Per pair: its two ends (node numbers) in the order first given, as in graph.addEdge(a, b). */
  readonly endA: number[] = [];
  readonly endB: number[] = [];
  private readonly numberOf = new Map<Id, number>();
  /** Pair number by smaller node number · 2^26 + larger. */
  private readonly pairOf = new Map<number, number>();

  get nodeCount(): number {
    return this.ids.length;
  }

  get pairCount(): number {
    return this.endA.length;
  }

  /** The node's number, numbering it first if new. */
  node(id: Id): number {
    let n = this.numberOf.get(id);
    if (n === undefined) {
      n = this.ids.length;
      if (n >= MAX_NODES) throw new RangeError(`node pairs: more than ${MAX_NODES} nodes`);
      this.numberOf.set(id, n);
      this.ids.push(id);
    }
    return n;
  }

  /** The number of the pair {a, b} (node numbers, a ≠ b), numbering it first if new. */
  pair(a: number, b: number): number {
    const key = a < b ? a * MAX_NODES + b : b * MAX_NODES + a;
    let n = this.pairOf.get(key);
    if (n === undefined) {
      n = this.endA.length;
      this.pairOf.set(key, n);
      this.endA.push(a);
      this.endB.push(b);
    }
    return n;
  }
}
