import { cdf, density, logGamma } from '../../src/domain/distributions';

describe('distributions', () => {
  test('gamma density: exact values, and a changed distribution is not served stale constants', () => {
    // shape 1, rate 1: the exponential density e^-x.
    const dist = { family: 'gamma' as const, mean: 1, sd: 1 };
    expect(density(dist, 2)).toBeCloseTo(Math.exp(-2), 12);
    // shape 4, rate 2: 2^4 x^3 e^(-2x) / 3!
    dist.mean = 2;
    expect(density(dist, 1.5)).toBeCloseTo((16 * 1.5 ** 3 * Math.exp(-3)) / 6, 12);
    dist.sd = 2; // shape 1, rate 0.5
    expect(density(dist, 1)).toBeCloseTo(0.5 * Math.exp(-0.5), 12);
  });

  test('lognormal density and cdf', () => {
    const dist = { family: 'lognormal' as const, meanlog: 0, sdlog: 1 };
    expect(density(dist, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12);
    expect(density(dist, 0)).toBe(0);
    expect(cdf(dist, 1)).toBeCloseTo(0.5, 6);
  });

  test('logGamma', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 10);
  });
});
