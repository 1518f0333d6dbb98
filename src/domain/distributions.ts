/**
 * Probability densities for the delay distributions in the parameters (incubation, generation
 * and serial intervals), in days.
 */
import type { Distribution } from './parameters';

/** Coefficients of the Lanczos approximation (g = 7, n = 9). */
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Lanczos approximation of ln Γ(x). */
export function logGamma(x: number): number {
  const g = 7;
  const c = LANCZOS;
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Density at `days` (0 for days <= 0). */
export function density(dist: Distribution, days: number): number {
  if (!(days > 0)) return 0;
  if (dist.family === 'lognormal') {
    const z = (Math.log(days) - dist.meanlog) / dist.sdlog;
    return Math.exp(-0.5 * z * z) / (days * dist.sdlog * SQRT_2PI);
  }
  const { shape, rate, shapeLogRate, logGammaShape } = gammaConstants(dist);
  return Math.exp(shapeLogRate + (shape - 1) * Math.log(days) - rate * days - logGammaShape);
}

interface GammaConstants {
  /** The mean and sd they were worked out from (a distribution object may be changed later). */
  mean: number;
  sd: number;
  shape: number;
  rate: number;
  /** shape · ln(rate) */
  shapeLogRate: number;
  /** ln Γ(shape) */
  logGammaShape: number;
}

/** The parts of a gamma density that do not depend on `days`, worked out once per distribution. */
const gammaConstantsOf = new WeakMap<Distribution, GammaConstants>();

function gammaConstants(dist: Distribution & { family: 'gamma' }): GammaConstants {
  let constants = gammaConstantsOf.get(dist);
  if (constants === undefined || constants.mean !== dist.mean || constants.sd !== dist.sd) {
    const shape = (dist.mean / dist.sd) ** 2;
    const rate = dist.mean / dist.sd ** 2;
    constants = {
      mean: dist.mean,
      sd: dist.sd,
      shape,
      rate,
      shapeLogRate: shape * Math.log(rate),
      logGammaShape: logGamma(shape),
    };
    gammaConstantsOf.set(dist, constants);
  }
  return constants;
}

/** Mean of the distribution, in days. */
export function mean(dist: Distribution): number {
  return dist.family === 'lognormal' ? Math.exp(dist.meanlog + dist.sdlog ** 2 / 2) : dist.mean;
}

/** Cumulative probability up to `days`, by Simpson integration of the density. */
export function cdf(dist: Distribution, days: number, steps = 400): number {
  if (!(days > 0)) return 0;
  const h = days / steps;
  let sum = density(dist, 1e-9) + density(dist, days);
  for (let i = 1; i < steps; i++) sum += (i % 2 ? 4 : 2) * density(dist, i * h);
  return Math.min(1, (sum * h) / 3);
}

/** The `p`-quantile (0 < p < 1) in days, by bisection of the cdf. */
export function quantile(dist: Distribution, p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile: p must be strictly between 0 and 1 (got ${p})`);
  let lo = 0;
  let hi = Math.max(1, mean(dist));
  while (cdf(dist, hi) < p && hi < 1e4) hi *= 2;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (cdf(dist, mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
