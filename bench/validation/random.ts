/**
 * Seeded draws for the outbreak simulator: uniform, Bernoulli, normal (Box-Muller), lognormal and
 * gamma (Marsaglia & Tsang, ACM TOMS 2000), all from one injected generator.
 */
import seedrandom from 'seedrandom';
import type { Distribution } from '../../src/domain/parameters';

export type Rng = () => number;

export function makeRng(seed: string): Rng {
  return seedrandom(seed);
}

export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

export function integer(rng: Rng, lo: number, hiInclusive: number): number {
  return lo + Math.floor(rng() * (hiInclusive - lo + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(rng() * items.length)]!;
}

export function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function gammaDraw(rng: Rng, shape: number, rate: number): number {
  if (shape < 1) return gammaDraw(rng, shape + 1, rate) * rng() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = rng();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

/** A draw, in days, from one of the parameter distributions. */
export function draw(rng: Rng, dist: Distribution): number {
  if (dist.family === 'lognormal') return Math.exp(dist.meanlog + dist.sdlog * normal(rng));
  const shape = (dist.mean / dist.sd) ** 2;
  return gammaDraw(rng, shape, dist.mean / dist.sd ** 2);
}

export function shuffle<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
