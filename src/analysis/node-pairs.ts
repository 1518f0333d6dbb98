/**
 * Numbering of nodes and of unordered node pairs in the order first seen: lets a graph whose
 * edges merge many records (exposures between the same two nodes) be summed in plain arrays first
 * and then built once, each node and edge added once, in the order that adding them record by
 * record would have given.
 */
import type { Id } from '../domain/types';

export class NodePairs {
  /** Node ids by number. */
  readonly ids: Id[] = [];
  /** Per pair: its two ends (node numbers) in the order first given, as in graph.addEdge(a, b). */
  readonly endA: number[] = [];
  readonly endB: number[] = [];
  private readonly numberOf = new Map<Id, number>();
  /**
   * Pair number by smaller node number, then larger. Two levels rather than one Map keyed by
   * smaller · N + larger: such keys pass 2^31 and V8 then keeps each as a heap number, which made
   * this lookup the slowest part of building a 100k district's exposure graph.
   */
  private readonly pairOf: (Map<number, number> | undefined)[] = [];

  get nodeCount(): number {
    return this.ids.length;
  }

  get pairCount(): number {
    return this.endA.length;
  }

  /** Whether the node has a number already. */
  has(id: Id): boolean {
    return this.numberOf.has(id);
  }

  /** The node's number, numbering it first if new. */
  node(id: Id): number {
    let n = this.numberOf.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.numberOf.set(id, n);
      this.ids.push(id);
      this.pairOf.push(undefined); // kept dense: one slot per node
    }
    return n;
  }

  /** The number of the pair {a, b} (node numbers, a ≠ b), numbering it first if new. */
  pair(a: number, b: number): number {
    const low = a < b ? a : b;
    const high = a < b ? b : a;
    let pairs = this.pairOf[low];
    if (pairs === undefined) this.pairOf[low] = pairs = new Map();
    let n = pairs.get(high);
    if (n === undefined) {
      n = this.endA.length;
      pairs.set(high, n);
      this.endA.push(a);
      this.endB.push(b);
    }
    return n;
  }
}
