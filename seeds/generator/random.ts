/**
 * Seeded randomness for the demo district: every draw comes from a named seedrandom (Alea)
 * stream derived from the seed, so the same seed and size always give the same district.
 */
import seedrandom from 'seedrandom';

export class Random {
  private readonly next: seedrandom.PRNG;

  /** `stream` names what the draws are for, so one part of the model never shifts another's. */
  constructor(seed: string, stream: string) {
    this.next = seedrandom.alea(`tracegraph-district/${seed}/${stream}`);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Whole number in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('cannot pick from an empty list');
    return values[Math.floor(this.next() * values.length)]!;
  }

  /** Index drawn with probability proportional to `weights`. */
  weighted(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    let target = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i]!;
      if (target < 0) return i;
    }
    return weights.length - 1;
  }

  /** Standard normal draw (Box-Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  lognormal(meanlog: number, sdlog: number): number {
    return Math.exp(meanlog + sdlog * this.normal());
  }

  /** Fisher-Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = values[i];
      values[i] = values[j];
      values[j] = t;
    }
    return values;
  }
}

/** Cumulative sums, for repeated weighted draws with `drawCumulative`. */
export function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  weights.forEach((w, i) => {
    sum += w;
    out[i] = sum;
  });
  return out;
}

/** Index drawn from cumulative weights by binary search. */
export function drawCumulative(rng: Random, sums: Float64Array): number {
  const target = rng.float() * sums[sums.length - 1]!;
  let lo = 0;
  let hi = sums.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sums[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
