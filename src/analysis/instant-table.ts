/**
 * A table keyed by instants (or any numbers but NaN), for values looked up millions of times: a
 * Map keyed by numbers boxes every key that is not a small integer, and instants never are. Here
 * the keys are doubles in a typed array, found by open addressing, and a look-up allocates
 * nothing: half a Map's time or less (`bench/instant-lookups.ts`; bench/README.md, Findings,
 * 5 December 2026, noon).
 */
export class InstantTable<V> {
  /** NaN marks an empty slot. */
  private keys = new Float64Array(1 << 12).fill(NaN);
  private values: V[] = new Array<V>(this.keys.length);
  private count = 0;

  /** How many instants the table holds. */
  get size(): number {
    return this.count;
  }

  /** The value of `at`, or undefined when there is none (always, for NaN). */
  get(at: number): V | undefined {
    const slot = slotOf(this.keys, at);
    return this.keys[slot] === at ? this.values[slot] : undefined;
  }

  /** Sets the value of `at`. NaN is never stored: it would read as an empty slot. */
  set(at: number, value: V): void {
    if (at !== at) return;
    const slot = slotOf(this.keys, at);
    this.values[slot] = value;
    if (this.keys[slot] === at) return;
    this.keys[slot] = at;
    if (++this.count * 2 > this.keys.length) this.grow();
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.keys = new Float64Array(oldKeys.length * 2).fill(NaN);
    this.values = new Array<V>(this.keys.length);
    for (let i = 0; i < oldKeys.length; i++) {
      const key = oldKeys[i]!;
      if (key !== key) continue;
      const slot = slotOf(this.keys, key);
      this.keys[slot] = key;
      this.values[slot] = oldValues[i]!;
    }
  }
}

/**
 * The slot of `at` in `keys`, or of the empty one where it would go. Hashed by the whole seconds:
 * instants are milliseconds, mostly on the minute.
 */
function slotOf(keys: Float64Array, at: number): number {
  const mask = keys.length - 1;
  let i = Math.imul((at / 1000) | 0, 0x9e3779b1) >>> 0;
  for (i &= mask; ; i = (i + 1) & mask) {
    const key = keys[i]!;
    if (key === at || key !== key) return i;
  }
}
